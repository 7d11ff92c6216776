// The protocol of the `gue` job (see main/jobs/results.ts): a GUE benchmark started from the Models
// page (main/api/benchmarks.ts) running `loci gue`'s runner in a worker (./job.ts). Imports no
// engine code, so the serving side can use it without loading tfjs. The benchmark has no table of
// its own: the job row (params, result) is the run, and its tables are the runner's files in outDir.
import { z } from 'zod';
import { BackendPreference } from '../../../shared/contract/system';
import { defineJobKind } from '../../jobs/kind';
import type { FinetuneOptions } from '../finetune/options';

export const GueJobParams = z.object({
  root: z.string().min(1),
  tasks: z.array(z.string()).optional(),
  models: z.array(z.object({ name: z.string().min(1), dir: z.string().min(1) })).min(1),
  /** The project models benchmarked (models.remove sees the job as a use of them). */
  modelIds: z.array(z.number().int()),
  scratch: z.boolean().optional(),
  /** false: only the from-scratch twins (runGue's `pretrained`). */
  pretrained: z.boolean().optional(),
  mode: z.enum(['full', 'lora', 'probe']).optional(),
  budget: z.object({ maxSteps: z.number().int().positive().optional(), epochs: z.number().positive().optional(), timeLimitSeconds: z.number().positive().optional() }).optional(),
  // The engine's options (the runner refuses values it cannot use).
  overrides: z.custom<FinetuneOptions>((v) => typeof v === 'object' && v !== null, 'the fine-tuning overrides must be an object').optional(),
  seeds: z.array(z.number().int()).optional(),
  /** The runner's folder: finished units there are never redone. */
  outDir: z.string().min(1),
  publishedPath: z.string().nullable().optional(),
  parallel: z.union([z.number().int().positive(), z.literal('auto')]).optional(),
  backend: BackendPreference.optional(),
});
export type GueJobParams = z.infer<typeof GueJobParams>;

export const GueJobResult = z.object({
  jsonPath: z.string(),
  markdownPath: z.string(),
  failures: z.array(z.object({ key: z.string(), error: z.string() })),
});
export type GueJobResult = z.infer<typeof GueJobResult>;

export const gueKind = defineJobKind({
  kind: 'gue',
  device: true,
  params: GueJobParams,
  result: GueJobResult,
  files: {
    /** In params.outDir: the tables as JSON (GueResultsFile) and as Markdown. */
    resultsJson: 'gue-results.json',
    resultsMarkdown: 'gue-results.md',
  },
});
