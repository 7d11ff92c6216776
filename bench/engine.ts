// Benchmark: training and inference throughput (tokens/s) and peak memory of the engine's
// DNABERT-2 encoder + classifier (post-LN, ALiBi, GEGLU; AdamW, clip 1.0) in tfjs on every CPU
// backend that loads here (tfjs-node where its addon exists, e.g. built by
// scripts/tfjs-node-from-wheel.sh; wasm), next to the same architecture in PyTorch (Debian
// python3-torch + OpenBLAS: bench/reference/torch_bench.py). Sequence 128, batch 32, configs tiny
// and small. Fair by construction: every figure is the median of `--repeats` runs (each in its own
// child process, so peak RSS is its own), ours and the peer's interleaved; the peer runs with
// OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset in its command alone; the load average is printed
// before and after, with a warning when the machine was busy.
//   node --import tsx bench/engine.ts [--repeats 3] [--warmup 2] [--steps 5] [--configs tiny,small]
//     [--backends tfjs-node,wasm] [--threads 2 | --threads 1,2] [--shards 2] [--profile]
//     [--stock-kernels Slice,SplitV,Sum,Identity]
// `--threads 1,2` gives the scaling from 1 to 2 threads (PyTorch's set_num_threads, tfjs-node's
// TF_NUM_INTRAOP_THREADS, the wasm backend's XNNPACK threads through LOCI_WASM_THREADS).
// `--profile` prints, for each timed run, the kernels that took the most time (to stderr).
// `--stock-kernels` puts tfjs's own kernels back in place of the named engine kernels (before/after
// figures; in this process only, not in data-parallel workers).
// `--shards 2` adds a data-parallel training run (this process + 1 worker, main/engine/train/parallel.ts); 1 = off.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import type { BackendPreference } from '../shared/contract/system';

interface BenchConfig {
  name: string;
  layers: number;
  hidden: number;
  heads: number;
  ffn: number;
  vocab: number;
  seq: number;
  batch: number;
  warmup: number;
  steps: number;
  threads: number;
}

interface Figures {
  train_tokens_per_s: number;
  infer_tokens_per_s: number;
  peak_rss_mb: number;
  params: number;
  wasm_heap_mb?: number;
  backend?: string;
  /** The backend as the engine names it, e.g. "wasm (SIMD, 2 threads)". */
  backend_label?: string;
  /** The peer's BLAS (threadpoolctl), to show which OpenBLAS kernel it ran. */
  blas?: string;
}

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};

const CONFIGS: Record<string, Omit<BenchConfig, 'warmup' | 'steps' | 'threads' | 'vocab' | 'seq' | 'batch'>> = {
  tiny: { name: 'tiny', layers: 2, hidden: 128, heads: 4, ffn: 512 },
  small: { name: 'small', layers: 4, hidden: 256, heads: 4, ffn: 1024 },
};

interface BenchBatch {
  ids: Int32Array;
  labels: Int32Array;
  size: number;
}

/** The model and loss of one config; also the data-parallel workers' task (createGradientTask). */
async function buildTask(c: BenchConfig, backend: BackendPreference) {
  const { initBackend } = await import('../main/engine/backend');
  const { tf, ensureGradients } = await import('../main/engine/train/tf');
  const { createModel, makeConfig } = await import('../main/engine/model');
  const { report } = await initBackend(backend);
  await ensureGradients();
  const stock = opt('--stock-kernels', '');
  if (stock) (await import('../main/engine/kernels')).unregisterEngineKernels(stock.split(','));
  const config = makeConfig('dnabert2', {
    vocab_size: c.vocab,
    hidden_size: c.hidden,
    num_hidden_layers: c.layers,
    num_attention_heads: c.heads,
    intermediate_size: c.ffn,
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0,
    num_labels: 2,
  });
  const model = createModel(config, { heads: { classifier: true, mlm: false } });
  const lossFn = (b: BenchBatch, ctx: { training: boolean; seed: number }): tf.Scalar =>
    tf.tidy(() => {
      const inputIds = tf.tensor2d(b.ids, [b.size, c.seq], 'int32');
      const labels = tf.oneHot(tf.tensor1d(b.labels, 'int32'), 2);
      const { logits } = model.forward({ inputIds }, { training: ctx.training, seed: ctx.seed });
      return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits as tf.Tensor2D)), -1))) as tf.Scalar;
    });
  return { tf, model, params: model.params(), lossFn, backend: report.chosen, label: /^[^:(]+(\([^)]*\))?/.exec(report.summary)![0].trim() };
}

export async function createGradientTask(options: unknown) {
  const { c, backend } = options as { c: BenchConfig; backend: BackendPreference };
  const t = await buildTask(c, backend);
  return { params: t.params, lossFn: t.lossFn };
}

/** Child: one config in tfjs; `shards` > 1 trains data-parallel over that many processes. */
async function tfjsChild(c: BenchConfig, backend: BackendPreference, shards: number): Promise<void> {
  const { AdamW, clipByGlobalNorm, inProcessGradients } = await import('../main/engine/train');
  const { startDataParallel, splitByExamples } = await import('../main/engine/train/parallel');
  const { tf, model, params, lossFn, backend: chosen, label } = await buildTask(c, backend);
  const ids = new Int32Array(c.batch * c.seq);
  const labels = new Int32Array(c.batch);
  let s = 12345;
  for (let i = 0; i < ids.length; i++) ids[i] = 5 + ((s = (s * 1103515245 + 12345) >>> 0) % (c.vocab - 5));
  for (let i = 0; i < labels.length; i++) labels[i] = i % 2;
  const batch: BenchBatch = { ids, labels, size: c.batch };
  const dp =
    shards > 1
      ? await startDataParallel<BenchBatch>({
          local: { params, lossFn },
          taskModule: fileURLToPath(import.meta.url),
          taskOptions: { c, backend },
          shards,
          split: (b, parts) => splitByExamples(b, parts, b.size).map((x) => ({ ...x, size: x.labels.length })),
          sizeOf: (b) => b.size,
        })
      : null;
  const gradients = dp ?? inProcessGradients(params, lossFn);
  const optimizer = new AdamW(params, { weightDecay: 0.01 });
  let seed = 0;
  // The trainer's step, minus the data stream: gradients, clip 1.0, AdamW.
  const trainStep = async () => {
    const { grads } = await gradients.compute(batch, seed++);
    const clipped = clipByGlobalNorm(grads, 1.0);
    optimizer.apply(clipped.grads, 3e-5);
    for (const g of [...grads.values(), ...clipped.grads.values()]) g.dispose();
  };
  const inferStep = async () => {
    const inputIds = tf.tensor2d(ids, [c.batch, c.seq], 'int32');
    const { logits } = model.forward({ inputIds }, { training: false });
    logits?.dataSync();
    logits?.dispose();
    inputIds.dispose();
  };
  const profile = args.includes('--profile') ? profileKernels(tf, tf.getBackend()) : null;
  const timed = async (fn: () => Promise<void>, what: string): Promise<number> => {
    for (let i = 0; i < c.warmup; i++) await fn();
    profile?.reset();
    const t0 = performance.now();
    for (let i = 0; i < c.steps; i++) await fn();
    const ms = performance.now() - t0;
    profile?.print(`${c.name} ${what}`, ms, c.steps);
    return (c.batch * c.seq * c.steps) / (ms / 1000);
  };
  const train = await timed(trainStep, 'train');
  await dp?.close();
  const infer = shards > 1 ? 0 : await timed(inferStep, 'inference');
  const backendImpl = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  const heap = backendImpl.wasm?.HEAPU8?.byteLength;
  const out: Figures = {
    train_tokens_per_s: train,
    infer_tokens_per_s: infer,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    params: model.parameterCount(),
    backend: chosen,
    backend_label: label,
    ...(heap ? { wasm_heap_mb: heap / 2 ** 20 } : {}),
  };
  console.log(JSON.stringify(out));
}

/**
 * `--profile`: wraps every kernel of `backend` with a timer and prints, per timed step, the kernels
 * (by name, input shapes and transpose flags) that took the most time, self time only (a kernel
 * that calls another, like the engine's BatchMatMul calling Transpose, is not counted twice).
 */
function profileKernels(tfc: typeof tf, backend: string) {
  const stats = new Map<string, { calls: number; ms: number }>();
  let childMs = 0;
  for (const k of tfc.getKernelsForBackend(backend)) {
    const inner = k.kernelFunc;
    const timedKernel: tf.KernelFunc = (kargs) => {
      const outerChild = childMs;
      childMs = 0;
      const t0 = performance.now();
      try {
        return inner(kargs);
      } finally {
        const dt = performance.now() - t0;
        const shapes = Object.values(kargs.inputs).map((t) => `[${t?.shape.join(',') ?? ''}]`).join('x');
        const a = kargs.attrs as { transposeA?: boolean; transposeB?: boolean } | undefined;
        const flags = a?.transposeA !== undefined ? ` tA=${a.transposeA} tB=${a.transposeB}` : '';
        const key = `${k.kernelName} ${shapes}${flags}`;
        const st = stats.get(key) ?? { calls: 0, ms: 0 };
        st.calls++;
        st.ms += dt - childMs;
        stats.set(key, st);
        childMs = outerChild + dt;
      }
    };
    // Keep the properties (e.g. the engine's mark on its own kernels) of the wrapped function.
    Object.assign(timedKernel, inner);
    for (const sym of Object.getOwnPropertySymbols(inner)) (timedKernel as unknown as Record<symbol, unknown>)[sym] = (inner as unknown as Record<symbol, unknown>)[sym];
    tfc.unregisterKernel(k.kernelName, backend);
    tfc.registerKernel({ ...k, kernelFunc: timedKernel });
  }
  return {
    reset: () => stats.clear(),
    print(title: string, totalMs: number, steps: number) {
      const rows = [...stats.entries()].sort((x, y) => y[1].ms - x[1].ms);
      const kernelMs = rows.reduce((sum, [, v]) => sum + v.ms, 0);
      console.error(`[profile] ${title}: ${fmtMs(totalMs / steps)} ms per step, ${fmtMs(kernelMs / steps)} ms in kernels`);
      for (const [key, v] of rows.slice(0, 25)) console.error(`[profile] ${fmtMs(v.ms / steps).padStart(8)} ms ${String(v.calls / steps).padStart(5)}x  ${key}`);
    },
  };
}

const fmtMs = (ms: number) => ms.toFixed(1);

function lastJsonLine(stdout: string, who: string, stderr: string): Figures {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (!line) throw new Error(`${who} printed no result.\n${stderr.slice(-2000)}`);
  return JSON.parse(line) as Figures;
}

/** The child's environment: tfjs-node (libtensorflow) and the wasm backend take their thread counts from these variables. */
function tfjsEnv(threads: number): NodeJS.ProcessEnv {
  return { ...process.env, TF_NUM_INTRAOP_THREADS: String(threads), TF_NUM_INTEROP_THREADS: '1', TF_CPP_MIN_LOG_LEVEL: '2', LOCI_WASM_THREADS: String(threads) };
}

function runTfjs(c: BenchConfig, backend: string, shards: number): Figures {
  const stock = opt('--stock-kernels', '');
  const extra = [...(stock ? ['--stock-kernels', stock] : []), ...(args.includes('--profile') ? ['--profile'] : [])];
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', JSON.stringify(c), '--backend', backend, '--shards', String(shards), ...extra], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    env: tfjsEnv(c.threads),
  });
  if (r.status !== 0) throw new Error(`tfjs ${c.name} failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
  for (const l of r.stderr.split('\n')) if (l.startsWith('[profile]')) console.error(l);
  return lastJsonLine(r.stdout, `tfjs ${c.name}`, r.stderr);
}

function findTorchPython(): string | null {
  for (const py of [process.env.LOCI_PYTHON, 'python3', '/usr/bin/python3']) {
    if (py && spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}

/**
 * The peer's environment: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are set on some of these machines
 * for old OpenBLAS builds and slow a current one by ~20%; they are unset in the peer's command
 * alone (tests and CI keep them).
 */
export function peerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out.OPENBLAS_CORETYPE;
  delete out.OPENBLAS_L2_SIZE;
  return out;
}

function runTorch(py: string, c: BenchConfig): Figures {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'reference', 'torch_bench.py');
  const r = spawnSync(py, [script, JSON.stringify(c)], { encoding: 'utf8', env: peerEnv() });
  if (r.status !== 0) throw new Error(`PyTorch ${c.name} failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
  return lastJsonLine(r.stdout, `PyTorch ${c.name}`, r.stderr);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Median and spread ((max - min) / median) of repeated figures. */
export function summarize(xs: readonly number[]): { median: number; spread: number; min: number; max: number } {
  if (!xs.length) throw new Error('no figures to summarize');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, spread: median ? (s.at(-1)! - s[0]!) / median : 0, min: s[0]!, max: s.at(-1)! };
}

const cell = (xs: number[]) => {
  const { median, spread } = summarize(xs);
  return `${fmt(median)} ±${fmt((spread * 100) / 2)}%`;
};

const loadLine = () => {
  const [l1, l5, l15] = loadavg();
  return `load average ${l1!.toFixed(2)} ${l5!.toFixed(2)} ${l15!.toFixed(2)} (${cpus().length} cores)`;
};

/** Busy: more than a quarter of the cores already in use by something else before we start. */
const busy = (load1: number) => load1 > Math.max(0.5, cpus().length / 4);

async function main(): Promise<void> {
  const warmup = Number(opt('--warmup', '2'));
  const steps = Number(opt('--steps', '5'));
  const repeats = Math.max(1, Number(opt('--repeats', '3')));
  const names = opt('--configs', 'tiny,small').split(',');
  const shards = Number(opt('--shards', '1'));
  const threadsList = opt('--threads', '2').split(',').map(Number);
  // Default: every CPU backend that loads here (tfjs-node where its addon exists, and wasm).
  const { probeBackends } = await import('../main/engine/backend');
  const probe = probeBackends('auto');
  const available = (b: string) => probe.candidates.some((x) => x.name === b && x.available);
  const backends = opt('--backends', opt('--backend', ['tfjs-node', 'wasm'].filter(available).join(','))).split(',');
  const py = findTorchPython();
  if (!py) console.warn('PyTorch not found (install Debian python3-torch): tfjs figures only.');
  const before = loadavg()[0]!;
  console.log(`before: ${loadLine()}`);
  if (busy(before)) console.log(`WARNING: the machine is busy before the run (load ${before.toFixed(2)}): the figures are noisy and flatter tfjs (a loaded machine slows the 2-thread peer more); rerun on a quiet machine.`);
  const t0 = performance.now();
  const header = ['config', 'threads', 'backend', 'train tfjs', 'train torch', 'ratio', 'infer tfjs', 'infer torch', 'ratio', 'peak MB tfjs', 'peak MB torch', 'ratio'];
  if (shards > 1) header.push(`train x${shards} proc`, 'ratio');
  const rows: string[][] = [];
  const peerBlas = new Set<string>();
  for (const threads of threadsList) {
    for (const name of names) {
      const base = CONFIGS[name];
      if (!base) throw new Error(`unknown config "${name}" (known: ${Object.keys(CONFIGS).join(', ')})`);
      const c: BenchConfig = { ...base, vocab: 4096, seq: 128, batch: 32, warmup, steps, threads };
      const ours = new Map<string, Figures[]>(backends.map((b) => [b, []]));
      const dps: Figures[] = [];
      const peer: Figures[] = [];
      // Interleaved (ours, peer, ours, peer, ...) so that a change in load hits both alike.
      for (let r = 0; r < repeats; r++) {
        for (const b of backends) {
          console.error(`[${name} ${threads}t run ${r + 1}/${repeats}] tfjs (${b}) ...`);
          const f = runTfjs(c, b, 1);
          console.error(`  ${JSON.stringify(f)}`);
          ours.get(b)!.push(f);
        }
        if (shards > 1) {
          console.error(`[${name} ${threads}t run ${r + 1}/${repeats}] tfjs (${backends.at(-1)}) data-parallel over ${shards} processes ...`);
          dps.push(runTfjs(c, backends.at(-1)!, shards));
        }
        if (py) {
          console.error(`[${name} ${threads}t run ${r + 1}/${repeats}] PyTorch ...`);
          const f = runTorch(py, c);
          console.error(`  ${JSON.stringify(f)}`);
          peer.push(f);
          if (f.blas) peerBlas.add(f.blas);
        }
      }
      const med = (fs: Figures[], k: keyof Figures) => summarize(fs.map((f) => f[k] as number)).median;
      const ratio = (fs: Figures[], k: keyof Figures) => (peer.length ? `${fmt(med(fs, k) / med(peer, k), 2)}x` : '-');
      for (const b of backends) {
        const fs = ours.get(b)!;
        const heap = fs[0]?.wasm_heap_mb;
        const row = [
          `${name} (${fmt(fs[0]!.params / 1e6, 2)}M)`,
          String(threads),
          fs[0]?.backend_label ?? b,
          cell(fs.map((f) => f.train_tokens_per_s)),
          peer.length ? cell(peer.map((f) => f.train_tokens_per_s)) : '-',
          ratio(fs, 'train_tokens_per_s'),
          cell(fs.map((f) => f.infer_tokens_per_s)),
          peer.length ? cell(peer.map((f) => f.infer_tokens_per_s)) : '-',
          ratio(fs, 'infer_tokens_per_s'),
          `${fmt(med(fs, 'peak_rss_mb'))}${heap ? ` (heap ${fmt(heap)})` : ''}`,
          peer.length ? fmt(med(peer, 'peak_rss_mb')) : '-',
          ratio(fs, 'peak_rss_mb'),
        ];
        if (shards > 1) row.push(b === backends.at(-1) ? cell(dps.map((f) => f.train_tokens_per_s)) : '-', b === backends.at(-1) ? ratio(dps, 'train_tokens_per_s') : '-');
        rows.push(row);
      }
    }
  }
  const after = loadavg()[0]!;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  console.log(
    `tokens/s, seq 128, batch 32, ${warmup} warm-up + ${steps} timed steps, median ±half-range of ${repeats} runs (each in its own process, ours and the peer's interleaved); ` +
      `PyTorch ${py ? `with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset, torch.set_num_threads(threads)` : 'absent'}; tfjs-node with TF_NUM_INTRAOP_THREADS=threads; wasm with LOCI_WASM_THREADS=threads` +
      (opt('--stock-kernels', '') ? `; stock tfjs kernels for ${opt('--stock-kernels', '')}` : ''),
  );
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  if (peerBlas.size) console.log(`PyTorch's BLAS: ${[...peerBlas].join('; ')}`);
  console.log(`after: ${loadLine()}; took ${fmt((performance.now() - t0) / 1000)} s`);
  if (busy(before) || after > cpus().length + 0.5) console.log(`WARNING: the machine was busy (load ${before.toFixed(2)} before, ${after.toFixed(2)} after): compare on a quiet machine before quoting these figures.`);
}

// Data-parallel workers import this file for createGradientTask: only its own command line runs it.
const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry && args[0] === '--child') {
  await tfjsChild(JSON.parse(args[1] ?? '{}') as BenchConfig, opt('--backend', 'wasm') as BackendPreference, Number(opt('--shards', '1')));
} else if (isEntry) {
  await main();
}
