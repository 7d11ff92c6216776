// The protocol of the `finetune` job (see main/jobs/results.ts): what the training service starts
// it with, what the worker (./job.ts) returns and the files it leaves in the job's folder. Imports
// no engine code, so the serving side can use it without loading tfjs.
import { z } from 'zod';
import { BackendPreference } from '../../../shared/contract/system';
import type { TestMetrics } from '../../../shared/contract/training';
import { defineJobKind } from '../../jobs/kind';
import type { DevRecord, FinetuneOptions } from './index';

export const FinetuneJobParams = z.object({
  /** The project's run id (for people reading the job list). */
  runId: z.number().int(),
  /** RunDataFile written by the service. */
  dataPath: z.string().min(1),
  modelDir: z.string().min(1),
  outDir: z.string().min(1),
  // The engine's options, made by training.ts's engineOptions from the contract's TrainingSettings
  // (checked there); the engine refuses values it cannot use.
  options: z.custom<FinetuneOptions>((v) => typeof v === 'object' && v !== null && typeof (v as { mode?: unknown }).mode === 'string', 'the fine-tuning options must be an object with a mode'),
  backend: BackendPreference,
  /** The model it starts from: models.remove sees the job as a use of the model. */
  modelId: z.number().int().optional(),
});
export type FinetuneJobParams = z.infer<typeof FinetuneJobParams>;

export const finetuneKind = defineJobKind({
  kind: 'finetune',
  device: true,
  params: FinetuneJobParams,
  result: z.object({ steps: z.number().int(), bestStep: z.number().int().nullable(), testMcc: z.number().nullable(), modelOut: z.string().nullable() }),
  files: {
    /**
     * Appended as the run goes: {"t":"start","attempt","from"} at each attempt, {"t":"backend",...},
     * {"t":"train","step","loss","lr","tps"}, {"t":"dev","step","loss","mcc",...}; tailed by the service.
     */
    metrics: 'run-metrics.jsonl',
    /** RunResultFile, written once the run is done. */
    result: 'result.json',
  },
});

/** What the training service writes for the worker: class names and the three splits as [sequence, label index]. */
export interface RunDataFile {
  classNames: string[];
  train: [string, number][];
  dev: [string, number][];
  test: [string, number][];
}

export type MetricsLine =
  | { t: 'start'; attempt: number; from: number }
  | { t: 'backend'; name: string; summary: string }
  | { t: 'train'; step: number; loss: number; lr: number; tps: number | null }
  | { t: 'dev'; step: number; loss: number; mcc: number | null; accuracy: number | null; f1: number | null };

export interface RunResultFile {
  steps: number;
  totalSteps: number;
  bestStep: number | null;
  bestDevLoss: number | null;
  stoppedEarly: boolean;
  test: TestMetrics | null;
  mostWrong: { index: number; sequence: string; label: string; predicted: string; confidence: number }[];
  mostConfident?: { index: number; sequence: string; label: string; predicted: string; confidence: number }[];
  throughput: { tokensPerSecond: number | null; secondsPerEpoch: number | null };
  modelOut: string | null;
  devHistory: DevRecord[];
}
