// How long a fine-tuning run will take and how much memory it needs, before starting it: a few
// real steps of the same model, mode and sequence length at two small batch sizes, timed on the
// current backend and extrapolated linearly to the real batch (the per-step dispatch overhead is
// fixed, the rest grows with the batch; the optimizer update does not grow at all), plus
// memory from parameter counts (weights, gradients, AdamW moments) and the activations measured
// during one step (tf.profile's peak), scaled to the full batch.
import { tf } from '../train/tf';
import { AdamW, ensureGradients, lossAndGradients } from '../train';
import { createModel } from '../model';
import type { ModelConfig } from '../model/config';
import { attachLora, type LoraOptions } from './lora';
import { crossEntropy } from './loss';
import { FINETUNE_DEFAULTS, resolveSchedule, type FinetuneMode } from './options';

export interface EstimateInput {
  config: ModelConfig;
  mode: FinetuneMode;
  /** Training examples. */
  examples: number;
  /** Examples evaluated at each dev evaluation (default: a tenth of `examples`). */
  devExamples?: number;
  /** Test examples, evaluated once (default 0). */
  testExamples?: number;
  seqLen: number;
  batchSize?: number;
  epochs?: number;
  maxSteps?: number;
  evalEvery?: number;
  lora?: LoraOptions;
  /** Smaller of the two measured batches, b and 2b (default min(batchSize, 4)). */
  measureBatch?: number;
  /** Timed steps per batch size after one warm-up (default 2). */
  measureSteps?: number;
  signal?: AbortSignal;
}

export interface FinetuneEstimate {
  /** Whole run: training + evaluations (+ embedding for the probe). */
  seconds: number;
  trainSeconds: number;
  evalSeconds: number;
  secondsPerStep: number;
  totalSteps: number;
  peakBytes: number;
  memory: { parameterBytes: number; gradientBytes: number; optimizerBytes: number; activationBytes: number };
  parameters: { total: number; trainable: number };
  measured: {
    backend: string;
    batch: number;
    seqLen: number;
    gradientSeconds: number;
    optimizerSeconds: number;
    forwardSeconds: number;
    activationBytes: number;
    /** (slowest - fastest) / mean of the timed steps at the larger batch: how steady the measurement was (0 with one step). */
    spread: number;
  };
}

function timeIt(f: () => void): number {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
}

export async function estimateFinetune(input: EstimateInput): Promise<FinetuneEstimate> {
  await ensureGradients();
  const c = input.config;
  const batchSize = Math.min(input.batchSize ?? FINETUNE_DEFAULTS.batchSize, input.examples);
  const schedule = resolveSchedule(input.examples, { batchSize, epochs: input.epochs, maxSteps: input.maxSteps, evalEvery: input.evalEvery });
  const b = Math.max(1, Math.min(input.measureBatch ?? 4, batchSize));
  const steps = Math.max(1, input.measureSteps ?? 2);
  const seqLen = input.seqLen;
  const devExamples = input.devExamples ?? Math.ceil(input.examples / 10);
  const testExamples = input.testExamples ?? 0;

  // Zero weights cost the same to run as real ones and skip drawing ~100M random normals.
  const model = createModel({ ...c, numLabels: Math.max(2, c.numLabels) }, { heads: { classifier: true, pooler: true, mlm: false }, randomInit: false });
  const lora = input.mode === 'lora' ? attachLora(model, input.lora) : null;
  const params = input.mode === 'lora' ? new Map([...lora!.params(), ...model.trainableParams((_n, g) => g === 'classifier')]) : model.trainableParams((_n, g) => g !== 'mlm');
  const total = model.parameterCount();
  const trainable = input.mode === 'probe' ? (c.hiddenSize + 1) * Math.max(2, c.numLabels) : [...params.values()].reduce((s, p) => s + p.size, 0);
  // Two batch sizes, b and 2b: per-step overhead (kernel dispatch) is fixed, the rest grows with the batch.
  const b2 = Math.min(2 * b, Math.max(b, batchSize));
  const makeInputs = (n: number) => ({
    ids: tf.tensor2d(Int32Array.from({ length: n * seqLen }, (_, i) => 5 + (i % Math.max(1, c.vocabSize - 5))), [n, seqLen], 'int32'),
    labels: tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % 2), 'int32'),
  });
  const small = makeInputs(b);
  const large = b2 > b ? makeInputs(b2) : small;
  const optimizer = input.mode === 'probe' ? null : new AdamW(params);
  try {
    const forward = (x: typeof small) => () => void tf.tidy(() => model.forward({ inputIds: x.ids }, { training: false, mlm: false, classifier: true }).logits!.dataSync());
    const gradStep = (x: typeof small) => {
      const lossFn = () => crossEntropy(model.forward({ inputIds: x.ids }, { training: true, seed: 1, mlm: false, classifier: true }).logits!, x.labels);
      return lossAndGradients(params, lossFn, null, 1).grads;
    };
    const disposeGrads = (g: Map<string, tf.Tensor>) => {
      for (const t of g.values()) t.dispose();
    };
    // Warm-up (kernel compilation, ALiBi cache) under the profiler for the activation peak.
    const baseline = tf.memory().numBytes;
    let activationBytes: number;
    if (input.mode === 'probe') {
      activationBytes = (await tf.profile(forward(small))).peakBytes - baseline;
    } else {
      let grads = new Map<string, tf.Tensor>();
      activationBytes = (await tf.profile(() => void (grads = gradStep(small)))).peakBytes - baseline;
      optimizer!.apply(grads, 0);
      disposeGrads(grads);
    }
    const timeAt = (x: typeof small) => {
      let fwd = 0;
      let grad = 0;
      let opt = 0;
      const each: number[] = [];
      for (let s = 0; s < steps; s++) {
        input.signal?.throwIfAborted();
        const f = timeIt(forward(x));
        fwd += f;
        if (input.mode === 'probe') {
          each.push(f);
          continue;
        }
        let grads = new Map<string, tf.Tensor>();
        const g = timeIt(() => void (grads = gradStep(x)));
        grad += g;
        opt += timeIt(() => {
          optimizer!.apply(grads, 0);
          params.values().next().value?.dataSync(); // wait for the update
        });
        each.push(g);
        disposeGrads(grads);
      }
      const mean = each.reduce((a, b) => a + b, 0) / each.length;
      const spread = each.length > 1 && mean > 0 ? (Math.max(...each) - Math.min(...each)) / mean : 0;
      return { fwd: fwd / steps, grad: grad / steps, opt: opt / steps, spread };
    };
    const t1 = timeAt(small);
    const t2 = large === small ? t1 : timeAt(large);
    // Linear in the batch through (b, t1) and (b2, t2); the slope never below the per-example cost at b2 x 0.5.
    const extrapolate = (y1: number, y2: number, n: number) => {
      if (b2 === b) return (y1 * n) / b;
      const slope = Math.max((y2 - y1) / (b2 - b), (0.5 * y2) / b2);
      return Math.max(0, y2 + slope * (n - b2));
    };
    const gradientSeconds = t2.grad;
    const optimizerSeconds = (t1.opt + t2.opt) / 2;
    const forwardSeconds = t2.fwd;

    const scale = batchSize / b;
    const evalBatch = 2 * batchSize;
    const forwardPerExample = extrapolate(t1.fwd, t2.fwd, evalBatch) / evalBatch;
    const secondsPerStep = input.mode === 'probe' ? 0 : schedule.accumulate * extrapolate(t1.grad, t2.grad, batchSize) + optimizerSeconds;
    const evaluations = input.mode === 'probe' ? 1 : Math.floor(schedule.totalSteps / schedule.evalEvery) + (schedule.totalSteps % schedule.evalEvery ? 1 : 0);
    const trainSeconds = input.mode === 'probe' ? forwardPerExample * input.examples : secondsPerStep * schedule.totalSteps;
    const evalSeconds = forwardPerExample * (evaluations * devExamples + testExamples);
    const bytes = 4;
    const memory = {
      parameterBytes: total * bytes,
      gradientBytes: input.mode === 'probe' ? 0 : trainable * bytes,
      optimizerBytes: input.mode === 'probe' ? 0 : 2 * trainable * bytes,
      // Evaluation batches are 2x the training batch but keep no activations for a backward pass.
      activationBytes: Math.max(0, activationBytes) * scale,
    };
    return {
      seconds: trainSeconds + evalSeconds,
      trainSeconds,
      evalSeconds,
      secondsPerStep,
      totalSteps: input.mode === 'probe' ? 0 : schedule.totalSteps,
      peakBytes: memory.parameterBytes + memory.gradientBytes + memory.optimizerBytes + memory.activationBytes,
      memory,
      parameters: { total, trainable },
      measured: { backend: tf.getBackend(), batch: b2, seqLen, gradientSeconds, optimizerSeconds, forwardSeconds, activationBytes: Math.max(0, activationBytes), spread: Math.max(t1.spread, t2.spread) },
    };
  } finally {
    optimizer?.dispose();
    tf.dispose([small.ids, small.labels, large.ids, large.labels]);
    lora?.dispose();
    model.dispose();
  }
}
