// runGue: fine-tune and evaluate models (and the same architectures trained from scratch) on
// GUE-format task folders with the papers' protocol, seeds x tasks x models, resumable: every unit
// writes its result.json under outDir when it finishes and is never redone; an interrupted unit
// resumes from its checkpoint. Units run in worker processes, two at once when two cores are free
// (tfjs-wasm is single-threaded, and two wasm processes run side by side at full speed each).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelTrainingDefaults, type ResolvedModelDefaults } from '../../../shared/training-defaults';
import type { BackendPreference } from '../../../shared/contract/system';
import { readModelConfig } from '../checkpoint/folder';
import type { FinetuneMode, FinetuneOptions } from '../finetune/options';
import { countParameters } from '../model/index';
import { writeJsonAtomic } from '../train/state';
import { writeFileAtomic } from '../checkpoint/folder';
import { gueKind } from './protocol';
import { parsePublishedScores, type PublishedScores } from './published';
import { buildResults, resultsMarkdown, scratchLabel, type GueResultsFile } from './report';
import { findGueTasks, type GueTask } from './tasks';
import { readUnitResult, type GueUnitResult, type GueUnitSpec } from './unit';
import { envSharingCores } from '../wasm-threads';

export const RESULTS_JSON = gueKind.files.resultsJson;
export const RESULTS_MD = gueKind.files.resultsMarkdown;

export interface GueModelSpec {
  /** Label in the tables. */
  name: string;
  dir: string;
}

export interface GueBudget {
  maxSteps?: number;
  epochs?: number;
  /** Seconds of training per unit (task x model x seed); then the best checkpoint so far is tested. */
  timeLimitSeconds?: number;
}

export interface GueRunOptions {
  root: string;
  /** Task names or folder prefixes ("tf", "prom/prom_core_all"); default all. */
  tasks?: readonly string[];
  models: readonly GueModelSpec[];
  /** Also train each model's architecture from random weights with the same settings (default true). */
  scratch?: boolean;
  /** Run the models themselves (default true); false runs only their from-scratch twins, e.g. a baseline while a model still pre-trains. */
  pretrained?: boolean;
  mode?: FinetuneMode;
  budget?: GueBudget;
  /** Override the models' defaults (lr, batch, warm-up, eval interval); the budget wins over these. */
  overrides?: FinetuneOptions;
  seeds?: readonly number[];
  outDir: string;
  /** The Markdown file with the published table (SOURCES.md); null: no published columns. */
  publishedPath?: string | null;
  /** Units at once; 'auto' = 2 when two cores are free, else 1. */
  parallel?: number | 'auto';
  backend?: BackendPreference;
  signal?: AbortSignal;
  onLog?: (line: string) => void;
  onProgress?: (p: GueProgress) => void;
  /** Worker entry and Node flags (tests, packaged builds); default unit-worker.ts with this process's flags. */
  worker?: { script: string; execArgv: string[] };
}

export interface GueProgress {
  done: number;
  total: number;
  /** Units finished in an earlier run (not redone). */
  reused: number;
  running: { key: string; phase: string; fraction: number; step: number | null; totalSteps: number | null }[];
}

export interface GueRunResult {
  cancelled: boolean;
  results: GueResultsFile;
  jsonPath: string;
  markdownPath: string;
  /** Units that failed, with their error (the others still count). */
  failures: { key: string; error: string }[];
}

/** Each model's settings: its defaults (card, family or size), the user's overrides, the budget. */
export async function modelOptions(model: GueModelSpec, mode: FinetuneMode, overrides: FinetuneOptions, budget: GueBudget): Promise<{ options: FinetuneOptions; defaults: ResolvedModelDefaults }> {
  const raw = JSON.parse(await readFile(join(model.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  const config = await readModelConfig(model.dir);
  const defaults = modelTrainingDefaults({ config: raw, parameters: countParameters(config, { mlm: false, classifier: true, pooler: true }), name: model.name });
  const d = defaults.settings;
  const options: FinetuneOptions = {
    mode,
    lr: d.lr,
    batchSize: d.batchSize,
    weightDecay: d.weightDecay,
    ...(d.maxSteps !== undefined ? { maxSteps: d.maxSteps } : { epochs: d.epochs }),
    ...(d.warmupSteps !== undefined && { warmupSteps: d.warmupSteps }),
    ...(d.evalEvery !== undefined && { evalEvery: d.evalEvery }),
    ...overrides,
  };
  if (budget.maxSteps !== undefined) options.maxSteps = budget.maxSteps;
  else if (budget.epochs !== undefined) {
    delete options.maxSteps;
    options.epochs = budget.epochs;
  }
  if (budget.timeLimitSeconds !== undefined) options.timeLimitSeconds = budget.timeLimitSeconds;
  // Warm-up and the evaluation interval are fractions of a short budget, not fixed counts, when the budget shrinks the run.
  if (options.maxSteps !== undefined && options.warmupSteps !== undefined && options.warmupSteps >= options.maxSteps) options.warmupSteps = Math.floor(options.maxSteps / 10);
  if (options.maxSteps !== undefined && options.evalEvery !== undefined && options.evalEvery > options.maxSteps) options.evalEvery = Math.max(1, Math.ceil(options.maxSteps / 10));
  return { options, defaults };
}

/** unit-worker.ts beside this file when running from source; gue-worker.js beside the bundle (scripts/build.mjs). */
function defaultWorkerScript(): string {
  const source = fileURLToPath(new URL('./unit-worker.ts', import.meta.url));
  return existsSync(source) ? source : fileURLToPath(new URL('./gue-worker.js', import.meta.url));
}

function autoParallel(): number {
  const free = availableParallelism() - loadavg()[0]!;
  return free >= 1.5 ? 2 : 1;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

export async function runGue(o: GueRunOptions): Promise<GueRunResult> {
  const log = (m: string) => o.onLog?.(m);
  const tasks = await findGueTasks(o.root, o.tasks);
  const seeds = o.seeds?.length ? [...o.seeds] : [42];
  const mode = o.mode ?? 'full';
  const scratch = o.scratch ?? true;
  const pretrained = o.pretrained ?? true;
  if (!scratch && !pretrained) throw new Error('gue: nothing to run (no models and no from-scratch twins)');
  if (o.models.length === 0) throw new Error('gue: name at least one model');
  let published: PublishedScores | null = null;
  if (o.publishedPath) {
    let text: string | null = null;
    try {
      text = await readFile(o.publishedPath, 'utf8');
    } catch {
      log(`no published scores: ${o.publishedPath} is not readable`);
    }
    if (text !== null) published = parsePublishedScores(text, o.publishedPath);
  }

  const units: GueUnitSpec[] = [];
  const labels: string[] = [];
  const settings: Record<string, unknown> = { mode, seeds, budget: o.budget ?? {}, overrides: o.overrides ?? {} };
  for (const model of o.models) {
    const { options, defaults } = await modelOptions(model, mode, o.overrides ?? {}, o.budget ?? {});
    settings[model.name] = { options, defaults: defaults.source };
    log(`${model.name}: ${JSON.stringify(options)} (defaults: ${defaults.source})`);
    const variants = [...(pretrained ? [{ label: model.name, scratch: false }] : []), ...(scratch ? [{ label: scratchLabel(model.name), scratch: true }] : [])];
    for (const v of variants) {
      labels.push(v.label);
      for (const task of tasks) {
        for (const seed of seeds) {
          const key = `${safe(v.label)}/${task.name}/seed-${seed}`;
          units.push({ key, task, model: v.label, modelDir: model.dir, scratch: v.scratch, seed, options, backend: o.backend ?? 'auto', dir: join(o.outDir, 'units', key) });
        }
      }
    }
  }

  const results: GueUnitResult[] = [];
  const todo: GueUnitSpec[] = [];
  for (const u of units) {
    const r = await readUnitResult(u.dir);
    // A result from other settings is not this run's: redo it (its checkpoint refuses mixed options).
    if (r && JSON.stringify(r.options) === JSON.stringify(u.options)) results.push(r);
    else todo.push(u);
  }
  const reused = results.length;
  // The tables are written even when every unit failed (the failures are the news).
  await mkdir(o.outDir, { recursive: true });
  if (reused) log(`resuming: ${reused} of ${units.length} units already done in ${o.outDir}`);
  const parallel = Math.max(1, Math.min(o.parallel === undefined || o.parallel === 'auto' ? autoParallel() : o.parallel, todo.length || 1));
  const loadAverageAtStart = loadavg().map((x) => Number(x.toFixed(2)));
  const grid = `${tasks.length} task${tasks.length === 1 ? '' : 's'} x ${labels.length} model${labels.length === 1 ? '' : 's'} x ${seeds.length} seed${seeds.length === 1 ? '' : 's'}`;
  log(todo.length ? `${todo.length} unit${todo.length === 1 ? '' : 's'} to run (${grid}${reused ? `, ${reused} done before` : ''}), ${parallel} at a time` : `nothing to run: all ${reused} units (${grid}) were done before; writing the tables`);

  const failures: GueRunResult['failures'] = [];
  const running = new Map<string, GueProgress['running'][number]>();
  const report = () => o.onProgress?.({ done: results.length, total: units.length, reused, running: [...running.values()] });
  const children = new Set<ChildProcess>();
  const onAbort = () => children.forEach((c) => c.connected && c.send({ type: 'cancel' }));
  o.signal?.addEventListener('abort', onAbort);
  const script = o.worker?.script ?? defaultWorkerScript();
  const execArgv = o.worker?.execArgv ?? process.execArgv;

  const runOne = (u: GueUnitSpec) =>
    new Promise<void>((resolveUnit) => {
      running.set(u.key, { key: u.key, phase: 'prepare', fraction: 0, step: null, totalSteps: null });
      report();
      // Units side by side share the cores.
      const child = fork(script, [], { execArgv, env: envSharingCores(parallel), stdio: ['ignore', 'inherit', 'pipe', 'ipc'], serialization: 'json' });
      children.add(child);
      let stderr = '';
      let settled = false;
      child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      const finish = (error?: string) => {
        if (settled) return;
        settled = true;
        if (error) {
          failures.push({ key: u.key, error });
          log(`${u.key}: failed: ${error}`);
        }
        running.delete(u.key);
        children.delete(child);
        report();
        resolveUnit();
      };
      child.on('message', (m: { type: string; message?: string; result?: GueUnitResult | null; phase?: string; fraction?: number; step?: number | null; totalSteps?: number | null }) => {
        if (m.type === 'log') log(`${u.key}: ${m.message}`);
        else if (m.type === 'progress') {
          running.set(u.key, { key: u.key, phase: m.phase!, fraction: m.fraction!, step: m.step ?? null, totalSteps: m.totalSteps ?? null });
          report();
        } else if (m.type === 'done') {
          if (m.result) {
            results.push(m.result);
            log(`${u.key}: test ${m.result.metric.toUpperCase()} ${m.result.score.toFixed(1)} (best dev loss ${m.result.bestDevLoss?.toFixed(4)} at step ${m.result.bestStep}, ${Math.round(m.result.seconds)} s)`);
          }
          finish();
        } else if (m.type === 'error') finish(m.message);
      });
      child.on('close', (code, signal) => finish(code === 0 ? undefined : `worker exited with ${signal ?? code}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`));
      child.send({ type: 'run', spec: u });
    });

  const queue = [...todo];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (queue.length && !o.signal?.aborted) await runOne(queue.shift()!);
    }),
  );
  o.signal?.removeEventListener('abort', onAbort);

  const taskList = tasks.map((t: GueTask) => ({ name: t.name, metric: t.metric }));
  // This call's load says nothing about units reused from earlier calls: each unit records its own.
  const unitLoads = results.flatMap((r) => r.loadAverage ?? []);
  const machine = {
    cores: availableParallelism(),
    // Units run at once in this call (0 when it only reused units).
    parallel: todo.length ? parallel : 0,
    loadAverageAtStart,
    loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2))),
    unitsRun: results.length - reused,
    unitsReused: reused,
    unitLoadAverage1m: unitLoads.length ? { min: Math.min(...unitLoads), max: Math.max(...unitLoads), units: results.filter((r) => r.loadAverage).length } : null,
  };
  const file = buildResults({ root: o.root, tasks: taskList, models: labels, results, published, settings, machine });
  const jsonPath = join(o.outDir, RESULTS_JSON);
  const markdownPath = join(o.outDir, RESULTS_MD);
  await writeJsonAtomic(jsonPath, file);
  await writeFileAtomic(markdownPath, resultsMarkdown(file));
  return { cancelled: o.signal?.aborted ?? false, results: file, jsonPath, markdownPath, failures };
}
