// The protocols of the `ism` and `variants` jobs (see main/jobs/results.ts): what the interpret
// service starts them with, what the worker (./job.ts) returns and the files it leaves in the job's
// folder. Imports no engine code, so the serving side can use it without loading tfjs.
import { z } from 'zod';
import { BackendPreference } from '../../shared/contract/system';
import { defineJobKind } from '../jobs/kind';

const CommonParams = z.object({
  runId: z.number().int(),
  /** Here so that models.remove sees the job as a use of the model. */
  modelId: z.number().int(),
  modelDir: z.string().min(1),
  genome: z.object({ fastaPath: z.string().min(1), faiPath: z.string().min(1), gziPath: z.string().nullable() }),
  chromLengths: z.record(z.string(), z.number().int().nonnegative()),
  window: z.number().int().positive(),
  classIndex: z.number().int().nonnegative(),
  numLabels: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  maxTokens: z.number().int().positive(),
  backend: BackendPreference,
});
export type CommonParams = z.infer<typeof CommonParams>;

export const IsmJobParams = CommonParams.extend({ region: z.object({ chrom: z.string().min(1), start: z.number().int().nonnegative(), end: z.number().int().positive() }) });
export type IsmJobParams = z.infer<typeof IsmJobParams>;

export const VariantsJobParams = CommonParams.extend({
  /** JSON VcfVariant[] (VARIANTS_FILE in the run's folder), checked against the genome. */
  variantsPath: z.string().min(1),
});
export type VariantsJobParams = z.infer<typeof VariantsJobParams>;

/** The checked variant list the service writes in the run's folder before the job starts. */
export const VARIANTS_FILE = 'variants.json';

export const ismKind = defineJobKind({
  kind: 'ism',
  device: true,
  params: IsmJobParams,
  result: z.object({ positions: z.number().int().nonnegative(), sequences: z.number().int().nonnegative(), runtimeSeconds: z.number().nonnegative() }),
  files: {
    /** IsmResultFile. */
    result: 'result.json',
    /** Float32 little-endian, 10 x L: ref forward, ref reverse (L each), delta forward, delta reverse (4 x L each). */
    data: 'ism.f32',
  },
});

export const variantsKind = defineJobKind({
  kind: 'variants',
  device: true,
  params: VariantsJobParams,
  result: z.object({ variants: z.number().int().nonnegative(), sequences: z.number().int().nonnegative(), runtimeSeconds: z.number().nonnegative() }),
  files: {
    /** VariantsResultFile. */
    result: 'result.json',
  },
});

export interface IsmResultFile {
  kind: 'ism';
  refBases: string;
  sequences: number;
  runtimeSeconds: number;
  backend: string;
}

export interface VariantsResultFile {
  kind: 'variants';
  /** Per variant, in input order: ref forward, ref reverse, alt forward, alt reverse. */
  scores: [number, number, number, number][];
  sequences: number;
  runtimeSeconds: number;
  backend: string;
}
