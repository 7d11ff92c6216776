// Fine-tuning options and their defaults (DNABERT-2's GUE protocol: lr 3e-5, batch 32, warm-up 50,
// weight decay 0.01, evaluate every 200 steps, keep the lowest-dev-loss checkpoint).
import type { LoraOptions } from './lora';
import type { ProbePooling } from './probe';

export type FinetuneMode = 'full' | 'lora' | 'probe';

export interface FinetuneOptions {
  /** full: every encoder weight trains; lora: low-rank adapters + classifier; probe: frozen encoder, logistic head. */
  mode?: FinetuneMode;
  /** Peak learning rate (default 3e-5). */
  lr?: number;
  /** Examples per micro-batch (default 32, at most the training set). */
  batchSize?: number;
  /** Micro-batches per optimizer step (default 1). */
  accumulate?: number;
  /** Passes over the training set (default 3); ignored when maxSteps is given. */
  epochs?: number;
  maxSteps?: number;
  /** Default min(50, 10% of the steps). */
  warmupSteps?: number;
  /** Default 0.01 (biases and LayerNorm excluded). */
  weightDecay?: number;
  /** Max global gradient norm (default 1.0, HF's); null = off. */
  clip?: number | null;
  /** Evaluate on dev every N steps; default min(200, a tenth of the run), so small runs still get ~10 evaluations. */
  evalEvery?: number;
  /** Examples per evaluation batch (default 2 x batchSize). */
  evalBatchSize?: number;
  /** 'balanced' = inverse class frequency of the training set (sklearn's formula); or one weight per class. */
  classWeights?: 'none' | 'balanced' | readonly number[];
  /** Stop training after this many seconds (then, as after early stopping: best checkpoint, test). */
  timeLimitSeconds?: number;
  /** Stop after this many evaluations without a lower dev loss; null/undefined = never. */
  earlyStoppingPatience?: number | null;
  seed?: number;
  /** Token limit per sequence; default: the lengthQuantile of tokenised training lengths, capped at the model's limit. */
  maxLength?: number;
  /** Default 0.99. */
  lengthQuantile?: number;
  lora?: LoraOptions & {
    /** Also train the pooler (default: only when the checkpoint had none, i.e. it starts random). */
    trainPooler?: boolean;
  };
  probe?: {
    /** Embedding the head sees: the model's pooler output (default; exports as a plain classifier), [CLS], or the mean over tokens. */
    pooling?: ProbePooling;
    /** L2 strengths tried; the lowest dev loss wins. */
    l2?: readonly number[];
  };
}

export const FINETUNE_DEFAULTS = {
  mode: 'full' as FinetuneMode,
  lr: 3e-5,
  batchSize: 32,
  accumulate: 1,
  epochs: 3,
  maxWarmupSteps: 50,
  weightDecay: 0.01,
  clip: 1.0,
  maxEvalEvery: 200,
  seed: 42,
  lengthQuantile: 0.99,
  /** DNABERT-2 has ALiBi (any length); past this the attention matrices get expensive. */
  dnabert2LengthLimit: 512,
};

export interface ResolvedSchedule {
  batchSize: number;
  accumulate: number;
  stepsPerEpoch: number;
  totalSteps: number;
  warmupSteps: number;
  evalEvery: number;
}

/** Steps, warm-up and evaluation interval for a training set of n examples. */
export function resolveSchedule(n: number, o: FinetuneOptions): ResolvedSchedule {
  const batchSize = Math.max(1, Math.min(o.batchSize ?? FINETUNE_DEFAULTS.batchSize, n));
  const accumulate = Math.max(1, o.accumulate ?? FINETUNE_DEFAULTS.accumulate);
  const microPerEpoch = Math.floor(n / batchSize);
  const stepsPerEpoch = Math.max(1, Math.floor(microPerEpoch / accumulate));
  const epochs = o.epochs ?? FINETUNE_DEFAULTS.epochs;
  if (!(epochs > 0)) throw new Error(`fine-tuning: epochs must be > 0, got ${epochs}`);
  const totalSteps = o.maxSteps ?? Math.max(1, Math.ceil(epochs * stepsPerEpoch));
  if (!Number.isInteger(totalSteps) || totalSteps < 1) throw new Error(`fine-tuning: maxSteps must be a positive integer, got ${o.maxSteps}`);
  const warmupSteps = o.warmupSteps ?? Math.min(FINETUNE_DEFAULTS.maxWarmupSteps, Math.floor(totalSteps * 0.1));
  const evalEvery = o.evalEvery ?? Math.min(FINETUNE_DEFAULTS.maxEvalEvery, Math.max(1, Math.ceil(totalSteps / 10)));
  return { batchSize, accumulate, stepsPerEpoch, totalSteps, warmupSteps, evalEvery };
}
