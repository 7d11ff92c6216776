// adapt.*: "Adapt a model to my genome" (see shared/contract/adapt.ts). An adaptation is one
// `pretrain` job (main/engine/pretrain/job.ts) that continues a project model's masked-LM
// pre-training on the project's genomes, in a worker process, writing a new model folder under
// <dataDir>/models/. There is no table of its own: the job row is the run (its params carry the
// names shown here, the log its perplexity history, its result the final figures), so pause,
// resume, cancel and crash recovery are the jobs runner's.
//
// When the job's worker finishes, the job-result mechanism (main/jobs/results.ts) stores it, once,
// whoever resumed it: the folder gets a model card and is recorded as a project model, in the
// transaction that marks the job done: kind `finetuned` (the contract has no `adapted` kind),
// parent = the starting model, params.adaptation = true with the perplexity before and after. A
// cancelled run's folders are removed; a paused, interrupted or failed one keeps its checkpoint
// for jobs.resume.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdaptEstimate, AdaptEval, AdaptMasking, AdaptRun, AdaptRunDetail, AdaptSettings } from '../../shared/contract/adapt';
import { ApiError, issuesMessage, type FieldIssue } from '../../shared/contract/errors';
import type { JobInfo } from '../../shared/contract/jobs';
import type { ProjectModel } from '../../shared/contract/models';
import { pretrainKind, type PretrainJobParams, type PretrainJobResult } from '../engine/pretrain/protocol';
import { lossCurveSvg } from '../engine/pretrain/loss-svg';
import { verifyGenome } from '../genome/fasta/index';
import { recordOf } from '../genome/job';
import { jobRunner, registerResultStore, startJob, waitForJob } from '../jobs/index';
import { genomeSequences, getGenomeRow, listGenomeRows, type GenomeRow } from '../store/data-repo';
import { touchModified } from '../store/meta';
import { addModel, listModelRows } from '../store/model-repo';
import type { AppContext } from './context';
import type { Services } from './dispatch';
import { generatedCard } from './model-folders';
import { createModelServices, modelRowOfFolder, ownModelsDir } from './models';
import { existingPath, projectDb, slugify } from './projects';
import { formatBp } from '../../shared/bp';

type AdaptServices = Pick<Services, Extract<keyof Services, `adapt.${string}`>>;

const KIND = pretrainKind.kind;
/** Held-out windows scored at every evaluation (the engine's default). */
const EVAL_WINDOWS = 64;

/** What the service keeps in the job's params beside the engine's options (the worker ignores it). */
export interface AdaptMeta {
  name: string;
  modelName: string;
  genomeIds: number[];
  genomeNames: string[];
  /** Scratch folder of the run (the corpus's index cache); removed when the run ends for good. */
  workDir: string;
}

export type AdaptJobParams = PretrainJobParams & { modelId: number; adapt: AdaptMeta };

function invalid(issues: FieldIssue[]): ApiError {
  return new ApiError({ code: 'invalid_input', message: issuesMessage(issues), issues });
}

function isAdaptJob(job: JobInfo): job is JobInfo & { params: AdaptJobParams } {
  const p = job.params as Partial<AdaptJobParams> | null;
  return job.kind === KIND && typeof p === 'object' && p !== null && typeof p.adapt === 'object' && p.adapt !== null;
}

/** The model's own masking: DNABERT-2 masks BPE tokens independently; DNABERT-style k-mer models use RandomMask. */
export function defaultMasking(model: ProjectModel): AdaptMasking {
  return model.shape.tokenizer.kind === 'kmer' ? 'randommask' : 'random';
}

/** Evaluate about ten times per run (and at step 0 and the end), at most every 500 steps. */
export function evalEveryFor(steps: number): number {
  return Math.max(1, Math.min(500, Math.round(steps / 10)));
}


interface Checked {
  model: ProjectModel;
  modelDir: string;
  genomes: GenomeRow[];
  masking: AdaptMasking;
}

/** Everything that can be known wrong before the job starts, as field-level messages. */
async function check(ctx: AppContext, project: string, s: AdaptSettings): Promise<Checked> {
  const db = projectDb(ctx, project);
  const issues: FieldIssue[] = [];

  let model: ProjectModel | null = null;
  try {
    model = await createModelServices(ctx)['models.get']({ project, id: s.modelId });
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 'not_found')) throw err;
    issues.push({ path: 'modelId', message: `No model with id ${s.modelId} in this project` });
  }
  let masking: AdaptMasking = s.masking ?? 'random';
  if (model) {
    const shape = model.shape;
    masking = s.masking ?? defaultMasking(model);
    if (model.status !== 'ok' || !model.path) issues.push({ path: 'modelId', message: `"${model.name}" cannot be used: ${model.statusDetail}` });
    else if (shape.tokenizer.kind === 'none') issues.push({ path: 'modelId', message: `"${model.name}" has no tokenizer (tokenizer.json or vocab.txt) in ${model.path}` });
    else if (!shape.hasMlmHead) {
      issues.push({
        path: 'modelId',
        message: `"${model.name}" has no masked-LM head (cls.predictions.*)${shape.hasClassifier ? ': it is a fine-tuned classifier; adapt the model it was fine-tuned from' : ''}`,
      });
    }
    if (shape.tokenizer.kind === 'bpe' && masking !== 'random') {
      issues.push({ path: 'masking', message: `"${masking}" masking is for overlapping k-mer models; "${model.name}" uses BPE tokens, which DNABERT-2 masks independently ("random")` });
    }
    if (shape.architecture === 'bert' && s.seqLen > shape.maxLength) {
      issues.push({ path: 'seqLen', message: `"${model.name}" reads at most ${shape.maxLength} tokens (learned positions); got ${s.seqLen}` });
    }
  }

  const all = listGenomeRows(db);
  const genomes: GenomeRow[] = [];
  if (s.genomeIds === undefined && all.length === 0) {
    issues.push({ path: 'genomeIds', message: 'This project has no genomes: import your genome (FASTA) on the Data page first' });
  }
  for (const [i, id] of [...new Set(s.genomeIds ?? all.map((g) => g.id))].entries()) {
    const row = getGenomeRow(db, id);
    if (!row) {
      issues.push({ path: s.genomeIds ? `genomeIds.${i}` : 'genomeIds', message: `No genome with id ${id} in this project` });
      continue;
    }
    const v = await verifyGenome(recordOf(row));
    if (v.status !== 'ok') {
      issues.push({ path: s.genomeIds ? `genomeIds.${i}` : 'genomeIds', message: `Genome "${row.name}" cannot be read: ${v.detail}. Relocate it on the Data page first` });
      continue;
    }
    genomes.push(row);
  }
  // The engine holds out the end of every sequence at least 8 windows long; a window has at least
  // seqLen - 2 bases (1 bp per token is the least any tokenizer gives), so shorter genomes cannot work.
  if (genomes.length > 0) {
    const longest = Math.max(...genomes.flatMap((g) => genomeSequences(db, g.id).map((q) => q.length)));
    const needed = 8 * (s.seqLen - 2);
    if (longest < needed) {
      issues.push({ path: 'seqLen', message: `The longest sequence of the chosen genomes is ${formatBp(longest)}; with ${s.seqLen} tokens per window, holding out evaluation windows needs at least ${formatBp(needed)}. Use a shorter sequence length` });
    }
  }
  if (issues.length || !model?.path) throw invalid(issues);
  return { model, modelDir: model.path, genomes, masking };
}

/** The file the corpus reads: the decompressed copy of a plain-gzip genome (already made at import), else the user's file. */
function corpusPath(row: GenomeRow): string {
  return row.compression === 'gzip' && existsSync(row.fastaPath) ? row.fastaPath : row.path;
}

// ---------------------------------------------------------------- views

/** "eval at step 40: perplexity 12.345 (best)" lines of the job's log (main/engine/pretrain/job.ts writes them). */
const EVAL_LINE = /eval at step (\d+): perplexity ([0-9.eE+-]+|Infinity|NaN)/;

function evalsOf(job: JobInfo): AdaptEval[] {
  const result = job.result as Partial<PretrainJobResult> | null;
  if (job.state === 'done' && Array.isArray(result?.evals)) return result.evals.map((e) => ({ step: e.step, loss: e.loss, perplexity: e.perplexity ?? Number.POSITIVE_INFINITY /* JSON null: it was not finite */ }));
  if (!job.logPath || !existsSync(job.logPath)) return [];
  // A resumed run repeats the evaluations after its checkpoint: the latest line per step wins.
  const byStep = new Map<number, AdaptEval>();
  for (const line of readFileSync(job.logPath, 'utf8').split('\n')) {
    const m = EVAL_LINE.exec(line);
    if (m) byStep.set(Number(m[1]), { step: Number(m[1]), loss: null, perplexity: Number(m[2]) });
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

function backendOf(job: JobInfo): string | null {
  if (!job.logPath || !existsSync(job.logPath)) return null;
  let backend: string | null = null;
  for (const line of readFileSync(job.logPath, 'utf8').split('\n')) {
    const m = / backend: (.+)$/.exec(line);
    if (m) backend = m[1]!;
  }
  return backend;
}

function metric(job: JobInfo, name: string): number | null {
  const v = job.metrics[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The project model recorded from this run, if any. */
function outputModelOf(ctx: AppContext, project: string, jobId: string): number | null {
  const row = listModelRows(projectDb(ctx, project)).find((m) => m.params.adaptJobId === jobId);
  return row?.id ?? null;
}

function view(ctx: AppContext, job: JobInfo & { params: AdaptJobParams }): AdaptRunDetail {
  const p = job.params;
  const evals = evalsOf(job);
  const result = job.result as Partial<PretrainJobResult> | null;
  return {
    id: job.id,
    name: p.adapt.name,
    state: job.state,
    modelId: p.modelId,
    modelName: p.adapt.modelName,
    genomeIds: p.adapt.genomeIds,
    genomeNames: p.adapt.genomeNames,
    masking: p.masking,
    steps: p.steps,
    batch: p.batchSize,
    seqLen: p.seqLen,
    lr: p.lr,
    step: job.state === 'done' ? (result?.steps ?? job.step) : job.step,
    fraction: job.fraction,
    etaSeconds: job.etaSeconds,
    loss: metric(job, 'loss'),
    tokensPerSec: metric(job, 'tokensPerSec'),
    tokensSeen: job.state === 'done' && typeof result?.tokensSeen === 'number' ? result.tokensSeen : metric(job, 'tokensSeen'),
    perplexityBefore: evals.find((e) => e.step === 0)?.perplexity ?? null,
    perplexityAfter: evals.length > 1 ? evals.at(-1)!.perplexity : null,
    message: job.message,
    error: job.error,
    outputModelId: outputModelOf(ctx, job.project, job.id),
    createdAt: job.createdAt,
    endedAt: job.endedAt,
    evals,
    outDir: p.outDir,
    backend: backendOf(job),
  };
}

function summary(d: AdaptRunDetail): AdaptRun {
  const { evals: _evals, outDir: _outDir, backend: _backend, ...rest } = d;
  return rest;
}

// ---------------------------------------------------------------- finishing a run

/**
 * How a finished pretrain job that is an adaptation is stored (main/jobs/results.ts): the model
 * card and the model row are prepared first (idempotent file work), then the model is recorded in
 * the job's transaction. A cancelled adaptation's folders are removed. A pretrain job that is no
 * adaptation is just done.
 */
function registerAdaptStore(ctx: AppContext): void {
  registerResultStore(ctx, pretrainKind, {
    async prepare(job) {
      if (!isAdaptJob(job)) return null;
      const p = job.params;
      const result = job.result;
      const evals = result.evals;
      const before = evals.find((e) => e.step === 0)?.perplexity ?? null;
      const after = evals.length > 1 ? (evals.at(-1)!.perplexity ?? null) : null;
      // The optimiser state (twice the weights) and the corpus cache are of no use once the run is done.
      await rm(join(p.outDir, 'training_state'), { recursive: true, force: true });
      await rm(p.adapt.workDir, { recursive: true, force: true });
      await writeCard(p.outDir, p, result, before, after);
      const genomes = p.adapt.genomeNames.join(' + ');
      return modelRowOfFolder(p.outDir, {
        name: p.adapt.name,
        kind: 'finetuned',
        source: `adapted from ${p.adapt.modelName} to ${genomes}: continued masked-LM pre-training, ${result.steps} steps, ${p.masking} masking (job ${job.id})`,
        parentId: p.modelId,
        params: {
          adaptation: true,
          adaptJobId: job.id,
          genomeIds: p.adapt.genomeIds,
          genomes: p.adapt.genomeNames,
          steps: result.steps,
          batch: p.batchSize,
          seqLen: p.seqLen,
          lr: p.lr,
          masking: p.masking,
          tokensSeen: result.tokensSeen,
          perplexityBefore: before,
          perplexityAfter: after,
        },
      });
    },
    commit(db, job, row) {
      if (!row) return job.result;
      const parentExists = listModelRows(db).some((m) => m.id === row.parentId);
      const modelId = addModel(db, { ...row, parentId: parentExists ? row.parentId : null });
      touchModified(db, ctx.appVersion);
      return { ...job.result, modelId };
    },
    stored(job) {
      if (isAdaptJob(job)) ctx.bus.emit('project.changed', { path: job.project, what: 'models' });
    },
    async discard(job) {
      if (!isAdaptJob(job) || outputModelOf(ctx, job.project, job.id) !== null) return;
      await rm(job.params.outDir, { recursive: true, force: true });
      await rm(job.params.adapt.workDir, { recursive: true, force: true });
    },
  });
}

/** README.md with what was done and the held-out perplexity, and the loss curve as a picture. */
async function writeCard(dir: string, p: AdaptJobParams, result: PretrainJobResult, before: number | null, after: number | null): Promise<void> {
  const { inspectModelFolder } = await import('./model-folders');
  const info = await inspectModelFolder(dir);
  const fmt = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));
  const facts: Array<[string, string]> = [
    ['Kind', 'adapted to a genome (continued masked-LM pre-training)'],
    ['Started from', p.adapt.modelName],
    ['Genomes', p.adapt.genomeNames.join(', ')],
    ['Steps × batch × tokens', `${result.steps} × ${p.batchSize} × ${p.seqLen}`],
    ['Tokens seen', result.tokensSeen.toLocaleString('en-US')],
    ['Masking', p.masking],
    ['Peak learning rate', String(p.lr)],
    ['Held-out perplexity before', fmt(before)],
    ['Held-out perplexity after', fmt(after)],
  ];
  const intro = `Continued pre-training of ${p.adapt.modelName} on ${p.adapt.genomeNames.join(' and ')} so that it learns this genome's sequence statistics (no labels). Perplexity is measured on windows held out from the end of every long sequence.`;
  let card = generatedCard(p.adapt.name, info.shape, facts).replace(/^This folder has no model card.*$/m, intro);
  const csvPath = join(dir, 'loss_curve.csv');
  if (existsSync(csvPath)) {
    await writeFile(join(dir, 'loss_curve.svg'), lossCurveSvg(readFileSync(csvPath, 'utf8'), `${p.adapt.name}: masked-LM loss`));
    card += '\n![loss curve](loss_curve.svg)\n';
  }
  await writeFile(join(dir, 'README.md'), card);
}

function requireRun(ctx: AppContext, project: string, id: string): JobInfo & { params: AdaptJobParams } {
  let job: JobInfo;
  try {
    job = jobRunner(ctx).get(project, id);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found') throw new ApiError({ code: 'not_found', message: `No adaptation ${id} in ${project}` });
    throw err;
  }
  if (!isAdaptJob(job)) throw new ApiError({ code: 'not_found', message: `No adaptation ${id} in ${project} (job ${id} is a ${job.kind} job)` });
  return job;
}

async function detail(ctx: AppContext, project: string, id: string): Promise<AdaptRunDetail> {
  return view(ctx, requireRun(ctx, project, id));
}

/**
 * Waits until an adaptation stops running in this process (a done one's model is recorded by then).
 * For the CLI and tests; the UI follows job.progress instead.
 */
export async function waitForAdaptation(ctx: AppContext, project: string, id: string): Promise<AdaptRunDetail> {
  const real = existingPath(project);
  requireRun(ctx, real, id);
  await waitForJob(ctx, real, id);
  return detail(ctx, real, id);
}

// ---------------------------------------------------------------- estimate

/**
 * One timed training step of the real model on a random batch in this process (after one warm-up
 * step), scaled linearly to the batch, plus the evaluations. In-process, like training.estimate:
 * starting a worker and its backend costs more than the measurement.
 */
async function estimate(c: Checked, s: AdaptSettings): Promise<AdaptEstimate> {
  const [{ initBackend }, { loadModelFolder }, { lossAndGradients, disposeAll }, { mlmLoss }] = await Promise.all([
    import('../engine/backend'),
    import('../engine/checkpoint/folder'),
    import('../engine/train/gradients'),
    import('../engine/pretrain/mlm-loss'),
  ]);
  const { report } = await initBackend(s.backend);
  const { model } = await loadModelFolder(c.modelDir, { heads: { mlm: true, classifier: false, pooler: false }, seed: s.seed });
  const measured = Math.min(2, s.batch);
  let seconds: number;
  try {
    const n = measured * s.seqLen;
    const vocab = model.config.vocabSize;
    const inputIds = new Int32Array(n);
    const labels = new Int32Array(n).fill(-100);
    let x = s.seed + 1;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      inputIds[i] = 5 + (x % Math.max(1, vocab - 5));
      if (i % 7 === 3) labels[i] = inputIds[i]!; // about 15% predicted, as in training
    }
    const batch = { inputIds, labels, attentionMask: new Int32Array(n).fill(1), batch: measured, length: s.seqLen };
    const step = () => disposeAll(lossAndGradients(model.params(), (b: typeof batch, ctx) => mlmLoss(model, b, ctx), batch, 1).grads);
    step(); // warm-up: kernels compile and buffers are allocated on the first step
    seconds = Infinity;
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      step();
      seconds = Math.min(seconds, (performance.now() - t0) / 1000);
    }
  } finally {
    model.dispose();
  }
  // The optimiser update adds about a tenth; an evaluation is a forward pass (about a third of a step) over the held-out windows.
  const secondsPerStep = (seconds * 1.1 * s.batch) / measured;
  const evalEvery = evalEveryFor(s.steps);
  const evaluations = Math.floor(s.steps / evalEvery) + 2;
  const evalSeconds = evaluations * Math.ceil(EVAL_WINDOWS / s.batch) * (secondsPerStep / 3);
  const genomeBytes = c.genomes.reduce((a, g) => a + g.size, 0);
  // Starting the worker and its backend, and hashing the genomes for the corpus (~300 MB/s).
  const startup = 5 + genomeBytes / 300e6;
  const total = s.steps * secondsPerStep + evalSeconds + startup;
  const warnings: string[] = [];
  if (!report.gpu) warnings.push(`No GPU: adaptation runs on ${report.chosen} (${report.summary})`);
  if (total > 6 * 3600) warnings.push(`About ${Math.round(total / 3600)} hours: consider fewer steps or a smaller batch`);
  return {
    backend: report.chosen,
    seconds: total,
    secondsPerStep,
    tokensPerSecond: secondsPerStep > 0 ? (s.batch * s.seqLen) / secondsPerStep : 0,
    basis: `measured the fastest of two training steps of a batch of ${measured} × ${s.seqLen} tokens on ${report.chosen} in this process, scaled to batch ${s.batch}; plus ${evaluations} evaluations of ${EVAL_WINDOWS} held-out windows`,
    warnings,
  };
}

// ---------------------------------------------------------------- services

export function createAdaptServices(ctx: AppContext): AdaptServices {
  registerAdaptStore(ctx);
  return {
    async 'adapt.estimate'(input) {
      const real = existingPath(input.project);
      const c = await check(ctx, real, input);
      return estimate(c, input);
    },

    async 'adapt.start'(input) {
      const real = existingPath(input.project);
      const c = await check(ctx, real, input);
      const genomeNames = c.genomes.map((g) => g.name);
      const name = input.name ?? `${c.model.name} adapted to ${genomeNames.join(' + ')}`;
      const folder = `${slugify(name)}-${randomUUID().slice(0, 8)}`;
      const outDir = join(ownModelsDir(ctx), folder);
      const workDir = join(ctx.dataDir, 'adapt', folder);
      const params: AdaptJobParams = {
        // Weighted by length, so every base of the chosen genomes is equally likely to be read.
        genomes: c.genomes.map((g) => ({ path: corpusPath(g), weight: Math.max(1, g.totalLength) })),
        outDir,
        from: c.modelDir,
        masking: c.masking,
        steps: input.steps,
        batchSize: input.batch,
        seqLen: input.seqLen,
        lr: input.lr,
        evalEvery: evalEveryFor(input.steps),
        evalWindows: EVAL_WINDOWS,
        seed: input.seed,
        cacheDir: join(workDir, 'corpus-cache'),
        backend: input.backend,
        // modelId at the top: models.remove sees the job as a use of the model.
        modelId: c.model.id,
        adapt: { name, modelName: c.model.name, genomeIds: c.genomes.map((g) => g.id), genomeNames, workDir },
      };
      const job = startJob(ctx, real, pretrainKind, params);
      ctx.log.info(`adaptation ${job.id}: ${c.model.name} on ${genomeNames.join(', ')}, ${input.steps} steps -> ${outDir}`);
      return summary(view(ctx, requireRun(ctx, real, job.id)));
    },

    async 'adapt.list'({ project }) {
      const real = existingPath(project);
      return jobRunner(ctx)
        .list(real)
        .filter(isAdaptJob)
        .map((j) => summary(view(ctx, j)));
    },

    async 'adapt.get'({ project, id }) {
      return detail(ctx, existingPath(project), id);
    },
  };
}
