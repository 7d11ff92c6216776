// The protocol of the `pretrain` job (see main/jobs/results.ts): masked-LM (continued)
// pre-training in a worker (./job.ts). Imports no engine code. (A loss or perplexity that is not
// finite reaches the serving side as null: JSON has no Infinity.)
import { z } from 'zod';
import { BackendPreference } from '../../../shared/contract/system';
import { defineJobKind } from '../../jobs/kind';
import type { PretrainOptions } from './pretrain';

// The options the adaptation service sets are checked here; the rest of the engine's options
// (a new model's shape, warm-up, checkpoint interval ...) pass through to pretrain(), which checks them.
const Known = z
  .object({
    genomes: z.array(z.object({ path: z.string().min(1), weight: z.number().positive() })).min(1),
    outDir: z.string().min(1),
    from: z.string().min(1).optional(),
    masking: z.string().min(1),
    steps: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    seqLen: z.number().int().positive(),
    lr: z.number().positive(),
    evalEvery: z.number().int().positive().optional(),
    evalWindows: z.number().int().positive().optional(),
    seed: z.number().int().optional(),
    cacheDir: z.string().min(1).optional(),
    backend: BackendPreference.optional(),
  })
  .loose();

export type PretrainJobParams = Omit<PretrainOptions, 'signal' | 'onProgress' | 'onEval' | 'onLog' | 'resume'> & { backend?: BackendPreference };

export const PretrainEvalLine = z.object({ step: z.number().int(), loss: z.number().nullable(), perplexity: z.number().nullable(), best: z.boolean() });

export const pretrainKind = defineJobKind({
  kind: 'pretrain',
  device: true,
  params: Known as unknown as z.ZodType<PretrainJobParams>,
  result: z.object({ outDir: z.string(), steps: z.number().int(), tokensSeen: z.number(), parameters: z.number(), evals: z.array(PretrainEvalLine) }),
  files: {},
});
export type PretrainJobResult = z.infer<typeof pretrainKind.result>;
