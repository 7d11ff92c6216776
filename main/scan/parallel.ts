// Scoring on several engine instances at once: this thread's Scorer plus N-1 worker threads
// (infer-worker.ts), each with its own tfjs backend and copy of the model. tfjs-wasm runs one
// thread per instance in Node, so N instances use N cores. Threads rather than processes: each
// thread has its own V8 isolate and wasm memory (so its own tfjs engine), they die with the job's
// process however it ends (SIGKILL included), and a worker thread runs the same way in Node and in
// Electron's utility process, where the jobs run.
//
// A list is cut into N contiguous slices of nearly equal size (the split of data-parallel
// training), slice i scored by instance i with the same Scorer and its own bucketing, so the
// probabilities are a function of the list and N alone: a paused and resumed scan with the same N
// writes the same bytes. They differ from one instance's by float rounding only (the batches pad
// to other lengths).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackendName } from '../../shared/contract/system';
import { splitByExamples } from '../engine/train/parallel';
import type { Scorer, ScorerStats } from './infer';
import type { WindowScorer } from './job';

/** What a worker thread loads: the parent's model folder and settings, on the backend the parent uses. */
export interface EngineSpec {
  modelDir: string;
  backend: BackendName;
  numLabels: number;
  batchSize: number;
  maxTokens: number;
}

export type ToWorker = { type: 'score'; id: number; sequences: string[] };
export type FromWorker =
  | { type: 'ready'; backend: BackendName }
  | { type: 'scored'; id: number; probs: Float64Array; stats: ScorerStats }
  | { type: 'error'; id: number; message: string };

/**
 * A worker thread running infer-worker.ts: scan-worker.js beside the bundle (scripts/build.mjs), or
 * from source under tsx, whose hooks a worker thread does not inherit from `--import tsx`: it
 * registers them itself before importing the TypeScript.
 */
function startWorker(spec: EngineSpec): Worker {
  const source = new URL('./infer-worker.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source))) return new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: spec });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(boot, { eval: true, workerData: spec });
}

interface Pending {
  resolve: (r: { probs: Float64Array; stats: ScorerStats }) => void;
  reject: (e: Error) => void;
}

const live = new Set<EngineThread>();

/** Scan worker threads of this process not yet ended (the tests check that none is left behind). */
export function runningScanWorkers(): number {
  return live.size;
}

/** One worker thread. It keeps the process alive only while a request is pending. */
class EngineThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  readonly ready: Promise<BackendName>;
  exited = false;

  constructor(
    private readonly worker: Worker,
    readonly index: number,
  ) {
    live.add(this);
    const fail = (e: Error) => {
      this.failure ??= e;
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => {}, reject });
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          this.pending.delete(0);
          worker.unref();
          return resolve(m.backend);
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.type === 'error') p.reject(new Error(`scan worker ${index}: ${m.message}`));
        else p.resolve(m);
        if (this.pending.size === 0) worker.unref();
      });
    });
    // An uncaught error in the thread, or its end (a crash, or terminate()).
    worker.on('error', (e) => fail(new Error(`scan worker ${index}: ${e.message}`)));
    worker.on('exit', (code) => {
      this.exited = true;
      live.delete(this);
      fail(new Error(`scan worker ${index} exited (code ${code})`));
    });
  }

  score(sequences: string[]): Promise<{ probs: Float64Array; stats: ScorerStats }> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ type: 'score', id, sequences } satisfies ToWorker);
    });
  }

  /** Stops the thread now, mid-batch if it is in one; what it was asked fails with `reason`. */
  async terminate(reason: Error): Promise<void> {
    this.failure ??= reason;
    if (!this.exited) await this.worker.terminate();
  }
}

const ZERO_STATS: ScorerStats = { sequences: 0, tokens: 0, paddedTokens: 0, truncated: 0, inferSeconds: 0, tokenizeSeconds: 0 };

function addStats(a: ScorerStats, b: ScorerStats): ScorerStats {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + b[k as keyof ScorerStats]])) as unknown as ScorerStats;
}

export class ParallelScorer implements WindowScorer {
  private remote: ScorerStats = { ...ZERO_STATS };
  private closed: Error | null = null;

  private constructor(
    private readonly local: Scorer,
    private readonly threads: EngineThread[],
  ) {}

  /**
   * Starts `instances - 1` worker threads beside `local` (built from `spec`), each loading the
   * model folder on `spec.backend`. Fails with the first worker's error (every thread stopped).
   */
  static async start(local: Scorer, spec: EngineSpec, instances: number, signal?: AbortSignal): Promise<ParallelScorer> {
    if (!Number.isInteger(instances) || instances < 1) throw new RangeError(`scan workers: a whole number of at least 1, got ${instances}`);
    const threads = Array.from({ length: instances - 1 }, (_, i) => new EngineThread(startWorker(spec), i + 1));
    const scorer = new ParallelScorer(local, threads);
    const onAbort = () => void scorer.close(new Error('scan workers stopped: the job was stopped'));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      const backends = await Promise.all(threads.map((t) => t.ready));
      const other = backends.find((b) => b !== spec.backend);
      if (other) throw new Error(`a scan worker loaded ${other}, not ${spec.backend}`);
      signal?.throwIfAborted();
      return scorer;
    } catch (e) {
      await scorer.close(e instanceof Error ? e : new Error(String(e)));
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Engine instances, this thread's included. */
  get instances(): number {
    return this.threads.length + 1;
  }

  get stats(): ScorerStats {
    return addStats(this.local.stats, this.remote);
  }

  get numLabels(): number {
    return this.local.numLabels;
  }

  /** Row-major [sequences.length, numLabels] probabilities; slice i on instance i (0 = this thread). */
  async score(sequences: readonly string[], signal?: AbortSignal): Promise<Float64Array> {
    if (this.closed) throw this.closed;
    signal?.throwIfAborted();
    const n = sequences.length;
    if (n === 0) return new Float64Array(0);
    const parts = Math.max(1, Math.min(this.instances, n));
    const slices = splitByExamples({ sequences: [...sequences] }, parts, n).map((s) => s.sequences);
    // A stop ends the threads at once (they may be mid-batch); the job ends after a stop anyway.
    const onAbort = () => void this.close(new Error('scan workers stopped: the job was stopped'));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // The threads start first; this thread scores slice 0 meanwhile.
      const remote = slices.slice(1).map((s, i) => this.threads[i]!.score(s));
      const settled = await Promise.allSettled([this.local.score(slices[0]!, signal).then((probs) => ({ probs, stats: ZERO_STATS })), ...remote]);
      signal?.throwIfAborted();
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) {
        // A worker that failed leaves the pool unusable: stop the others too.
        await this.close(failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason)));
        throw failed.reason;
      }
      const out = new Float64Array(n * this.numLabels);
      let at = 0;
      for (const r of settled as PromiseFulfilledResult<{ probs: Float64Array; stats: ScorerStats }>[]) {
        out.set(r.value.probs, at);
        at += r.value.probs.length;
        this.remote = addStats(this.remote, r.value.stats);
      }
      return out;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops every worker thread (idempotent); later score() calls fail with `reason`. */
  async close(reason = new Error('scan workers closed')): Promise<void> {
    this.closed ??= reason;
    await Promise.all(this.threads.map((t) => t.terminate(this.closed!)));
  }
}
