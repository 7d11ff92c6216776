// training.*: fine-tuning runs (see shared/contract/training.ts). A run is a row in the project's
// `runs` table plus one `finetune` job (main/engine/finetune/job.ts) that does the work in a worker
// process; the run keeps its id (and its job) across pauses, crashes and resumes.
//
// How the pieces talk:
// - training.start checks the dataset and the model, records the run, writes the examples to a
//   file of the run's own (<dataDir>/runs/...; the worker never opens the project) and starts the job.
// - The worker appends curve points to run-metrics.jsonl in the job's folder. Here, every
//   job.progress event of a finetune job (at most 10 per second) tails that file into run_metrics
//   and republishes the new points on `run.metrics`; every job state is mirrored into the run.
// - When the job's worker finishes, the job-result mechanism (main/jobs/results.ts) stores its
//   result.json (test metrics, most-wrong examples, throughput) in the run and records its model
//   folder as a `finetuned` model of the project, in the transaction that marks the job done: once,
//   whoever started or resumed the run (the app, the CLI, a Loci started after a crash).
// Following the job (metrics, states) happens on the bus, not where a request waits, so a run
// resumed from the Jobs page or the CLI is followed the same way.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError, issuesMessage, type FieldIssue } from '../../shared/contract/errors';
import type { JobProgress } from '../../shared/contract/events';
import type { JobInfo, JobState } from '../../shared/contract/jobs';
import type { ProjectModel } from '../../shared/contract/models';
import { TrainingSettings, type Estimate, type ModelDefaults, type RunDetail, type RunSummary, type TestMetrics } from '../../shared/contract/training';
import { modelTrainingDefaults } from '../../shared/training-defaults';
import { finetuneKind, type FinetuneJobParams, type MetricsLine, type RunDataFile, type RunResultFile } from '../engine/finetune/protocol';
import type { FinetuneOptions } from '../engine/finetune/options';
import { jobRunner, registerResultStore, startJob, waitForJob } from '../jobs/index';
import { getDatasetRow, type DatasetRow, type SplitName } from '../store/data-repo';
import { touchModified } from '../store/meta';
import { addModel, getModelRow, type NewModelRow } from '../store/model-repo';
import type { Db } from '../store/project-file';
import {
  deleteRunRow,
  dropMetricsAfter,
  getRunRow,
  insertRun,
  listRunRows,
  putMetrics,
  runByJob,
  runMetrics,
  updateRun,
  type MetricPoint,
  type RetrainOf,
  type RunRow,
  type RunStateName,
} from '../store/run-repo';
import type { AppContext } from './context';
import type { Services } from './dispatch';
import { createModelServices, modelRowOfFolder, ownModelsDir } from './models';
import { existingPath, projectDb, slugify } from './projects';
import type { fitProbe as FitProbe } from '../engine/finetune/index';
import type { Prng as PrngClass } from '../engine/train/index';

type TrainingServices = Pick<Services, Extract<keyof Services, `training.${string}`>>;

const KIND = finetuneKind.kind;
const METRICS_FILE = finetuneKind.files.metrics;
const RESULT_FILE = finetuneKind.files.result;
/** The examples file the service writes in the run's folder for the worker (params.dataPath). */
const DATA_FILE = 'data.json';
/** FINETUNE_DEFAULTS.dnabert2LengthLimit, without loading the engine here. */
const DNABERT2_LENGTH_LIMIT = 512;
/** A run in these states follows its job no more (a failed job can be resumed, so `failed` is not here). */
const FINAL_STATES: readonly RunStateName[] = ['done', 'cancelled'];

function invalid(issues: FieldIssue[]): ApiError {
  return new ApiError({ code: 'invalid_input', message: issuesMessage(issues), issues });
}

function now(): string {
  return new Date().toISOString();
}

// ---------------------------------------------------------------- checking a dataset and a model

interface SplitCounts {
  train: number;
  dev: number;
  test: number;
  /** Training examples per class index. */
  trainPerClass: Map<number, number>;
  emptySequences: number;
}

function splitCounts(db: Db, datasetId: number): SplitCounts {
  const rows = db
    .prepare(`SELECT split, label_index AS k, COUNT(*) AS n, SUM(sequence IS NULL OR sequence = '') AS empty FROM dataset_items WHERE dataset_id = ? GROUP BY split, label_index`)
    .all(datasetId) as { split: SplitName; k: number | null; n: number; empty: number }[];
  const c: SplitCounts = { train: 0, dev: 0, test: 0, trainPerClass: new Map(), emptySequences: 0 };
  for (const r of rows) {
    c[r.split] += r.n;
    c.emptySequences += r.empty;
    if (r.split === 'train') c.trainPerClass.set(r.k ?? 0, (c.trainPerClass.get(r.k ?? 0) ?? 0) + r.n);
  }
  return c;
}

interface Checked {
  dataset: DatasetRow;
  counts: SplitCounts;
  model: ProjectModel;
  modelDir: string;
  settings: TrainingSettings;
}

/** Everything that can be known wrong before a run starts, as field-level messages. */
async function check(ctx: AppContext, project: string, input: { datasetId: number; modelId: number; settings: TrainingSettings }): Promise<Checked> {
  const db = projectDb(ctx, project);
  const issues: FieldIssue[] = [];
  const settings = input.settings;
  const dataset = getDatasetRow(db, input.datasetId);
  let counts: SplitCounts | null = null;
  if (!dataset) {
    issues.push({ path: 'datasetId', message: `No dataset with id ${input.datasetId} in this project` });
  } else {
    counts = splitCounts(db, dataset.id);
    const classes = dataset.classes.length;
    if (classes < 2) issues.push({ path: 'datasetId', message: `"${dataset.name}" has ${classes} class${classes === 1 ? '' : 'es'}; fine-tuning a classifier needs at least 2` });
    else if (counts.train < 2) issues.push({ path: 'datasetId', message: `"${dataset.name}" has ${counts.train} training example${counts.train === 1 ? '' : 's'}; it needs at least 2` });
    else {
      const missing = dataset.classes.filter((_, k) => !counts!.trainPerClass.get(k));
      if (missing.length > classes - 2) issues.push({ path: 'datasetId', message: `"${dataset.name}" has training examples of only ${classes - missing.length} class: none of ${missing.join(', ')}` });
    }
    if (counts.emptySequences > 0) issues.push({ path: 'datasetId', message: `"${dataset.name}" has ${counts.emptySequences} example(s) without a sequence; rebuild it` });
  }

  const modelRow = getModelRow(db, input.modelId);
  let model: ProjectModel | null = null;
  if (!modelRow) {
    issues.push({ path: 'modelId', message: `No model with id ${input.modelId} in this project` });
  } else {
    model = await createModelServices(ctx)['models.get']({ project, id: modelRow.id });
    const shape = model.shape;
    if (model.status !== 'ok' || !model.path) issues.push({ path: 'modelId', message: `"${model.name}" cannot be used: ${model.statusDetail}` });
    else if (shape.tokenizer.kind === 'none') issues.push({ path: 'modelId', message: `"${model.name}" has no tokenizer (tokenizer.json or vocab.txt) in ${model.path}` });
    else if (shape.tokenizer.vocabSize !== null && shape.tokenizer.vocabSize > shape.vocabSize) {
      issues.push({ path: 'modelId', message: `"${model.name}": its tokenizer has ${shape.tokenizer.vocabSize} tokens but the model only ${shape.vocabSize}; they do not belong together` });
    }
    if (dataset && shape.hasClassifier && shape.numLabels !== null && shape.numLabels !== dataset.classes.length) {
      issues.push({ path: 'modelId', message: `"${model.name}" already has a classifier for ${shape.numLabels} classes; "${dataset.name}" has ${dataset.classes.length}. Start from the model it was fine-tuned from` });
    }
    // DNABERT-2 (ALiBi) has no hard limit, but the engine stops at 512 tokens (attention cost).
    const limit = shape.architecture === 'bert' ? shape.maxLength : DNABERT2_LENGTH_LIMIT;
    if (settings.maxLength !== undefined && settings.maxLength > limit) {
      issues.push({ path: 'settings.maxLength', message: `"${model.name}" reads at most ${limit} tokens${shape.architecture === 'bert' ? ' (learned positions)' : ''}; got ${settings.maxLength}` });
    }
  }
  if (settings.mode !== 'lora' && settings.lora) issues.push({ path: 'settings.lora', message: `LoRA settings apply to mode "lora" only (mode is "${settings.mode}")` });
  if (settings.mode !== 'probe' && settings.probe) issues.push({ path: 'settings.probe', message: `Probe settings apply to mode "probe" only (mode is "${settings.mode}")` });
  // A batch larger than the training set is not an error: the engine uses the whole set per batch.
  if (issues.length || !dataset || !counts || !model?.path) throw invalid(issues);
  return { dataset, counts, model, modelDir: model.path, settings };
}

/** A model's defaults as contract settings (config.json read from its folder; a missing folder falls back to size). */
export function modelDefaults(model: ProjectModel): ModelDefaults {
  let config: Record<string, unknown> = {};
  try {
    if (model.path) config = JSON.parse(readFileSync(join(model.path, 'config.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    // Unreadable config: the model cannot train anyway (training.start says why); defaults by size.
  }
  const d = modelTrainingDefaults({ config, parameters: model.shape.parameters, kind: model.kind, name: model.name });
  const s = d.settings;
  const settings = TrainingSettings.parse({
    lr: s.lr,
    batchSize: s.batchSize,
    epochs: s.epochs,
    weightDecay: s.weightDecay,
    ...(s.maxSteps !== undefined && { maxSteps: s.maxSteps }),
    ...(s.warmupSteps !== undefined && { warmupSteps: s.warmupSteps }),
    ...(s.evalEvery !== undefined && { evalEvery: s.evalEvery }),
  });
  return { settings, profile: d.profile, source: d.source, sources: d.sources as Record<string, string> };
}

/** The contract's settings as the engine's options. */
export function engineOptions(s: TrainingSettings): FinetuneOptions {
  return {
    mode: s.mode,
    lr: s.lr,
    batchSize: s.batchSize,
    accumulate: s.accumulate,
    epochs: s.epochs,
    ...(s.maxSteps !== undefined && { maxSteps: s.maxSteps }),
    ...(s.warmupSteps !== undefined && { warmupSteps: s.warmupSteps }),
    weightDecay: s.weightDecay,
    ...(s.evalEvery !== undefined && { evalEvery: s.evalEvery }),
    ...(s.maxLength !== undefined && { maxLength: s.maxLength }),
    classWeights: s.classWeights,
    earlyStoppingPatience: s.earlyStoppingPatience,
    seed: s.seed,
    ...(s.mode === 'lora' && { lora: { r: s.lora?.rank ?? 8, alpha: s.lora?.alpha ?? 16, dropout: s.lora?.dropout ?? 0.05, ...(s.lora?.targets && { targets: s.lora.targets }) } }),
    ...(s.mode === 'probe' && s.probe && { probe: { pooling: s.probe.pooling } }),
  };
}

function readSplits(db: Db, datasetId: number): RunDataFile['train'][] {
  const stmt = db.prepare(`SELECT sequence, COALESCE(label_index, 0) AS k FROM dataset_items WHERE dataset_id = ? AND split = ? ORDER BY id`).raw(true);
  return (['train', 'dev', 'test'] as const).map((split) => stmt.all(datasetId, split) as [string, number][]);
}

// ---------------------------------------------------------------- the runs' bookkeeping

interface Tail {
  offset: number;
  /** Bytes of an incomplete last line. */
  partial: string;
}

/** Per app context: follows finetune jobs into their runs (their results are stored by the store below). */
class RunFollower {
  private readonly tails = new Map<string, Tail>();

  constructor(private readonly ctx: AppContext) {
    ctx.bus.on('job.progress', (e: JobProgress) => {
      if (e.kind !== KIND || !e.project) return;
      try {
        this.onJob(e.project, e.jobId, e.state);
      } catch (err) {
        ctx.log.warn(`run of job ${e.jobId}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }

  private onJob(project: string, jobId: string, state: JobState): void {
    const db = projectDb(this.ctx, project);
    const run = runByJob(db, jobId);
    if (!run) return;
    const job = jobRunner(this.ctx).get(project, jobId);
    this.ingest(project, db, run, job);
    this.mirror(project, db, run, job, state);
  }

  /** Brings the run's state in line with its job's (a done run is marked so by its result's store, with the result). */
  mirror(project: string, db: Db, run: RunRow, job: JobInfo, state: JobState = job.state): void {
    if (state === 'done') return;
    if (run.state === state || FINAL_STATES.includes(run.state)) return;
    updateRun(db, run.id, {
      state,
      ...(state === 'running' && !run.startedAt && { startedAt: now() }),
      endedAt: state === 'failed' || state === 'cancelled' ? now() : null,
      metrics: { error: state === 'failed' ? (job.error ?? job.message) : null },
    });
    this.changed(project, db);
  }

  /** Reads the new complete lines of the job's metrics file into run_metrics and onto the bus. */
  ingest(project: string, db: Db, run: RunRow, job: JobInfo): void {
    if (!job.checkpointDir) return;
    const path = join(job.checkpointDir, METRICS_FILE);
    const tail = this.tails.get(job.id) ?? { offset: 0, partial: '' };
    let text: string;
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return; // not written yet
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= tail.offset) return;
      const buf = Buffer.alloc(size - tail.offset);
      const n = readSync(fd, buf, 0, buf.length, tail.offset);
      tail.offset += n;
      text = tail.partial + buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
    const lines = text.split('\n');
    tail.partial = lines.pop() ?? '';
    this.tails.set(job.id, tail);
    const runId = run.id;
    let points: MetricPoint[] = [];
    const events: { step: number; split: 'train' | 'dev'; values: Record<string, number> }[] = [];
    const flush = () => {
      putMetrics(db, run.id, points);
      points = [];
    };
    db.transaction(() => {
      for (const raw of lines) {
        if (!raw.trim()) continue;
        let line: MetricsLine;
        try {
          line = JSON.parse(raw) as MetricsLine;
        } catch {
          continue; // a torn line from a killed worker
        }
        if (line.t === 'start') {
          flush();
          dropMetricsAfter(db, run.id, line.from);
        } else if (line.t === 'backend') {
          updateRun(db, run.id, { metrics: { backend: line.name } });
        } else {
          const values: Record<string, number> = {};
          const entries = line.t === 'train' ? { loss: line.loss, lr: line.lr, tokensPerSecond: line.tps } : { loss: line.loss, mcc: line.mcc, accuracy: line.accuracy, f1: line.f1 };
          for (const [k, v] of Object.entries(entries)) {
            if (typeof v !== 'number' || !Number.isFinite(v)) continue;
            values[k] = v;
            points.push({ name: `${line.t}.${k}`, step: line.step, value: v });
          }
          events.push({ step: line.step, split: line.t, values });
        }
      }
      flush();
    })();
    for (const e of events) this.ctx.bus.emit('run.metrics', { project, runId, ...e });
  }

  forget(jobId: string): void {
    this.tails.delete(jobId);
  }

  private changed(project: string, db: Db): void {
    touchModified(db, this.ctx.appVersion);
    this.ctx.bus.emit('project.changed', { path: project, what: 'runs' });
  }
}

const keepers = new WeakMap<AppContext, RunFollower>();

function keeper(ctx: AppContext): RunFollower {
  let k = keepers.get(ctx);
  if (!k) {
    k = new RunFollower(ctx);
    keepers.set(ctx, k);
    registerFinetuneStore(ctx, k);
  }
  return k;
}

interface PreparedRun {
  result: RunResultFile;
  model: NewModelRow | null;
}

/**
 * How a finished finetune job's result is stored (main/jobs/results.ts): read result.json and hash
 * the model folder first, then in the job's transaction: the last curve points, the model row and
 * the run's final figures. A finetune job without a run (removed meanwhile) is just done.
 */
function registerFinetuneStore(ctx: AppContext, follower: RunFollower): void {
  registerResultStore(ctx, finetuneKind, {
    async prepare(job): Promise<PreparedRun | null> {
      const run = runByJob(projectDb(ctx, job.project), job.id);
      if (!run) return null;
      let result: RunResultFile;
      try {
        result = JSON.parse(readFileSync(join(job.checkpointDir ?? '', RESULT_FILE), 'utf8')) as RunResultFile;
      } catch (e) {
        throw new Error(`the job finished but left no readable ${RESULT_FILE} in ${job.checkpointDir}: ${(e as Error).message}`);
      }
      const model = result.modelOut
        ? await modelRowOfFolder(result.modelOut, {
            name: run.params.name,
            kind: 'finetuned',
            source: `fine-tuned from ${run.params.modelName} on ${run.params.datasetName} (run ${run.id}, ${String(run.params.settings.mode ?? 'full')})`,
            parentId: run.modelId,
            runId: run.id,
            labels: run.params.classNames,
            params: { runId: run.id, settings: run.params.settings, testMcc: result.test?.mcc ?? null },
          })
        : null;
      return { result, model };
    },
    commit(db, job, prepared: PreparedRun | null) {
      const run = runByJob(db, job.id);
      if (!run || !prepared) return job.result;
      follower.ingest(job.project, db, run, job);
      const { result, model } = prepared;
      // The run or its starting model may have been removed while the result was prepared.
      const parentId = model?.parentId ?? null;
      const outputModelId = model ? addModel(db, { ...model, parentId: parentId !== null && getModelRow(db, parentId) ? parentId : null }) : null;
      updateRun(db, run.id, {
        state: 'done',
        endedAt: now(),
        outputModelId,
        metrics: {
          steps: result.steps,
          totalSteps: result.totalSteps,
          bestStep: result.bestStep,
          bestDevLoss: result.bestDevLoss,
          stoppedEarly: result.stoppedEarly,
          test: result.test,
          mostWrong: result.mostWrong,
          mostConfident: result.mostConfident ?? [],
          throughput: result.throughput,
          error: null,
        },
      });
      touchModified(db, ctx.appVersion);
      return { ...job.result, runId: run.id, outputModelId };
    },
    stored(job) {
      ctx.bus.emit('project.changed', { path: job.project, what: 'runs' });
      if ((job.result as { outputModelId?: unknown } | null)?.outputModelId != null) ctx.bus.emit('project.changed', { path: job.project, what: 'models' });
    },
  });
}

/**
 * Waits until a run stops running in this process and its result (if any) is stored; resolves with
 * its summary. For the CLI and tests; the UI follows run.metrics and job.progress instead.
 */
export async function waitForRun(ctx: AppContext, project: string, runId: number): Promise<RunSummary> {
  const real = existingPath(project);
  const db = projectDb(ctx, real);
  const run = requireRun(db, runId, real);
  if (run.jobId) await waitForJob(ctx, real, run.jobId);
  return summary(ctx, real, db, requireRun(db, runId, real));
}

// ---------------------------------------------------------------- views

function requireRun(db: Db, runId: number, project: string): RunRow {
  const run = getRunRow(db, runId);
  if (!run || run.kind !== KIND) throw new ApiError({ code: 'not_found', message: `No fine-tuning run ${runId} in ${project}` });
  return run;
}

function jobOf(ctx: AppContext, project: string, run: RunRow): JobInfo | null {
  if (!run.jobId) return null;
  try {
    return jobRunner(ctx).get(project, run.jobId);
  } catch {
    return null;
  }
}

/** The run, its state checked against its job's (a run whose events this process missed catches up here). */
function reconcile(ctx: AppContext, project: string, db: Db, run: RunRow): { run: RunRow; job: JobInfo | null } {
  const job = jobOf(ctx, project, run);
  if (job && job.state !== run.state && !FINAL_STATES.includes(run.state)) {
    const k = keeper(ctx);
    k.ingest(project, db, run, job);
    k.mirror(project, db, run, job);
    return { run: getRunRow(db, run.id) ?? run, job };
  }
  return { run, job };
}

function bestDev(points: readonly MetricPoint[]): { step: number; loss: number } | null {
  let best: { step: number; loss: number } | null = null;
  for (const p of points) if (p.name === 'dev.loss' && (best === null || p.value < best.loss)) best = { step: p.step, loss: p.value };
  return best;
}

function summaryOf(run: RunRow, job: JobInfo | null, points: readonly MetricPoint[]): RunSummary {
  const m = run.metrics;
  const test = (m.test ?? null) as TestMetrics | null;
  const best = m.bestStep !== undefined && m.bestStep !== null ? { step: m.bestStep, loss: m.bestDevLoss ?? null } : bestDev(points);
  const settings = TrainingSettings.parse(run.params.settings);
  return {
    id: run.id,
    name: run.params.name,
    state: run.state,
    jobId: run.jobId,
    datasetId: run.datasetId,
    datasetName: run.params.datasetName,
    modelId: run.modelId,
    modelName: run.params.modelName,
    mode: settings.mode,
    classNames: run.params.classNames,
    createdAt: run.createdAt,
    endedAt: run.endedAt,
    step: run.state === 'done' ? (m.steps ?? job?.step ?? null) : (job?.step ?? null),
    totalSteps: run.state === 'done' ? (m.totalSteps ?? job?.total ?? null) : (job?.total ?? null),
    bestStep: best?.step ?? null,
    bestDevLoss: best?.loss ?? null,
    testMcc: test?.mcc ?? null,
    testF1: test?.f1Macro ?? null,
    outputModelId: run.outputModelId,
    backend: m.backend ?? null,
  };
}

function summary(ctx: AppContext, project: string, db: Db, row: RunRow): RunSummary {
  const { run, job } = reconcile(ctx, project, db, row);
  const points = db.prepare(`SELECT name, step, value FROM run_metrics WHERE run_id = ? AND name = 'dev.loss'`).all(run.id) as MetricPoint[];
  return summaryOf(run, job, points);
}

/**
 * Test examples located on the genome and with their label's origin: a test index is the item's
 * position in the dataset's test split (the order readSplits gave the trainer).
 */
function placeExamples(db: Db, datasetId: number | null, examples: RunDetail['mostWrong']): RunDetail['mostWrong'] {
  if (datasetId === null || examples.length === 0) return examples;
  const at = db.prepare(`SELECT chrom, start, "end", strand, origin, sequence FROM dataset_items WHERE dataset_id = ? AND split = 'test' ORDER BY id LIMIT 1 OFFSET ?`);
  return examples.map((w) => {
    const it = at.get(datasetId, w.index) as { chrom: string | null; start: number | null; end: number | null; strand: '+' | '-' | '.' | null; origin: string | null; sequence: string | null } | undefined;
    // A stored sequence that differs means the index does not point at this example: say nothing.
    if (!it || (it.sequence !== null && it.sequence !== w.sequence)) return w;
    return {
      ...w,
      ...(it.chrom !== null && it.start !== null && it.end !== null && { locus: { chrom: it.chrom, start: it.start, end: it.end, strand: it.strand } }),
      ...(it.origin !== null && { origin: it.origin }),
    };
  });
}

function detail(ctx: AppContext, project: string, db: Db, row: RunRow): RunDetail {
  const { run, job } = reconcile(ctx, project, db, row);
  const points = runMetrics(db, run.id);
  const base = summaryOf(run, job, points);
  const byStep = (prefix: string) => {
    const steps = new Map<number, Record<string, number>>();
    for (const p of points) {
      if (!p.name.startsWith(prefix)) continue;
      const rec = steps.get(p.step) ?? {};
      rec[p.name.slice(prefix.length)] = p.value;
      steps.set(p.step, rec);
    }
    return [...steps.entries()].sort((a, b) => a[0] - b[0]);
  };
  const train = byStep('train.')
    .filter(([, v]) => v.loss !== undefined)
    .map(([step, v]) => ({ step, loss: v.loss!, lr: v.lr ?? 0, tokensPerSecond: v.tokensPerSecond ?? null }));
  const dev = byStep('dev.')
    .filter(([, v]) => v.loss !== undefined)
    .map(([step, v]) => ({ step, loss: v.loss!, mcc: v.mcc ?? null, accuracy: v.accuracy ?? null, f1: v.f1 ?? null }));
  const m = run.metrics;
  const lastTps = train.at(-1)?.tokensPerSecond ?? null;
  return {
    ...base,
    settings: TrainingSettings.parse(run.params.settings),
    train,
    dev,
    // The trainer saves its state at every evaluation and keeps the lowest-dev-loss weights.
    checkpoints: dev.map((d) => ({ step: d.step, devLoss: d.loss, best: d.step === base.bestStep })),
    test: (m.test ?? null) as TestMetrics | null,
    mostWrong: placeExamples(db, run.datasetId, (m.mostWrong ?? []) as RunDetail['mostWrong']),
    mostConfident: placeExamples(db, run.datasetId, (m.mostConfident ?? []) as RunDetail['mostConfident']),
    throughput: m.throughput ?? { tokensPerSecond: lastTps, secondsPerEpoch: null },
    error: run.state === 'failed' ? (m.error ?? job?.error ?? null) : null,
    ...(run.params.retrainOf && { retrain: { ...run.params.retrainOf, before: (run.params.retrainOf.before ?? null) as TestMetrics | null } }),
  };
}

// ---------------------------------------------------------------- starting a run

/**
 * Records a run and starts its job (training.start, and retrain.start with `retrainOf`: the run it
 * continues, kept in the run's params for the before/after comparison).
 */
export async function startRun(ctx: AppContext, input: { project: string; datasetId: number; modelId: number; settings: TrainingSettings; name?: string; retrainOf?: RetrainOf }): Promise<RunSummary> {
  const { project, datasetId, modelId, settings, name, retrainOf } = input;
  const real = existingPath(project);
  const db = projectDb(ctx, real);
  const c = await check(ctx, real, { datasetId, modelId, settings });
  const runName = name ?? `${c.model.name} on ${c.dataset.name}`;
  const folder = join(ctx.dataDir, 'runs', `${slugify(runName)}-${randomUUID().slice(0, 8)}`);
  const outDir = join(ownModelsDir(ctx), `${slugify(runName)}-${randomUUID().slice(0, 8)}`);
  const runId = db.transaction(() => {
    const id = insertRun(db, {
      kind: KIND,
      state: 'queued',
      modelId: c.model.id,
      datasetId: c.dataset.id,
      params: { name: runName, settings: c.settings as unknown as Record<string, unknown>, classNames: c.dataset.classes, datasetName: c.dataset.name, modelName: c.model.name, folder, outDir, ...(retrainOf && { retrainOf }) },
      checkpointPath: folder,
      createdAt: now(),
    });
    touchModified(db, ctx.appVersion);
    return id;
  })();
  try {
    const [train, dev, test] = readSplits(db, c.dataset.id);
    const data: RunDataFile = { classNames: c.dataset.classes, train: train!, dev: dev!, test: test! };
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, DATA_FILE), JSON.stringify(data));
    // modelId in the params: models.remove sees the job as a use of the model.
    const params: FinetuneJobParams = { runId, dataPath: join(folder, DATA_FILE), modelDir: c.modelDir, outDir, options: engineOptions(c.settings), backend: c.settings.backend, modelId: c.model.id };
    const job = startJob(ctx, real, finetuneKind, params, { link: (tx, jobId) => updateRun(tx, runId, { jobId }) });
    const run = getRunRow(db, runId)!;
    keeper(ctx).mirror(real, db, run, jobRunner(ctx).get(real, job.id));
  } catch (err) {
    deleteRunRow(db, runId);
    await rm(folder, { recursive: true, force: true });
    throw err;
  }
  ctx.bus.emit('project.changed', { path: real, what: 'runs' });
  return summary(ctx, real, db, getRunRow(db, runId)!);
}

// ---------------------------------------------------------------- services

export function createTrainingServices(ctx: AppContext): TrainingServices {
  keeper(ctx);
  return {
    async 'training.defaults'() {
      return TrainingSettings.parse({});
    },

    async 'training.modelDefaults'({ project, modelId }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const row = getModelRow(db, modelId);
      if (!row) throw invalid([{ path: 'modelId', message: `No model with id ${modelId} in this project` }]);
      const model = await createModelServices(ctx)['models.get']({ project: real, id: row.id });
      return modelDefaults(model);
    },

    async 'training.estimate'({ project, datasetId, modelId, settings }): Promise<Estimate> {
      const real = existingPath(project);
      const c = await check(ctx, real, { datasetId, modelId, settings });
      return estimate(ctx, real, c);
    },

    async 'training.start'({ project, datasetId, modelId, settings, name }) {
      return startRun(ctx, { project, datasetId, modelId, settings, ...(name !== undefined && { name }) });
    },

    async 'training.list'({ project }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      jobRunner(ctx).recover(real);
      return listRunRows(db, KIND).map((r) => summary(ctx, real, db, r));
    },

    async 'training.get'({ project, runId }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      return detail(ctx, real, db, requireRun(db, runId, real));
    },

    async 'training.cancel'({ project, runId }) {
      return control(ctx, project, runId, 'cancel');
    },
    async 'training.pause'({ project, runId }) {
      return control(ctx, project, runId, 'pause');
    },
    async 'training.resume'({ project, runId }) {
      return control(ctx, project, runId, 'resume');
    },

    async 'training.remove'({ project, runId, removeModel }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const { run, job } = reconcile(ctx, real, db, requireRun(db, runId, real));
      if (run.state === 'queued' || run.state === 'running') {
        throw new ApiError({ code: 'conflict', message: `Run ${runId} is ${run.state}: pause or cancel it before removing it` });
      }
      // A paused or interrupted job could still be resumed from the Jobs page: end it for good.
      if (job && ['paused', 'interrupted', 'failed'].includes(job.state)) jobRunner(ctx).cancel(real, job.id);
      if (removeModel && run.outputModelId !== null) {
        await createModelServices(ctx)['models.remove']({ project: real, id: run.outputModelId, force: false });
      }
      db.transaction(() => {
        deleteRunRow(db, run.id);
        touchModified(db, ctx.appVersion);
      })();
      if (job) keeper(ctx).forget(job.id);
      if (run.params.folder) await rm(run.params.folder, { recursive: true, force: true });
      if (job?.checkpointDir) await rm(job.checkpointDir, { recursive: true, force: true });
      ctx.bus.emit('project.changed', { path: real, what: 'runs' });
      return { ok: true as const };
    },
  };
}

async function control(ctx: AppContext, project: string, runId: number, action: 'cancel' | 'pause' | 'resume'): Promise<RunSummary> {
  const real = existingPath(project);
  const db = projectDb(ctx, real);
  const run = requireRun(db, runId, real);
  if (!run.jobId) throw new ApiError({ code: 'conflict', message: `Run ${runId} has no job (it did not start)` });
  if (action === 'resume' && !existsSync(join(run.params.folder, DATA_FILE))) {
    throw new ApiError({ code: 'conflict', message: `Run ${runId} cannot resume: its examples file ${join(run.params.folder, DATA_FILE)} is gone` });
  }
  const runner = jobRunner(ctx);
  try {
    if (action === 'cancel') runner.cancel(real, run.jobId);
    else if (action === 'pause') runner.pause(real, run.jobId);
    else runner.resume(real, run.jobId);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'conflict') throw new ApiError({ code: 'conflict', message: err.message.replace(`job ${run.jobId}`, `run ${runId}`) });
    throw err;
  }
  const fresh = getRunRow(db, run.id)!;
  keeper(ctx).mirror(real, db, fresh, runner.get(real, run.jobId));
  return summary(ctx, real, db, getRunRow(db, run.id)!);
}

// ---------------------------------------------------------------- estimate

/**
 * Seconds to fit the probe's logistic head on `train` embeddings of width `d`: timed on random
 * embeddings of up to 2,000 examples and scaled linearly (each iteration is linear in the examples).
 */
function timeHeadFit(fit: typeof FitProbe, Prng: typeof PrngClass, train: number, dev: number, d: number, classes: number): number {
  const nTrain = Math.max(2, Math.min(train, 2000));
  const nDev = Math.max(1, Math.min(dev, 200));
  const rng = new Prng(7);
  const data = (rows: number) => ({ x: Float32Array.from({ length: rows * d }, () => rng.next() * 2 - 1), labels: Int32Array.from({ length: rows }, (_, i) => i % classes) });
  const t0 = performance.now();
  fit(data(nTrain), data(nDev), d, classes, null);
  return ((performance.now() - t0) / 1000) * (train / nTrain);
}

/**
 * estimateFinetune in this process, with a measured batch of 2 and one timed step (a few hundred
 * ms for the bundled models; seconds for a 117M-parameter one). In-process rather than in a worker
 * because starting a worker and its backend costs more than the measurement; the sequence length
 * comes from tokenising a sample of 256 training sequences.
 */
async function estimate(ctx: AppContext, project: string, c: Checked): Promise<Estimate> {
  const [{ estimateFinetune, chooseMaxLength, FINETUNE_DEFAULTS, resolveSchedule, fitProbe }, { initBackend }, { readModelConfig }, { loadTokenizer }, { Prng }] = await Promise.all([
    import('../engine/finetune/index'),
    import('../engine/backend'),
    import('../engine/checkpoint/folder'),
    import('../engine/tokenizers/index'),
    import('../engine/train/index'),
  ]);
  const { report } = await initBackend(c.settings.backend);
  const config = await readModelConfig(c.modelDir);
  config.numLabels = c.dataset.classes.length;
  const warnings: string[] = [];
  const limit = config.architecture === 'bert' ? config.maxPositionEmbeddings : FINETUNE_DEFAULTS.dnabert2LengthLimit;
  let seqLen = c.settings.maxLength;
  if (seqLen === undefined) {
    const db = projectDb(ctx, project);
    const sample = (db.prepare(`SELECT sequence FROM dataset_items WHERE dataset_id = ? AND split = 'train' ORDER BY random() LIMIT 256`).raw(true).all(c.dataset.id) as [string][]).map((r) => r[0]);
    seqLen = await chooseMaxLength(await loadTokenizer(c.modelDir), sample, { quantile: FINETUNE_DEFAULTS.lengthQuantile, limit });
  }
  const devExamples = c.counts.dev || Math.max(1, Math.round(c.counts.train * 0.1));
  const trainExamples = c.counts.dev ? c.counts.train : c.counts.train - devExamples;
  const e = await estimateFinetune({
    config,
    mode: c.settings.mode,
    examples: trainExamples,
    devExamples,
    testExamples: c.counts.test,
    seqLen,
    batchSize: c.settings.batchSize,
    epochs: c.settings.epochs,
    maxSteps: c.settings.maxSteps,
    evalEvery: c.settings.evalEvery,
    ...(c.settings.mode === 'lora' && { lora: { r: c.settings.lora?.rank ?? 8, alpha: c.settings.lora?.alpha ?? 16, dropout: c.settings.lora?.dropout ?? 0.05 } }),
    measureBatch: 2,
    // Two timed steps (after a warm-up): their spread is the estimate's stated uncertainty.
    measureSteps: 2,
  });
  const schedule = resolveSchedule(trainExamples, engineOptions(c.settings));
  const probe = c.settings.mode === 'probe';
  const n = (x: number) => x.toLocaleString('en-US');
  const phases: Array<{ label: string; seconds: number }> = [];
  let seconds = e.seconds;
  if (probe) {
    // The probe embeds every sequence once (no steps, no epochs) and fits a logistic head on them.
    const embedded = trainExamples + devExamples + c.counts.test;
    phases.push({ label: `Embedding pass: ${n(embedded)} sequences (train, dev and test) through the frozen model`, seconds: e.seconds });
    const head = timeHeadFit(fitProbe, Prng, trainExamples, devExamples, config.hiddenSize, c.dataset.classes.length);
    phases.push({ label: `Fitting the logistic head on ${n(trainExamples)} embeddings (a few L2 strengths, chosen on dev)`, seconds: head });
    seconds += head;
  } else {
    phases.push({ label: `Training: ${n(e.totalSteps)} steps of batch ${schedule.batchSize}${schedule.accumulate > 1 ? ` x ${schedule.accumulate}` : ''}`, seconds: e.trainSeconds });
    phases.push({ label: `Evaluation: the dev split every ${n(schedule.evalEvery)} steps, then the test split once`, seconds: e.evalSeconds });
  }
  const epochs = probe ? 1 : e.totalSteps / schedule.stepsPerEpoch;
  const secondsPerEpoch = probe ? seconds : e.secondsPerStep * schedule.stepsPerEpoch;
  const tokensPerSecond = probe ? ((trainExamples + devExamples + c.counts.test) * seqLen) / Math.max(e.seconds, 1e-9) : e.secondsPerStep > 0 ? (schedule.batchSize * schedule.accumulate * seqLen) / e.secondsPerStep : 0;
  // At least ±25%: the batch is extrapolated from 2, and other work on the machine shifts timings.
  const uncertainty = Math.max(0.25, e.measured.spread);
  if (!report.gpu) warnings.push(`No GPU: training runs on ${report.chosen} (${report.summary})`);
  if (seconds > 6 * 3600) warnings.push(`About ${Math.round(e.seconds / 3600)} hours: consider LoRA, the linear probe, fewer epochs or --max-steps`);
  if (e.peakBytes > 3.5 * 2 ** 30 && report.chosen === 'wasm') warnings.push(`Needs about ${(e.peakBytes / 2 ** 30).toFixed(1)} GB; the wasm backend stops at 4 GB: lower the batch size or max tokens`);
  return {
    backend: report.chosen,
    totalSteps: e.totalSteps,
    stepsPerEpoch: probe ? 0 : schedule.stepsPerEpoch,
    seconds,
    secondsPerEpoch: Number.isFinite(secondsPerEpoch) ? secondsPerEpoch : seconds / Math.max(epochs, 1),
    tokensPerSecond,
    peakMemoryBytes: e.peakBytes,
    maxLength: seqLen,
    basis: `measured ${e.measured.batch === 2 ? 'a batch of 2' : `batches of 2 and ${e.measured.batch}`} x ${seqLen} tokens on ${e.measured.backend} in this process (2 timed steps, ${Math.round(100 * e.measured.spread)}% apart), scaled to ${probe ? `evaluation batches of ${2 * schedule.batchSize}` : `batch ${schedule.batchSize}${schedule.accumulate > 1 ? ` x ${schedule.accumulate}` : ''}`}; likely within ±${Math.round(100 * uncertainty)}%`,
    phases,
    range: { low: seconds / (1 + uncertainty), high: seconds * (1 + uncertainty) },
    warnings,
  };
}
