// The protocol of the `scan` job (see main/jobs/results.ts): what the scans service starts it with,
// what the worker (./job.ts) returns and the files it leaves in the job's folder. Imports no engine
// code, so the serving side can use it without loading tfjs.
import { z } from 'zod';
import type { TrackStrand } from '../../shared/contract/scans';
import { BackendPreference, type BackendName } from '../../shared/contract/system';
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
  /**
   * Engine instances scoring each chunk side by side (this process plus workers - 1 worker
   * threads, main/scan/parallel.ts). Part of the scan's settings: the split of a chunk depends on
   * it, so a resumed scan keeps it. Absent in jobs started before it existed: 1.
   */
  workers: z.number().int().positive().default(1),
  /** JSON [sequence, label index][] of the run's dev set, or null (threshold 0.5). */
  devPath: z.string().nullable(),
});
export type ScanJobParams = z.infer<typeof ScanJobParams>;

/** The most engine instances a scan starts by default: each holds a copy of the model. */
export const MAX_DEFAULT_SCAN_WORKERS = 4;

/**
 * How many engine instances a scan uses unless told: one per core (at most 4) on wasm and cpu,
 * whose instances run one thread each in Node; 1 on tfjs-node(-gpu), where one process already
 * uses every core (or the GPU).
 */
export function defaultScanWorkers(backend: BackendName, cores: number): number {
  return backend === 'wasm' || backend === 'cpu' ? Math.max(1, Math.min(MAX_DEFAULT_SCAN_WORKERS, cores)) : 1;
}

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
