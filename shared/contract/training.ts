// Fine-tuning runs: a dataset + a model + settings -> a job in a separate process whose curves,
// checkpoints, test metrics and saved model live in the project. Progress also arrives live on
// the `run.metrics` event channel (curve points) and `job.progress` (step, ETA).
import { z } from 'zod';
import { method } from './define';
import { FilePath } from './projects';

export const FinetuneMode = z.enum(['full', 'lora', 'probe']);
export type FinetuneMode = z.infer<typeof FinetuneMode>;

const positiveInt = (what: string) => z.number().int(`${what} must be a whole number`).positive(`${what} must be at least 1`);

/** Settings a user can change; everything has a default from DNABERT-2's fine-tuning protocol. */
export const TrainingSettings = z.object({
  mode: FinetuneMode.default('full'),
  lr: z.number().positive('The learning rate must be above 0').max(1, 'A learning rate above 1 diverges').default(3e-5),
  batchSize: positiveInt('Batch size').max(4096).default(32),
  accumulate: positiveInt('Gradient accumulation').max(1024).default(1),
  epochs: z.number().positive('Epochs must be above 0').max(1000).default(3),
  maxSteps: positiveInt('Max steps').optional(),
  warmupSteps: z.number().int().nonnegative().optional(),
  weightDecay: z.number().nonnegative().max(1).default(0.01),
  evalEvery: positiveInt('Evaluate every').optional(),
  maxLength: positiveInt('Max tokens').max(100000).optional(),
  classWeights: z.enum(['none', 'balanced']).default('none'),
  earlyStoppingPatience: z.number().int().positive().nullable().default(null),
  seed: z.number().int().nonnegative().default(42),
  lora: z
    .object({
      rank: positiveInt('LoRA rank').max(256).default(8),
      alpha: z.number().positive().default(16),
      dropout: z.number().min(0).max(0.9).default(0.05),
      targets: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  probe: z.object({ pooling: z.enum(['pooler', 'cls', 'mean']).default('pooler') }).optional(),
  backend: z.enum(['auto', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']).default('auto'),
});
export type TrainingSettings = z.infer<typeof TrainingSettings>;

export const RunState = z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted']);

export const Estimate = z.object({
  backend: z.string(),
  totalSteps: z.number().int(),
  stepsPerEpoch: z.number().int(),
  seconds: z.number(),
  secondsPerEpoch: z.number(),
  tokensPerSecond: z.number(),
  peakMemoryBytes: z.number(),
  maxLength: z.number().int(),
  /** How the estimate was made, e.g. "measured 3 steps of batch 8 on wasm, scaled". */
  basis: z.string(),
  /** What the run does, in order, with the time of each (they add up to `seconds`). */
  phases: z.array(z.object({ label: z.string(), seconds: z.number() })).optional(),
  /** How sure: the total probably lies between these (from the measurement's step-to-step spread, at least ±25%). */
  range: z.object({ low: z.number(), high: z.number() }).optional(),
  warnings: z.array(z.string()),
});
export type Estimate = z.infer<typeof Estimate>;

export const CurvePoint = z.object({ x: z.number(), y: z.number() });

export const TestMetrics = z.object({
  mcc: z.number(),
  accuracy: z.number(),
  f1Macro: z.number(),
  precisionMacro: z.number(),
  recallMacro: z.number(),
  auroc: z.number().nullable(),
  auprc: z.number().nullable(),
  perClass: z.array(z.object({ name: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int() })),
  /** confusion[trueClass][predictedClass] */
  confusion: z.array(z.array(z.number().int())),
  /** Binary (or one-vs-rest of the positive class) curves, thinned for plotting. */
  roc: z.array(CurvePoint),
  pr: z.array(CurvePoint),
});
export type TestMetrics = z.infer<typeof TestMetrics>;

/** Runs, datasets and models are rows of the project: whole-number ids, as in datasets.* and models.* (scans share runs' numbering). */
const Id = z.number({ error: 'An id (a whole number) is required' }).int('An id is a whole number').positive('Ids start at 1');

export const RunSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  state: RunState,
  jobId: z.string().nullable(),
  /** Null once the dataset (or model) has been deleted; the name stays. */
  datasetId: z.number().int().nullable(),
  datasetName: z.string(),
  modelId: z.number().int().nullable(),
  modelName: z.string(),
  mode: FinetuneMode,
  classNames: z.array(z.string()),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  step: z.number().int().nullable(),
  totalSteps: z.number().int().nullable(),
  bestStep: z.number().int().nullable(),
  bestDevLoss: z.number().nullable(),
  testMcc: z.number().nullable(),
  testF1: z.number().nullable(),
  /** The fine-tuned model saved in the project when the run finished. */
  outputModelId: z.number().int().nullable(),
  backend: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

const TestExample = z.object({
  index: z.number().int(),
  sequence: z.string(),
  label: z.string(),
  predicted: z.string(),
  confidence: z.number(),
  /** Where the example came from on the genome (BED coordinates); absent for imported sequences or a removed dataset. */
  locus: z.object({ chrom: z.string(), start: z.number().int(), end: z.number().int(), strand: z.enum(['+', '-', '.']).nullable() }).optional(),
  /** How the dataset labelled it: positive (a region set), background, shuffled or imported. */
  origin: z.string().optional(),
});

export const RunDetail = RunSummary.extend({
  settings: TrainingSettings,
  /** Training curve: one point per logged step. */
  train: z.array(z.object({ step: z.number().int(), loss: z.number(), lr: z.number(), tokensPerSecond: z.number().nullable() })),
  /** Dev evaluations. */
  dev: z.array(z.object({ step: z.number().int(), loss: z.number(), mcc: z.number().nullable(), accuracy: z.number().nullable(), f1: z.number().nullable() })),
  checkpoints: z.array(z.object({ step: z.number().int(), devLoss: z.number().nullable(), best: z.boolean() })),
  test: TestMetrics.nullable(),
  /** Test examples the chosen model gets most wrong (highest probability on a wrong class). */
  mostWrong: z.array(TestExample),
  /** Correct test predictions with the highest probability (runs stored before reports have none). */
  mostConfident: z.array(TestExample),
  throughput: z.object({ tokensPerSecond: z.number().nullable(), secondsPerEpoch: z.number().nullable() }),
  error: z.string().nullable(),
});
export type RunDetail = z.infer<typeof RunDetail>;

const RunRef = z.object({ project: FilePath, runId: Id }).strict();
const RunInput = z.object({
  project: FilePath,
  datasetId: z.number({ error: 'Pick a dataset' }).int().positive('Pick a dataset'),
  modelId: z.number({ error: 'Pick a model' }).int().positive('Pick a model'),
  settings: TrainingSettings.default(TrainingSettings.parse({})),
});

/** A model's fine-tuning defaults and where each comes from (see shared/training-defaults.ts). */
export const ModelDefaults = z.object({
  settings: TrainingSettings,
  /** model-card | baseline | size-large | size-medium | size-small */
  profile: z.string(),
  /** For people: where these defaults come from. */
  source: z.string(),
  /** Per setting (lr, batchSize, epochs, maxSteps, warmupSteps, evalEvery, weightDecay): where its value comes from. */
  sources: z.record(z.string(), z.string()),
});
export type ModelDefaults = z.infer<typeof ModelDefaults>;

export const trainingMethods = {
  'training.defaults': method(z.object({}).strict(), TrainingSettings, 'The default fine-tuning settings (DNABERT-2 protocol).'),
  'training.modelDefaults': method(
    z.object({ project: FilePath, modelId: Id }).strict(),
    ModelDefaults,
    "The fine-tuning defaults of one model (its card's validated settings, else by family and size) and where each comes from.",
  ),
  'training.estimate': method(RunInput.strict(), Estimate, 'Time and memory a run would take on this machine, from a short measured benchmark.'),
  'training.start': method(
    RunInput.extend({ name: z.string().trim().min(1).max(120).optional() }).strict(),
    RunSummary,
    'Start fine-tuning in the background; progress arrives on run.metrics and job.progress.',
  ),
  'training.list': method(z.object({ project: FilePath }).strict(), z.array(RunSummary), "A project's fine-tuning runs, newest first."),
  'training.get': method(RunRef, RunDetail, 'One run: settings, curves, checkpoints, test metrics, the examples it gets most wrong.'),
  'training.cancel': method(RunRef, RunSummary, 'Stop a run for good (keeps its best checkpoint so far).'),
  'training.pause': method(RunRef, RunSummary, 'Pause a run at a checkpoint; resume continues from there.'),
  'training.resume': method(RunRef, RunSummary, 'Resume a paused, interrupted or failed run from its last checkpoint.'),
  'training.remove': method(RunRef.extend({ removeModel: z.boolean().default(false) }).strict(), z.object({ ok: z.literal(true) }), 'Delete a run (and optionally the model it produced).'),
};
