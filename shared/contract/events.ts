// Event channels pushed from the Node side to the renderer (IPC in the app, WebSocket in browser mode).
import { z } from 'zod';

export const JobProgress = z.object({
  jobId: z.string(),
  kind: z.string(),
  state: z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted']),
  /** 0..1 where known. */
  fraction: z.number().min(0).max(1).nullable(),
  message: z.string(),
  etaSeconds: z.number().nullable(),
  metrics: z.record(z.string(), z.number()).optional(),
  /** Steps done and planned, where the job counts steps (optional: older senders omit them). */
  step: z.number().int().nullable().optional(),
  total: z.number().int().nullable().optional(),
  /** The project file the job belongs to. */
  project: z.string().optional(),
  /** Why it failed (state failed). */
  error: z.string().nullable().optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const JobLog = z.object({ jobId: z.string(), level: z.enum(['info', 'warn', 'error']), line: z.string(), at: z.string() });
export type JobLog = z.infer<typeof JobLog>;

export const ProjectChanged = z.object({ path: z.string(), what: z.string() });

/** Curve points of a fine-tuning run as they are made (the run dashboard appends them live). */
export const RunMetrics = z.object({
  project: z.string(),
  runId: z.number().int(),
  step: z.number().int(),
  /** 'train': loss, lr, tokensPerSecond; 'dev': loss, mcc, accuracy, f1. */
  split: z.enum(['train', 'dev']),
  values: z.record(z.string(), z.number()),
});
export type RunMetrics = z.infer<typeof RunMetrics>;

export const events = {
  'job.progress': JobProgress,
  'job.log': JobLog,
  'project.changed': ProjectChanged,
  'run.metrics': RunMetrics,
};
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
