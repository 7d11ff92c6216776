// The protocol of the `scan` job (see main/jobs/results.ts): what the scans service starts it with,
// what the worker (./job.ts) returns and the files it leaves in the job's folder. Imports no engine
// code, so the serving side can use it without loading tfjs.
import { z } from 'zod';
import type { TrackStrand } from '../../shared/contract/scans';
import { BackendPreference } from '../../shared/contract/system';
import { defineJobKind } from '../jobs/kind';

export const ScanJobParams = z.object({
  scanId: z.number().int(),
  /** Here so that models.remove sees the job as a use of the model. */
  modelId: z.number().int(),
  modelDir: z.string().min(1),
  genome: z.object({ fastaPath: z.string().min(1), faiPath: z.string().min(1), gziPath: z.string().nullable() }),
  /** Every sequence of the genome, in its order (the bigWig's chromosome list). */
  chroms: z.array(z.object({ name: z.string(), length: z.number().int().nonnegative() })),
  /** JSON ScanInterval[]: sorted, merged, within the chromosomes. */
  intervalsPath: z.string().min(1),
  window: z.number().int().positive(),
  stride: z.number().int().positive(),
  strand: z.enum(['forward', 'reverse', 'both']),
  combine: z.enum(['mean', 'max']),
  classes: z.array(z.number().int().nonnegative()),
  numLabels: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  maxTokens: z.number().int().positive(),
  chunkBp: z.number().int().positive(),
  backend: BackendPreference,
  /** JSON [sequence, label index][] of the run's dev set, or null (threshold 0.5). */
  devPath: z.string().nullable(),
});
export type ScanJobParams = z.infer<typeof ScanJobParams>;

export const scanKind = defineJobKind({
  kind: 'scan',
  device: true,
  params: ScanJobParams,
  result: z.object({ tracks: z.number().int().nonnegative(), bpTotal: z.number().nonnegative(), runtimeSeconds: z.number().nonnegative() }),
  files: {
    /** ScanResultFile, written once every chunk is scored and every bigWig written. */
    result: 'result.json',
  },
});

/** result.json: the bigWigs (in the job's folder) and the thresholds chosen on the run's dev set. */
export interface ScanResultFile {
  tracks: { classIndex: number; strand: TrackStrand; path: string; bytes: number; min: number; max: number }[];
  thresholds: { classIndex: number; threshold: number; source: 'dev-mcc' | 'default-0.5'; devMcc: number | null }[];
  runtimeSeconds: number;
  backend: string;
  bpDone: number;
  bpTotal: number;
  windows: number;
  truncatedWindows: number;
}
