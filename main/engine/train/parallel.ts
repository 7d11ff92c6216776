// Data-parallel gradients over worker processes. Two wasm processes run side by side at full speed
// each (tfjs-wasm is single-threaded in Node), so on a 2-core machine splitting every batch between
// this process and one worker nearly doubles training throughput. Each step: the parent sends the
// current parameters, a shard of the batch and a dropout seed to each worker, computes its own shard
// meanwhile, then averages the gradients weighted by shard size (= the full-batch gradient of a
// mean loss) and hands them to the optimizer as usual. Parameters stay owned by the parent.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tf } from './tf';
import type { NamedTensors } from './adamw';
import { lossAndGradients, type GradientComputer, type GradientResult, type LossFn } from './gradients';
import { envSharingCores } from '../wasm-threads';

export interface GradientTask<B> {
  params: Map<string, tf.Variable>;
  lossFn: LossFn<B>;
}

/** A task module exports `createGradientTask(options)`, building the same model and loss as the parent's. */
export type CreateGradientTask<B> = (options: unknown) => Promise<GradientTask<B>> | GradientTask<B>;

export interface DataParallelOptions<B> {
  /** The parent's own model: its parameters are the ones trained. */
  local: GradientTask<B>;
  /** Path or file URL of the task module the workers load. */
  taskModule: string;
  /** Structured-cloneable options passed to createGradientTask in each worker. */
  taskOptions?: unknown;
  /** Shards per batch, this process included (2 = this process + 1 worker). */
  shards: number;
  /** Splits a batch into `parts` non-empty shards (plain data: they are cloned to the workers). */
  split: (batch: B, parts: number) => B[];
  /** Examples in a shard: the weight of its mean loss and gradient. */
  sizeOf: (batch: B) => number;
  /** Node flags for the workers; default: this process's (e.g. `--import tsx` under tsx). */
  execArgv?: string[];
  /** The worker script; default parallel-worker.ts beside this file (a bundled build points at its own). */
  workerScript?: string;
}

interface WorkerReply {
  type: 'ready' | 'grads' | 'error';
  id?: number;
  loss?: number;
  grads?: Record<string, Float32Array>;
  message?: string;
}

export interface DataParallelGradients<B> extends GradientComputer<B> {
  close(): Promise<void>;
}

/** Derives a distinct dropout seed per shard from the step's seed. */
export function shardSeed(seed: number, shard: number): number {
  return shard === 0 ? seed : (seed ^ Math.imul(shard, 0x9e3779b9)) >>> 0;
}

class Worker {
  private pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private exited: Error | null = null;

  constructor(private readonly child: ChildProcess) {
    child.on('message', (m: WorkerReply) => {
      const id = m.id ?? 0;
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      if (m.type === 'error') p.reject(new Error(`data-parallel worker: ${m.message}`));
      else p.resolve(m);
    });
    child.on('exit', (code, signal) => {
      this.exited = new Error(`data-parallel worker exited (code ${code}, signal ${signal})`);
      for (const p of this.pending.values()) p.reject(this.exited);
      this.pending.clear();
    });
  }

  request(msg: Record<string, unknown>, id = this.nextId++): Promise<WorkerReply> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...msg, id });
    });
  }

  close(): Promise<void> {
    if (this.exited || this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'close' });
    });
  }
}

export async function startDataParallel<B>(o: DataParallelOptions<B>): Promise<DataParallelGradients<B>> {
  if (!Number.isInteger(o.shards) || o.shards < 1) throw new Error(`data-parallel: shards must be a positive integer, got ${o.shards}`);
  const script = o.workerScript ?? fileURLToPath(new URL('./parallel-worker.ts', import.meta.url));
  const taskModule = o.taskModule.startsWith('file:') ? o.taskModule : new URL(`file://${o.taskModule}`).href;
  const workers: Worker[] = [];
  try {
    for (let i = 1; i < o.shards; i++) {
      // The shards share the cores.
      const child = fork(script, [], { execArgv: o.execArgv ?? process.execArgv, env: envSharingCores(o.shards), serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const w = new Worker(child);
      workers.push(w);
      await w.request({ type: 'init', taskModule, taskOptions: o.taskOptions }, 0);
    }
  } catch (e) {
    await Promise.all(workers.map((w) => w.close()));
    throw e;
  }
  const names = [...o.local.params.keys()];

  const compute = async (batch: B, seed: number): Promise<GradientResult> => {
    const shards = o.split(batch, o.shards);
    if (shards.length !== o.shards) throw new Error(`data-parallel: split returned ${shards.length} shards, expected ${o.shards}`);
    const sizes = shards.map(o.sizeOf);
    const total = sizes.reduce((a, b) => a + b, 0);
    const params: Record<string, Float32Array> = {};
    if (workers.length) for (const [name, p] of o.local.params) params[name] = (await p.data()) as Float32Array;
    // Workers start first; this process computes shard 0 while they run.
    const remote = workers.map((w, i) => w.request({ type: 'grads', params, batch: shards[i + 1], seed: shardSeed(seed, i + 1) }));
    const local = lossAndGradients(o.local.params, o.local.lossFn, shards[0] as B, seed);
    let replies: WorkerReply[];
    try {
      replies = await Promise.all(remote);
    } catch (e) {
      for (const g of local.grads.values()) g.dispose();
      throw e;
    }
    const w0 = (sizes[0] as number) / total;
    let loss = local.loss * w0;
    const grads: NamedTensors = new Map();
    for (const name of names) {
      const shape = (o.local.params.get(name) as tf.Variable).shape;
      grads.set(
        name,
        tf.tidy(() => {
          let acc = tf.mul(local.grads.get(name) as tf.Tensor, tf.scalar(w0));
          replies.forEach((r, i) => {
            const g = r.grads?.[name];
            if (!g) throw new Error(`data-parallel: worker ${i + 1} sent no gradient for "${name}"`);
            acc = tf.add(acc, tf.mul(tf.tensor(g, shape), tf.scalar((sizes[i + 1] as number) / total)));
          });
          return acc;
        }),
      );
    }
    replies.forEach((r, i) => (loss += (r.loss ?? NaN) * ((sizes[i + 1] as number) / total)));
    for (const g of local.grads.values()) g.dispose();
    return { loss, grads };
  };

  return { compute, close: async () => void (await Promise.all(workers.map((w) => w.close()))) };
}

/** Splits along the first axis of every typed array / array field proportionally to `size`. */
export function splitByExamples<B extends object>(batch: B, parts: number, size: number): B[] {
  const out: B[] = [];
  for (let i = 0; i < parts; i++) {
    const from = Math.floor((i * size) / parts);
    const to = Math.floor(((i + 1) * size) / parts);
    const shard: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(batch as Record<string, unknown>)) {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        const arr = v as unknown as Float32Array;
        const per = arr.length / size;
        shard[k] = arr.slice(from * per, to * per);
      } else if (Array.isArray(v)) {
        const per = v.length / size;
        shard[k] = v.slice(from * per, to * per);
      } else shard[k] = v;
    }
    out.push(shard as B);
  }
  return out;
}
