// finetune(): a sequence classifier from a pretrained encoder and labelled sequences, as a pure
// async function the job runner calls. Full fine-tuning and LoRA run the shared trainer
// (main/engine/train) with the lowest-dev-loss checkpoint kept; the linear probe fits a logistic
// head on cached embeddings. The result carries the dev history, test metrics and per-example test
// scores of the chosen checkpoint, and the exported model folder (config.json with id2label,
// tokenizer, model.safetensors: a plain checkpoint, LoRA merged).
//
// checkpointDir layout:
//   finetune.json        what the run was started with (resume refuses other data or options)
//   dev-history.json     metrics of every dev evaluation so far
//   train/               the trainer's state (latest.json, state-N.safetensors, best.safetensors)
//   probe-cache/         linear-probe embeddings, keyed by model + data hash
//   model/               the exported model (unless outDir says otherwise)
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '../train/tf';
import { ensureGradients, evaluate, readSidecar, ShuffledBatches, train, type LossContext, type Progress } from '../train';
import { writeJsonAtomic } from '../train/state';
import { loadModelFolder, readSafetensorsFile, saveModelFolder, toFloat32 } from '../checkpoint';
import type { EncoderModel } from '../model/encoder';
import { loadTokenizer } from '../tokenizers';
import type { DnaTokenizer } from '../tokenizers/types';
import { classificationMetrics, type ClassificationMetrics } from '../metrics';
import { Prng } from '../train/prng';
import {
  checkExamples,
  chooseMaxLength,
  classCounts,
  encodeExamples,
  FinetuneDataError,
  inverseFrequencyWeights,
  makeBatch,
  sequentialBatches,
  type ClassifierBatch,
  type EncodedSet,
  type LabelledExample,
} from './data';
import { crossEntropy, softmaxRows } from './loss';
import { attachLora, type LoraModel } from './lora';
import { FINETUNE_DEFAULTS, resolveSchedule, type FinetuneMode, type FinetuneOptions } from './options';
import { cachedEmbeddings, embed, fitProbe, modelFingerprint, predictProbe, sequencesHash } from './probe';
import { foldStandardisation } from './logistic';

export interface FinetuneData {
  train: readonly LabelledExample[];
  /** Picks the checkpoint; when empty, 10% of train is held out (seeded). */
  dev: readonly LabelledExample[];
  /** Reported once, on the chosen checkpoint; may be empty. */
  test: readonly LabelledExample[];
  /** Class names in label-index order. */
  classNames: readonly string[];
}

export type FinetunePhase = 'prepare' | 'embed' | 'train' | 'test' | 'save';

export interface FinetuneProgress {
  phase: FinetunePhase;
  /** Of the current phase, 0..1. */
  fraction: number;
  step?: number;
  totalSteps?: number;
  loss?: number;
  lr?: number;
  tokensPerSec?: number;
  etaSeconds?: number;
}

export interface FinetuneArgs {
  /** A model folder (config.json + model.safetensors + tokenizer); or pass `model` + `tokenizer`. */
  modelDir?: string;
  /** An encoder with a classifier head of classNames.length classes (it is trained in place). */
  model?: EncoderModel;
  /** Default: the tokenizer of modelDir. */
  tokenizer?: DnaTokenizer;
  data: FinetuneData;
  options?: FinetuneOptions;
  checkpointDir: string;
  /** Exported model folder; default checkpointDir/model. */
  outDir?: string;
  /** Continue from checkpointDir's saved state (default false: start over, clearing the old state). */
  resume?: boolean;
  onProgress?: (p: FinetuneProgress) => void;
  onLog?: (message: string) => void;
  signal?: AbortSignal;
}

export interface DevRecord {
  step: number;
  loss: number;
  mcc?: number;
  accuracy?: number;
  f1?: number;
  auroc?: number | null;
  /** Linear probe: the L2 strength of this fit. */
  l2?: number;
}

export interface TestPrediction {
  /** Index in data.test. */
  index: number;
  label: number;
  predicted: number;
  /** Softmax probabilities, one per class. */
  probabilities: number[];
  /** Cross-entropy of the true class: sort by it (descending) for the examples the model gets most wrong. */
  loss: number;
}

export interface FinetuneResult {
  mode: FinetuneMode;
  /** The user's signal stopped the run; resume with `resume: true`. */
  cancelled: boolean;
  stoppedEarly: boolean;
  steps: number;
  totalSteps: number;
  resumedFrom: number;
  bestStep: number | null;
  bestDevLoss: number | null;
  devHistory: DevRecord[];
  /** Training loss per optimizer step. */
  trainLoss: number[];
  testMetrics: ClassificationMetrics | null;
  testPredictions: TestPrediction[] | null;
  modelOut: string | null;
  maxLength: number;
  classWeights: number[] | null;
  trainableParameters: number;
  /** Wall time of the training (or embedding) phase and its throughput. */
  trainSeconds: number;
  examplesPerSecond: number;
  tokensPerSecond: number;
}

interface RunDescriptor {
  format: 'loci-finetune';
  version: 1;
  mode: FinetuneMode;
  dataHash: string;
  options: unknown;
}

const isAbort = (e: unknown) => e instanceof Error && (e.name === 'AbortError' || (e as { code?: string }).code === 'ABORT_ERR');

function hashData(data: FinetuneData): string {
  const h = createHash('sha256');
  for (const split of [data.train, data.dev, data.test]) {
    h.update(`${split.length}\n`);
    for (const e of split) h.update(`${e.label}\t${e.sequence}\n`);
  }
  h.update(JSON.stringify(data.classNames));
  return h.digest('hex');
}

async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/** Holds out a seeded 10% of train when no dev set is given. */
function splitDev(data: FinetuneData, seed: number): { train: LabelledExample[]; dev: LabelledExample[] } {
  const order = new Prng(seed ^ 0x5eed).shuffle(data.train.map((_, i) => i));
  const nDev = Math.max(1, Math.round(data.train.length * 0.1));
  const devIdx = new Set(order.slice(0, nDev));
  return { train: data.train.filter((_, i) => !devIdx.has(i)), dev: data.train.filter((_, i) => devIdx.has(i)) };
}

function toInputs(b: ClassifierBatch) {
  return { inputIds: tf.tensor2d(b.ids, [b.size, b.length], 'int32'), attentionMask: tf.tensor2d(b.mask, [b.size, b.length], 'int32') };
}

function testPredictionsOf(labels: Int32Array, probs: Float64Array, c: number): TestPrediction[] {
  return Array.from(labels, (label, index) => {
    const probabilities = Array.from(probs.subarray(index * c, index * c + c));
    let predicted = 0;
    for (let k = 1; k < c; k++) if (probabilities[k]! > probabilities[predicted]!) predicted = k;
    return { index, label, predicted, probabilities, loss: -Math.log(Math.max(probabilities[label]!, 1e-300)) };
  });
}

/** The examples the model gets most wrong: highest loss on the true class first. */
export function mostWrong(predictions: readonly TestPrediction[], k: number): TestPrediction[] {
  return [...predictions].sort((a, b) => b.loss - a.loss).slice(0, k);
}

function devRecord(step: number, loss: number, m: ClassificationMetrics): DevRecord {
  return { step, loss, mcc: m.mcc, accuracy: m.accuracy, f1: m.f1.macro, auroc: m.auroc };
}

export async function finetune(args: FinetuneArgs): Promise<FinetuneResult> {
  const o = args.options ?? {};
  const mode = o.mode ?? FINETUNE_DEFAULTS.mode;
  const seed = o.seed ?? FINETUNE_DEFAULTS.seed;
  const log = (m: string) => args.onLog?.(m);
  const progress = (p: FinetuneProgress) => args.onProgress?.(p);
  const numClasses = args.data.classNames.length;
  if (numClasses < 2) throw new FinetuneDataError(`fine-tuning needs at least 2 classes, got ${numClasses}`);
  checkExamples('train', args.data.train, numClasses);
  checkExamples('dev', args.data.dev, numClasses);
  checkExamples('test', args.data.test, numClasses);
  if (args.data.train.length < 2) throw new FinetuneDataError(`fine-tuning needs training examples, got ${args.data.train.length}`);
  if (!args.modelDir && !args.model) throw new Error('finetune: give modelDir or model');
  if (args.model && !args.tokenizer) throw new Error('finetune: a model passed in needs its tokenizer');
  await ensureGradients();

  let { train: trainEx, dev: devEx } = { train: [...args.data.train], dev: [...args.data.dev] };
  if (devEx.length === 0) {
    ({ train: trainEx, dev: devEx } = splitDev(args.data, seed));
    log(`no dev set given: held out ${devEx.length} of the ${args.data.train.length} training examples (seed ${seed})`);
  }

  // The run descriptor: resuming with other data or options would silently mix two runs.
  const dir = args.checkpointDir;
  await mkdir(dir, { recursive: true });
  const descriptorPath = join(dir, 'finetune.json');
  const historyPath = join(dir, 'dev-history.json');
  const trainDir = join(dir, 'train');
  const descriptor: RunDescriptor = { format: 'loci-finetune', version: 1, mode, dataHash: hashData(args.data), options: JSON.parse(JSON.stringify(o, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v))) };
  if (args.resume) {
    const previous = await readJson<RunDescriptor>(descriptorPath);
    if (previous && (previous.dataHash !== descriptor.dataHash || JSON.stringify(previous.options) !== JSON.stringify(descriptor.options))) {
      throw new Error(`${descriptorPath}: the saved run used other ${previous.dataHash !== descriptor.dataHash ? 'data' : 'options'}; start over (resume: false) or pass the same ones`);
    }
  } else {
    await rm(trainDir, { recursive: true, force: true });
    await rm(historyPath, { force: true });
  }
  await writeJsonAtomic(descriptorPath, descriptor);
  // The trainer writes best.safetensors at the first evaluation, possibly before its first state save.
  await mkdir(trainDir, { recursive: true });

  // Model and tokenizer.
  progress({ phase: 'prepare', fraction: 0 });
  let model: EncoderModel;
  let ownsModel = false;
  let freshPooler = false;
  if (args.model) {
    model = args.model;
    if (!model.heads.classifier || model.config.numLabels !== numClasses) {
      throw new Error(`finetune: the model needs a classifier head with ${numClasses} classes (has ${model.heads.classifier ? model.config.numLabels : 'none'})`);
    }
  } else {
    const loaded = await loadModelFolder(args.modelDir!, { heads: { classifier: true, pooler: true, mlm: false }, numLabels: numClasses, seed, signal: args.signal });
    model = loaded.model;
    ownsModel = true;
    freshPooler = loaded.report.initialized.some((n) => n.startsWith('bert.pooler.'));
    log(`loaded ${args.modelDir}: ${loaded.report.loaded.length} tensors; new: ${loaded.report.initialized.join(', ') || 'none'}`);
  }
  let lora: LoraModel | null = null;
  try {
    const tokenizer = args.tokenizer ?? (await loadTokenizer(args.modelDir!));
    const padId = tokenizer.specialIds.pad;
    const limit = model.architecture === 'bert' ? model.config.maxPositionEmbeddings : FINETUNE_DEFAULTS.dnabert2LengthLimit;
    const maxLength = o.maxLength ?? (await chooseMaxLength(tokenizer, trainEx.map((e) => e.sequence), { quantile: o.lengthQuantile ?? FINETUNE_DEFAULTS.lengthQuantile, limit, signal: args.signal }));
    if (maxLength > limit) throw new Error(`finetune: maxLength ${maxLength} exceeds this model's limit of ${limit} tokens`);
    const encode = async (name: string, ex: readonly LabelledExample[]) => {
      const set = await encodeExamples(tokenizer, ex, maxLength, { signal: args.signal });
      if (set.truncated) log(`${name}: ${set.truncated} of ${set.n} sequences truncated to ${maxLength} tokens`);
      return set;
    };
    const trainSet = await encode('train', trainEx);
    const devSet = await encode('dev', devEx);
    const testSet = args.data.test.length ? await encode('test', args.data.test) : null;
    log(`max length ${maxLength} tokens${o.maxLength ? '' : ` (${Math.round((o.lengthQuantile ?? FINETUNE_DEFAULTS.lengthQuantile) * 100)}th percentile of training lengths)`}`);
    const counts = classCounts(trainSet.labels, numClasses);
    log(`train ${trainSet.n}, dev ${devSet.n}, test ${testSet?.n ?? 0}; training classes ${args.data.classNames.map((c, i) => `${c}: ${counts[i]}`).join(', ')}`);

    let classWeights: number[] | null = null;
    if (o.classWeights === 'balanced') classWeights = inverseFrequencyWeights(trainSet.labels, numClasses);
    else if (Array.isArray(o.classWeights)) {
      if (o.classWeights.length !== numClasses || o.classWeights.some((w) => !(w >= 0))) throw new Error(`finetune: classWeights needs ${numClasses} non-negative numbers`);
      classWeights = [...o.classWeights];
    }
    if (classWeights) log(`class weights ${classWeights.map((w) => w.toFixed(3)).join(', ')}`);
    progress({ phase: 'prepare', fraction: 1 });

    const exportModel = async (): Promise<string> => {
      progress({ phase: 'save', fraction: 0 });
      const out = args.outDir ?? join(dir, 'model');
      const names = args.data.classNames;
      model.config.numLabels = numClasses;
      model.config.raw.id2label = Object.fromEntries(names.map((n, i) => [String(i), n]));
      model.config.raw.label2id = Object.fromEntries(names.map((n, i) => [n, i]));
      await saveModelFolder(model, out, { metadata: { loci_finetune_mode: mode } });
      await tokenizer.save(out);
      progress({ phase: 'save', fraction: 1 });
      log(`saved the fine-tuned model to ${out}`);
      return out;
    };
    const testOutputs = (probs: Float64Array, set: EncodedSet) => ({
      testMetrics: classificationMetrics({ labels: set.labels, numClasses, scores: probs }),
      testPredictions: testPredictionsOf(set.labels, probs, numClasses),
    });

    if (mode === 'probe') {
      const pooling = o.probe?.pooling ?? 'pooler';
      const started = performance.now();
      const key = createHash('sha256')
        .update(await modelFingerprint(model, tokenizer, pooling, maxLength))
        .update(sequencesHash({ train: trainEx.map((e) => e.sequence), dev: devEx.map((e) => e.sequence), test: args.data.test.map((e) => e.sequence) }))
        .digest('hex');
      const sets: Record<string, EncodedSet> = { train: trainSet, dev: devSet, ...(testSet && { test: testSet }) };
      const total = Object.values(sets).reduce((s, x) => s + x.n, 0);
      let before = 0;
      const evalBatch = o.evalBatchSize ?? 2 * (o.batchSize ?? FINETUNE_DEFAULTS.batchSize);
      let cache;
      try {
        cache = await cachedEmbeddings(join(dir, 'probe-cache'), key, model.config.hiddenSize, sets, (_name, set) => {
          const x = embed(model, set, pooling, padId, evalBatch, { signal: args.signal, onBatch: (done) => progress({ phase: 'embed', fraction: (before + done) / total }) });
          before += set.n;
          return x;
        });
      } catch (e) {
        if (isAbort(e) && args.signal?.aborted) return cancelledResult(mode, maxLength, classWeights, 0);
        throw e;
      }
      log(cache.reused ? `embeddings reused from ${cache.path}` : `embeddings cached in ${cache.path}`);
      const embedSeconds = (performance.now() - started) / 1000;
      const tokens = Object.values(sets).reduce((s, x) => s + x.lengths.reduce((a, b) => a + b, 0), 0);
      const d = model.config.hiddenSize;
      const fit = fitProbe({ x: cache.splits.get('train')!, labels: trainSet.labels }, { x: cache.splits.get('dev')!, labels: devSet.labels }, d, numClasses, classWeights, {
        l2: o.probe?.l2,
        signal: args.signal,
        onFit: (i, n) => progress({ phase: 'train', fraction: i / n }),
      });
      log(`logistic head: L2 ${fit.l2} chosen on dev (${fit.history.map((h) => `${h.l2}: ${h.devLoss.toFixed(4)}`).join(', ')})`);
      const devHistory: DevRecord[] = fit.history.map((h, i) => ({ step: i, loss: h.devLoss, l2: h.l2 }));
      const bestIndex = fit.history.findIndex((h) => h.l2 === fit.l2);
      const devProbs = predictProbe(fit.model, cache.splits.get('dev')!);
      Object.assign(devHistory[bestIndex]!, devRecord(bestIndex, devHistory[bestIndex]!.loss, classificationMetrics({ labels: devSet.labels, numClasses, scores: devProbs })), { l2: fit.l2 });
      const test = testSet ? testOutputs(predictProbe(fit.model, cache.splits.get('test')!), testSet) : { testMetrics: null, testPredictions: null };
      // The head as the model's classifier: exact for pooling 'pooler' (HF's classifier reads the pooler output).
      const { weight, bias } = foldStandardisation(fit.model);
      const params = model.params();
      params.get('classifier.weight')!.assign(tf.tensor2d(weight, [numClasses, d]));
      params.get('classifier.bias')!.assign(tf.tensor1d(bias));
      if (pooling !== 'pooler') {
        model.config.raw.loci_probe_pooling = pooling;
        log(`note: the exported classifier expects ${pooling} embeddings (config.json loci_probe_pooling), not the pooler output`);
      }
      const modelOut = await exportModel();
      return {
        mode,
        cancelled: false,
        stoppedEarly: false,
        steps: fit.history.length,
        totalSteps: fit.history.length,
        resumedFrom: 0,
        bestStep: bestIndex,
        bestDevLoss: fit.history[bestIndex]!.devLoss,
        devHistory,
        trainLoss: [],
        ...test,
        modelOut,
        maxLength,
        classWeights,
        trainableParameters: (d + 1) * numClasses,
        trainSeconds: embedSeconds,
        examplesPerSecond: cache.reused ? 0 : total / embedSeconds,
        tokensPerSecond: cache.reused ? 0 : tokens / embedSeconds,
      };
    }

    // Full fine-tuning or LoRA through the shared trainer.
    const schedule = resolveSchedule(trainSet.n, o);
    let params: Map<string, tf.Variable>;
    if (mode === 'lora') {
      lora = attachLora(model, { ...o.lora, seed: o.lora?.seed ?? seed });
      const trainPooler = o.lora?.trainPooler ?? freshPooler;
      params = new Map([...lora.params(), ...model.trainableParams((_n, g) => g === 'classifier' || (trainPooler && g === 'pooler'))]);
      log(`LoRA r ${o.lora?.r ?? 8}, alpha ${o.lora?.alpha ?? 16} on ${lora.adapters.length} modules (${lora.adapters[0]?.module}, ...); classifier${trainPooler ? ' and pooler' : ''} trained too`);
    } else if (mode === 'full') {
      params = model.trainableParams((_n, g) => g !== 'mlm');
    } else throw new Error(`finetune: unknown mode ${JSON.stringify(mode)}`);
    const trainableParameters = [...params.values()].reduce((s, p) => s + p.size, 0);
    log(`${mode}: ${trainableParameters.toLocaleString('en-US')} trainable parameters; ${schedule.totalSteps} steps of ${schedule.batchSize * schedule.accumulate} (${schedule.stepsPerEpoch} per epoch), warm-up ${schedule.warmupSteps}, dev every ${schedule.evalEvery}`);

    const weightsTensor = classWeights;
    const lossFn = (b: ClassifierBatch, ctx: LossContext): tf.Scalar =>
      tf.tidy(() => {
        lora?.setMode(ctx.training, ctx.seed);
        const out = model.forward(toInputs(b), { training: ctx.training, seed: ctx.seed, mlm: false, classifier: true });
        return crossEntropy(out.logits!, tf.tensor1d(b.labels, 'int32'), weightsTensor);
      });
    const evalBatchSize = o.evalBatchSize ?? 2 * schedule.batchSize;
    const predictSplit = (set: EncodedSet, signal?: AbortSignal) =>
      evaluate(
        sequentialBatches(set, evalBatchSize, padId),
        (b) => {
          const logits = (() => {
            lora?.setMode(false);
            return model.forward(toInputs(b), { training: false, mlm: false, classifier: true }).logits!;
          })();
          return { loss: crossEntropy(logits, tf.tensor1d(b.labels, 'int32'), weightsTensor), count: b.size, predictions: logits };
        },
        signal,
      );

    // Dev history and early stopping survive a resume through dev-history.json.
    const sidecar = args.resume ? await readSidecar(trainDir) : null;
    const devHistory: DevRecord[] = ((await readJson<DevRecord[]>(historyPath)) ?? []).filter((r) => sidecar && r.step <= sidecar.step);
    const patience = o.earlyStoppingPatience ?? null;
    const sinceBest = () => {
      if (devHistory.length === 0) return 0;
      let bestAt = 0;
      devHistory.forEach((r, i) => r.loss < devHistory[bestAt]!.loss && (bestAt = i));
      return devHistory.length - 1 - bestAt;
    };
    let stoppedEarly = patience !== null && sinceBest() >= patience;
    const internal = new AbortController();
    const signal = args.signal ? AbortSignal.any([args.signal, internal.signal]) : internal.signal;
    let lastDev: DevRecord | null = null;
    let historyWrites: Promise<void> = Promise.resolve();
    let lastProgress: Progress | null = null;
    const started = performance.now();

    const result = await train<ClassifierBatch>({
      params,
      lossFn,
      data: new ShuffledBatches({ size: trainSet.n, batchSize: schedule.batchSize, seed, makeBatch: (idx) => makeBatch(trainSet, idx, padId) }),
      evalFn: () => {
        // No signal here: an evaluation always completes, the trainer checks for cancel between steps.
        const r = predictSplit(devSet);
        const probs = softmaxRows(r.predictions);
        lastDev = devRecord(-1, r.loss, classificationMetrics({ labels: devSet.labels, numClasses, scores: probs }));
        return { loss: r.loss };
      },
      options: {
        lr: o.lr ?? FINETUNE_DEFAULTS.lr,
        totalSteps: stoppedEarly && sidecar ? sidecar.step : schedule.totalSteps,
        warmupSteps: schedule.warmupSteps,
        weightDecay: o.weightDecay ?? FINETUNE_DEFAULTS.weightDecay,
        clip: o.clip === undefined ? FINETUNE_DEFAULTS.clip : o.clip,
        accumulate: schedule.accumulate,
        evalEvery: schedule.evalEvery,
        seed,
        checkpointDir: trainDir,
        resume: args.resume ?? false,
      },
      countTokens: (b) => b.tokens,
      onProgress: (p) => {
        lastProgress = p;
        if (o.timeLimitSeconds !== undefined && !internal.signal.aborted && performance.now() - started > o.timeLimitSeconds * 1000) {
          stoppedEarly = true;
          log(`time limit: stopping after ${o.timeLimitSeconds} s at step ${p.step}`);
          internal.abort();
        }
        progress({ phase: 'train', fraction: p.step / p.totalSteps, step: p.step, totalSteps: p.totalSteps, loss: p.loss, lr: p.lr, tokensPerSec: p.tokensPerSec, etaSeconds: p.etaSeconds });
      },
      onEval: (e) => {
        const rec: DevRecord = { ...(lastDev as DevRecord | null), step: e.step, loss: e.loss };
        devHistory.push(rec);
        log(`step ${e.step}: dev loss ${e.loss.toFixed(4)}, MCC ${rec.mcc?.toFixed(3)}, accuracy ${rec.accuracy?.toFixed(3)}${e.best ? ' (best so far)' : ''}`);
        // Written before the trainer's checkpoint of this step; a resume drops records past its step.
        const snapshot = [...devHistory];
        historyWrites = historyWrites.then(() => writeJsonAtomic(historyPath, snapshot)).catch((err: Error) => log(`could not write ${historyPath}: ${err.message}`));
        if (patience !== null && sinceBest() >= patience && !internal.signal.aborted) {
          stoppedEarly = true;
          log(`early stopping: no lower dev loss in ${patience} evaluations`);
          internal.abort();
        }
      },
      signal,
    });
    const trainSeconds = (performance.now() - started) / 1000;
    await historyWrites;
    await writeJsonAtomic(historyPath, devHistory);
    const stepsRun = result.step - result.resumedFrom;
    const examplesPerSecond = trainSeconds > 0 ? (stepsRun * schedule.batchSize * schedule.accumulate) / trainSeconds : 0;
    const tokensPerSecond = (lastProgress as Progress | null)?.tokensPerSec ?? 0;
    const base = {
      mode,
      steps: result.step,
      totalSteps: schedule.totalSteps,
      resumedFrom: result.resumedFrom,
      bestStep: result.best?.step ?? null,
      bestDevLoss: result.best?.loss ?? null,
      devHistory,
      trainLoss: result.history.map((h) => h.loss),
      maxLength,
      classWeights,
      trainableParameters,
      trainSeconds,
      examplesPerSecond,
      tokensPerSecond,
    };
    if (result.cancelled && !stoppedEarly) {
      log(`cancelled at step ${result.step}; the state in ${trainDir} resumes it`);
      return { ...base, cancelled: true, stoppedEarly: false, testMetrics: null, testPredictions: null, modelOut: null };
    }

    // Back to the lowest-dev-loss checkpoint, then test and export.
    if (result.bestPath) {
      const best = await readSafetensorsFile(result.bestPath);
      for (const [name, p] of params) {
        const e = best.tensors.get(name);
        if (!e) throw new Error(`${result.bestPath}: tensor ${name} is missing`);
        const t = tf.tensor(toFloat32(e, result.bestPath), p.shape, 'float32');
        p.assign(t);
        t.dispose();
      }
      log(`restored the checkpoint of step ${result.best?.step} (dev loss ${result.best?.loss.toFixed(4)})`);
    }
    let test: { testMetrics: ClassificationMetrics | null; testPredictions: TestPrediction[] | null } = { testMetrics: null, testPredictions: null };
    if (testSet) {
      progress({ phase: 'test', fraction: 0 });
      test = testOutputs(softmaxRows(predictSplit(testSet, args.signal).predictions), testSet);
      progress({ phase: 'test', fraction: 1 });
      log(`test: MCC ${test.testMetrics!.mcc.toFixed(3)}, accuracy ${test.testMetrics!.accuracy.toFixed(3)}, F1 ${test.testMetrics!.f1.macro.toFixed(3)}`);
    }
    if (lora) {
      lora.merge();
      lora.dispose();
      lora = null;
    }
    const modelOut = await exportModel();
    return { ...base, cancelled: false, stoppedEarly, ...test, modelOut };
  } finally {
    lora?.dispose();
    if (ownsModel) model.dispose();
  }
}

function cancelledResult(mode: FinetuneMode, maxLength: number, classWeights: number[] | null, trainableParameters: number): FinetuneResult {
  return {
    mode,
    cancelled: true,
    stoppedEarly: false,
    steps: 0,
    totalSteps: 0,
    resumedFrom: 0,
    bestStep: null,
    bestDevLoss: null,
    devHistory: [],
    trainLoss: [],
    testMetrics: null,
    testPredictions: null,
    modelOut: null,
    maxLength,
    classWeights,
    trainableParameters,
    trainSeconds: 0,
    examplesPerSecond: 0,
    tokensPerSecond: 0,
  };
}
