// Starts tfjs-backend-wasm's threaded SIMD build in Node, so XNNPACK's matrix products use every
// core without libtensorflow.
//
// tfjs 4.x ships the threaded binary (tfjs-backend-wasm-threaded-simd.wasm, Emscripten pthreads)
// but turns it off in Node (tensorflow/tfjs#3830), and three things stop it there when forced on:
//   1. it starts its pthread workers from `blob:` URLs, which Node's worker_threads refuse
//      (ERR_WORKER_PATH), and hands them the main script as a Blob they read by URL too;
//   2. the main script it hands them is the factory's source text, cut out of the Node bundle, so
//      it names the bundle's own top-level helpers (rollup's `commonjsGlobal` and `require$$N`,
//      tslib's `__values`/`__read`/`__spreadArray`), which do not exist in a worker;
//   3. its C side caps the thread count at half of the logical CPUs (it assumes hyper-threading),
//      so a 2-core machine gets 1 thread whatever setThreadsCount says.
// No option of the package reaches these, and a patched copy of the package would have to be kept
// in step with its releases, so for the few milliseconds of initialisation only we stand in for
// `Blob` and `URL.createObjectURL` (writing the two scripts to files the workers can load, the
// worker's with a prelude that defines those helpers) and for `os.cpus()` (so the cap is the count
// asked for). The helper names were read from tfjs-backend-wasm 4.22.0's Node bundle, so other
// versions stay on one thread (wasmThreadsUnsupported says why) until someone checks theirs.
// Emscripten also pre-starts 8 workers whatever the count; the unused ones are stopped after.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import type { Tf } from './backend';

const requireHere = createRequire(import.meta.url);

/** The tfjs-backend-wasm release whose Node bundle the worker prelude below was written for. */
export const THREADED_WASM_VERSION = '4.22.0';

/** The most threads the package's build allows (it pre-creates 8 workers). */
export const MAX_WASM_THREADS = 8;

/** Why this process cannot run the threaded build, or null when it can. */
export function wasmThreadsUnsupported(): string | null {
  let version = '';
  try {
    version = (requireHere('@tensorflow/tfjs-backend-wasm/package.json') as { version: string }).version;
  } catch {
    return 'tfjs-backend-wasm not installed';
  }
  if (version !== THREADED_WASM_VERSION) return `threaded wasm is wired for tfjs-backend-wasm ${THREADED_WASM_VERSION}, this is ${version}`;
  if (typeof SharedArrayBuffer === 'undefined') return 'this runtime has no SharedArrayBuffer';
  return null;
}

/** LOCI_WASM_THREADS read once: the usable count it asks for (null: unset or unusable) and what is wrong with it. */
function readWasmThreadsEnv(env: NodeJS.ProcessEnv): { asked: number | null; problem: string | null } {
  const raw = env.LOCI_WASM_THREADS;
  if (raw === undefined || raw.trim() === '') return { asked: null, problem: null };
  const asked = Number(raw);
  if (!Number.isInteger(asked) || asked <= 0) return { asked: null, problem: `LOCI_WASM_THREADS=${JSON.stringify(raw)} ignored: not a positive whole number` };
  return { asked, problem: asked > MAX_WASM_THREADS ? `LOCI_WASM_THREADS=${asked} cut to ${MAX_WASM_THREADS}, the most Loci starts` : null };
}

/** The XNNPACK thread count asked for: LOCI_WASM_THREADS, else one per logical CPU (at most 8). */
export function defaultWasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  return Math.max(1, Math.min(MAX_WASM_THREADS, readWasmThreadsEnv(env).asked ?? os.availableParallelism()));
}

/** What is wrong with LOCI_WASM_THREADS, for `loci doctor` and the status bar; null when unset or fine. */
export function wasmThreadsEnvProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  return readWasmThreadsEnv(env).problem;
}

/**
 * The environment of a child process when `share` processes run side by side: each one's wasm
 * backend (LOCI_WASM_THREADS) and tfjs-node's TensorFlow thread pool (TF_NUM_INTRAOP_THREADS) get
 * their part of the cores, unless the environment already says how many.
 */
export function envSharingCores(share: number, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (share <= 1) return env;
  const part = String(Math.max(1, Math.floor(os.availableParallelism() / share)));
  return { ...env, LOCI_WASM_THREADS: env.LOCI_WASM_THREADS ?? part, TF_NUM_INTRAOP_THREADS: env.TF_NUM_INTRAOP_THREADS ?? part };
}

/** What a worker needs before it evaluates the bundle's factory text (point 2 above). */
function workerPrelude(): string {
  const tslib = requireHere.resolve('tslib');
  return [
    'globalThis.commonjsGlobal = globalThis;',
    `{ const t = require(${JSON.stringify(tslib)}); globalThis.__values = t.__values; globalThis.__read = t.__read; globalThis.__spreadArray = t.__spreadArray; }`,
    "globalThis.require$$0 = require('fs'); globalThis.require$$1 = require('path'); globalThis.require$$3 = require('perf_hooks'); globalThis.require$$4 = require('os');",
    // The main script arrives as the structured clone of a FileBlob below: its file path.
    '{ const create = URL.createObjectURL; URL.createObjectURL = (b) => (b && typeof b.lociPath === "string" ? b.lociPath : create(b)); const revoke = URL.revokeObjectURL; URL.revokeObjectURL = (u) => (u.startsWith("blob:") ? revoke(u) : undefined); }',
    '',
  ].join('\n');
}

interface EmscriptenWorker {
  terminate(): unknown;
  unref(): void;
}
interface WasmModule {
  PThread?: { unusedWorkers: EmscriptenWorker[]; runningWorkers: EmscriptenWorker[] };
}

/**
 * Runs `setBackend` (tf.setBackend('wasm') with the engine's kernels registered) with the threaded
 * build and `threads` XNNPACK threads; returns the thread count the backend reports.
 */
export async function startThreadedWasm(tf: Tf, wasm: { setThreadsCount(n: number): void; getThreadsCount(): number }, threads: number, setBackend: () => Promise<boolean>): Promise<number> {
  const dir = mkdtempSync(join(os.tmpdir(), 'loci-wasm-threads-'));
  const realBlob = globalThis.Blob;
  const realCreate = URL.createObjectURL;
  const realCpus = os.cpus;
  // A Blob stand-in that is a file: the package builds two Blobs while it starts (the worker
  // script, handed to `new Worker` through createObjectURL, and the main script, posted to each
  // worker). Both are only ever read as URLs, which for us are these paths.
  class FileBlob {
    readonly lociPath: string;
    constructor(parts: string[]) {
      const text = parts.join('');
      const isMain = text.startsWith('var WasmBackendModuleThreadedSimd');
      this.lociPath = join(dir, isMain ? 'main.js' : 'worker.js');
      writeFileSync(this.lociPath, isMain ? text : workerPrelude() + text);
    }
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  (globalThis as { Blob: unknown }).Blob = FileBlob;
  URL.createObjectURL = (b: unknown) => (b instanceof FileBlob ? b.lociPath : realCreate(b as Blob));
  const cpus = realCpus();
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length] ?? cpus[0]!);
  try {
    if (!(await setBackend())) throw new Error("tf.setBackend('wasm') failed with threads");
  } finally {
    (globalThis as { Blob: unknown }).Blob = realBlob;
    URL.createObjectURL = realCreate;
    os.cpus = realCpus;
    // Every worker has read both files once the backend is up (Emscripten waits for all to load).
    rmSync(dir, { recursive: true, force: true });
  }
  const module = (tf.backend() as unknown as { wasm: WasmModule }).wasm;
  const pool = module.PThread;
  if (pool) {
    for (const w of pool.unusedWorkers.splice(0)) void w.terminate();
    // XNNPACK's threads only work inside a call from this thread: they must not keep the process alive.
    for (const w of pool.runningWorkers) w.unref();
  }
  return wasm.getThreadsCount();
}
