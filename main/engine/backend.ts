// Chooses the compute backend of the engine: tfjs-node-gpu (CUDA), then tfjs-node (libtensorflow
// on the CPU), then tfjs-backend-wasm (SIMD; its threaded build in Node: wasm-threads.ts), then
// tfjs-backend-cpu (plain JS).
//
// probeBackends() is cheap (resolves packages, looks for CUDA libraries, loads no tfjs kernels) and
// feeds the status bar; initBackend() really loads and activates one, and says why each candidate
// was (not) taken. tfjs-node(-gpu) are optional dependencies that often cannot install (they
// download libtensorflow), so they are loaded through createRequire at run time: neither tsc nor
// the bundler ever needs them. Everything that touches the machine goes through a BackendEnv so
// the GPU-only selection logic can be tested here with fakes.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import type { BackendName, BackendPreference, BackendReport } from '../../shared/contract/system';
import { defaultWasmThreads, MAX_WASM_THREADS, startThreadedWasm, wasmThreadsEnvProblem, wasmThreadsUnsupported } from './wasm-threads';

export type Tf = typeof TfCore;

/** The candidates in the order `auto` tries them. */
export const BACKEND_ORDER: readonly BackendName[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

export const BACKEND_PACKAGES: Readonly<Record<BackendName, string>> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** Shared libraries libtensorflow 2.9 (inside tfjs-node-gpu 4.x) opens: CUDA 11.2 and cuDNN 8. */
export const CUDA_LIBRARIES_LINUX = [
  'libcuda.so.1', // the NVIDIA driver itself
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
  'libcudnn.so.8',
] as const;
export const CUDA_LIBRARIES_WINDOWS = ['nvcuda.dll', 'cudart64_110.dll', 'cublas64_11.dll', 'cudnn64_8.dll'] as const;

/** What the backend chooser needs from the machine; tests replace parts of it. */
export interface BackendEnv {
  platform: NodeJS.Platform;
  /** Resolved path of a package's entry point, or null when it is not installed. */
  resolvePackage(pkg: string): string | null;
  /** Whether the native addon of tfjs-node(-gpu) is present next to the package (it is downloaded at install). */
  hasNativeAddon(packageEntry: string): boolean;
  /** Where a shared library was found, or null. */
  findLibrary(name: string): string | null;
  fileExists(path: string): boolean;
  /** require() of a package; may throw (the native addon fails to load). */
  load(pkg: string): unknown;
}

export interface BackendProbe extends BackendReport {
  /** False when a forced preference is not available: initBackend() would throw. */
  usable: boolean;
}

export interface InitBackendOptions {
  env?: Partial<BackendEnv>;
  /**
   * XNNPACK threads of the wasm backend (default: LOCI_WASM_THREADS, else one per logical CPU up
   * to 8). Fixed for the process by the first initBackend that starts wasm. Scans pass 1: they run
   * one single-threaded instance per core instead (main/scan/parallel.ts).
   */
  threads?: number;
}

export interface InitializedBackend {
  report: BackendReport;
  tf: Tf;
}

export class BackendUnavailableError extends Error {
  constructor(
    message: string,
    readonly report: BackendReport,
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

const requireHere = createRequire(import.meta.url);

function resolvePackage(pkg: string): string | null {
  try {
    return requireHere.resolve(pkg);
  } catch {
    return null;
  }
}

/** tfjs-node keeps its addon under lib/napi-v<N>/tfjs_binding.node once install has downloaded libtensorflow. */
function hasNativeAddon(packageEntry: string): boolean {
  // The entry is <pkg>/dist/index.js; the addon lives in <pkg>/lib/napi-v*/.
  const libDir = join(dirname(dirname(packageEntry)), 'lib');
  try {
    return readdirSync(libDir).some((d) => existsSync(join(libDir, d, 'tfjs_binding.node')));
  } catch {
    return false;
  }
}

let ldconfigCache: string | null = null;
function ldconfigListing(): string {
  if (ldconfigCache !== null) return ldconfigCache;
  ldconfigCache = '';
  for (const bin of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
    try {
      ldconfigCache = execFileSync(bin, ['-p'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
      break;
    } catch {
      // try the next location
    }
  }
  return ldconfigCache;
}

/** Looks for a shared library the way the dynamic loader would: LD_LIBRARY_PATH / PATH, the ldconfig cache, CUDA's usual homes. */
function findLibrary(name: string, platform: NodeJS.Platform = process.platform): string | null {
  const envVar = platform === 'win32' ? 'PATH' : 'LD_LIBRARY_PATH';
  const dirs = (process.env[envVar] ?? '').split(delimiter).filter(Boolean);
  if (platform === 'linux') dirs.push('/usr/local/cuda/lib64', '/usr/local/cuda/targets/x86_64-linux/lib', '/usr/lib/x86_64-linux-gnu', '/usr/lib64');
  if (platform === 'win32' && process.env.CUDA_PATH) dirs.push(join(process.env.CUDA_PATH, 'bin'));
  if (platform === 'win32') dirs.push('C:\\Windows\\System32');
  for (const dir of dirs) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  if (platform === 'linux') {
    const line = ldconfigListing()
      .split('\n')
      .find((l) => l.trimStart().startsWith(`${name} `));
    if (line) return line.split('=>')[1]?.trim() ?? name;
  }
  return null;
}

export function defaultBackendEnv(): BackendEnv {
  return {
    platform: process.platform,
    resolvePackage,
    hasNativeAddon,
    findLibrary: (name) => findLibrary(name),
    fileExists: existsSync,
    load: (pkg) => requireHere(pkg),
  };
}

function shortName(name: BackendName): string {
  return name === 'wasm' ? 'tfjs-backend-wasm' : name === 'cpu' ? 'tfjs-backend-cpu' : name;
}

// Node's types come without the DOM lib, where WebAssembly is declared.
const wasmGlobal = (globalThis as { WebAssembly?: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** WebAssembly with SIMD: the wasm backend picks its SIMD binary when this validates. */
function wasmSimdSupported(): boolean {
  if (!wasmGlobal) return false;
  try {
    // A tiny module using one SIMD instruction (the same probe tfjs-backend-wasm uses).
    return wasmGlobal.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]));
  } catch {
    return false;
  }
}

type Candidate = BackendReport['candidates'][number];

const threadsText = (n: number): string => `${n} thread${n === 1 ? '' : 's'}`;

/** The wasm backend's XNNPACK threads for these options: 1 where the threaded build cannot start. */
function wasmThreadsFor(options: InitBackendOptions): number {
  const asked = options.threads ?? defaultWasmThreads();
  return asked > 1 && wasmThreadsUnsupported() === null ? Math.min(asked, MAX_WASM_THREADS) : 1;
}

function probeCandidate(name: BackendName, env: BackendEnv, options: InitBackendOptions): Candidate {
  const pkg = BACKEND_PACKAGES[name];
  const entry = env.resolvePackage(pkg);
  if (!entry) return { name, available: false, reason: `${shortName(name)} not installed` };
  if (name === 'tfjs-node-gpu' || name === 'tfjs-node') {
    if (!env.hasNativeAddon(entry)) {
      return { name, available: false, reason: `${name} installed but its native addon is missing (libtensorflow was not downloaded at install)` };
    }
  }
  if (name === 'tfjs-node-gpu') {
    if (env.platform === 'darwin') return { name, available: false, reason: 'tfjs-node-gpu needs CUDA, which macOS does not have' };
    const libs = env.platform === 'win32' ? CUDA_LIBRARIES_WINDOWS : CUDA_LIBRARIES_LINUX;
    const missing = libs.filter((l) => env.findLibrary(l) === null);
    if (missing.includes('libcuda.so.1') || missing.includes('nvcuda.dll')) {
      return { name, available: false, reason: `NVIDIA driver not found: ${missing[0]} (no GPU or no driver installed)` };
    }
    if (missing.length) return { name, available: false, reason: `CUDA libraries not found: ${missing.join(', ')} (tfjs-node-gpu 4.x needs CUDA 11.2 and cuDNN 8)` };
    return { name, available: true, reason: 'installed; NVIDIA driver, CUDA 11 and cuDNN 8 libraries found' };
  }
  if (name === 'tfjs-node') return { name, available: true, reason: 'installed (libtensorflow on the CPU)' };
  if (name === 'wasm') {
    if (!wasmGlobal) return { name, available: false, reason: 'this runtime has no WebAssembly' };
    const wasmFile = join(dirname(entry), 'tfjs-backend-wasm-simd.wasm');
    if (!env.fileExists(wasmFile)) {
      return { name, available: false, reason: `tfjs-backend-wasm installed but ${wasmFile} is missing` };
    }
    // A thread count given by the caller (a scan's engine instances) is not the environment's.
    const envProblem = options.threads === undefined ? wasmThreadsEnvProblem() : null;
    return { name, available: true, reason: `${wasmSimdSupported() ? 'WebAssembly with SIMD' : 'WebAssembly without SIMD (slower)'}, ${threadsText(wasmThreadsFor(options))}${envProblem ? ` (${envProblem})` : ''}` };
  }
  return { name, available: true, reason: 'plain JavaScript (slow; the last resort)' };
}

function summarize(chosen: BackendName, candidates: Candidate[]): string {
  const chosenReason = candidates.find((c) => c.name === chosen)?.reason ?? '';
  const skipped = candidates.slice(0, BACKEND_ORDER.indexOf(chosen)).filter((c) => !c.available);
  const label =
    chosen === 'wasm'
      ? `wasm (${chosenReason.startsWith('WebAssembly with SIMD') ? 'SIMD' : 'no SIMD'}, ${/\d+ threads?/.exec(chosenReason)?.[0] ?? '1 thread'})`
      : chosen === 'tfjs-node-gpu'
        ? 'tfjs-node-gpu (CUDA GPU)'
        : chosen;
  if (skipped.length) return `${label}: ${skipped.map((c) => c.reason).join('; ')}`;
  return chosen === 'wasm' ? label : `${label}: ${chosenReason}`;
}

function mergeEnv(partial?: Partial<BackendEnv>): BackendEnv {
  return { ...defaultBackendEnv(), ...partial };
}

/**
 * Which backend would be used and why, without loading any of them (cheap; for the status bar).
 * A forced preference that is unavailable gives `usable: false` and a summary saying why.
 */
export function probeBackends(preference: BackendPreference = 'auto', options: InitBackendOptions = {}): BackendProbe {
  const env = mergeEnv(options.env);
  const candidates = BACKEND_ORDER.map((name) => probeCandidate(name, env, options));
  if (preference !== 'auto') {
    const c = candidates.find((x) => x.name === preference);
    const usable = c?.available === true;
    return {
      chosen: preference,
      preference,
      candidates,
      gpu: preference === 'tfjs-node-gpu' && usable,
      usable,
      summary: usable ? `${summarize(preference, candidates.map((x) => (x.name === preference ? x : { ...x, available: true })))} (forced)` : `${preference} requested but unavailable: ${c?.reason ?? 'unknown backend'}`,
    };
  }
  const chosen = candidates.find((c) => c.available)?.name ?? 'cpu';
  return { chosen, preference, candidates, gpu: chosen === 'tfjs-node-gpu', usable: true, summary: summarize(chosen, candidates) };
}

/** Turns the load error of a native addon into a sentence a user can act on. */
export function explainAddonError(name: BackendName, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const lib = /([\w.+-]+\.so(?:\.[\d.]+)?): cannot open shared object file/.exec(msg)?.[1];
  if (lib) {
    if (/^lib(cud|cublas|cufft|curand|cusolver|cusparse|nvinfer)/.test(lib)) return `CUDA libraries not found: ${lib}`;
    return `${name} native addon could not load ${lib} (reinstall ${name} so it downloads libtensorflow)`;
  }
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(msg)) return `${name} native addon was built for another Node.js version (rebuild it for Node ${process.versions.node})`;
  if (/invalid ELF header|wrong ELF class|not a valid Win32 application|mach-o/i.test(msg)) return `${name} native addon was built for another platform or architecture`;
  if (/The specified module could not be found/.test(msg)) return `${name} native addon could not load a DLL (CUDA/cuDNN or libtensorflow missing from PATH)`;
  if (/Cannot find module/.test(msg)) return `${name} not installed`;
  return `${name} failed to load: ${msg.split('\n')[0]}`;
}

let threadedWasmFailure: string | null = null;

/** Loads and activates `name`; for wasm, returns its XNNPACK thread count. */
async function activate(name: BackendName, env: BackendEnv, tf: Tf, threads: number): Promise<number | undefined> {
  if (name === 'tfjs-node-gpu' || name === 'tfjs-node') {
    // Read by libtensorflow when it loads. Its INFO lines (oneDNN, CPU features) would fill job
    // logs. oneDNN's custom CPU kernels put a full-size DNABERT-2's hidden states 1.6x further from
    // a float64 reference than PyTorch float32, Eigen's 1.06x (test/integration/engine-precision):
    // off unless the user chose otherwise.
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
    process.env.TF_ENABLE_ONEDNN_OPTS ??= '0';
    env.load(BACKEND_PACKAGES[name]); // registers the 'tensorflow' backend in the shared tfjs-core engine
    if (!(await tf.setBackend('tensorflow'))) throw new Error(`${name} loaded but the 'tensorflow' backend did not initialise`);
    return undefined;
  }
  // The package first (it registers its own kernels), then the engine's kernels over them.
  const wasm = name === 'wasm' ? await import('@tensorflow/tfjs-backend-wasm') : await import('@tensorflow/tfjs-backend-cpu').then(() => null);
  const { registerEngineKernels, registerAllGradients } = await import('./kernels');
  registerEngineKernels();
  await registerAllGradients();
  if (!wasm) {
    if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
    return undefined;
  }
  // Already started in this process (its thread count is fixed then): just switch to it.
  if ((tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm) {
    if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
    return wasm.getThreadsCount();
  }
  // Resolved from this module so it works from sources under tsx and from the esbuild bundle
  // (packages stay external, so node_modules is next to the app either way).
  const wasmDir = dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  wasm.setWasmPaths(wasmDir + '/');
  if (threads > 1) {
    try {
      return await startThreadedWasm(tf, wasm, threads, () => tf.setBackend('wasm'));
    } catch (e) {
      // Where the threaded build cannot start (a runtime without usable worker threads), one
      // thread, as tfjs itself runs in Node; the reason shows in the status bar and `loci doctor`.
      threadedWasmFailure = `the threaded build did not start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasm.setThreadsCount(1);
  if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
  return 1;
}

/**
 * Loads and activates a backend: the preferred one (throws BackendUnavailableError when it
 * cannot), or with `auto` the first of tfjs-node-gpu, tfjs-node, wasm, cpu that loads.
 */
export async function initBackend(preference: BackendPreference = 'auto', options: InitBackendOptions = {}): Promise<InitializedBackend> {
  const env = mergeEnv(options.env);
  const tf = await import('@tensorflow/tfjs-core');
  // Production mode: no "install tfjs-node" banner in job logs and CLI output (we report the
  // backend and why ourselves), and no per-op debug checks.
  tf.env().set('PROD', true);
  const probe = probeBackends(preference, options);
  const candidates = probe.candidates.map((c) => ({ ...c }));
  const report = (chosen: BackendName): BackendReport => ({
    chosen,
    preference,
    candidates,
    gpu: chosen === 'tfjs-node-gpu',
    summary: preference === 'auto' ? summarize(chosen, candidates) : `${summarize(chosen, candidates.map((c) => (c.name === chosen ? c : { ...c, available: true })))} (forced)`,
  });
  const order = preference === 'auto' ? BACKEND_ORDER : [preference];
  for (const name of order) {
    const c = candidates.find((x) => x.name === name);
    if (!c) continue;
    if (!c.available) {
      if (preference === 'auto') continue;
      throw new BackendUnavailableError(`Backend ${name} is not available: ${c.reason}`, report(name));
    }
    try {
      const threads = await activate(name, env, tf, wasmThreadsFor(options));
      if (name === 'tfjs-node-gpu' || name === 'tfjs-node') c.reason = `${c.reason}; loaded`;
      if (name === 'wasm' && threads !== undefined) c.reason = c.reason.replace(/\d+ threads?/, threadsText(threads)) + (threadedWasmFailure ? ` (${threadedWasmFailure})` : '');
      return { report: report(name), tf };
    } catch (err) {
      c.available = false;
      c.reason = explainAddonError(name, err);
      if (preference !== 'auto') throw new BackendUnavailableError(`Backend ${name} is not available: ${c.reason}`, report(name));
    }
  }
  // cpu is plain JS and always loads; reaching here means even it failed.
  throw new BackendUnavailableError(`No backend could be loaded: ${candidates.map((c) => `${c.name}: ${c.reason}`).join('; ')}`, report('cpu'));
}
