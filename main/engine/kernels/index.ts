// Engine kernels for the tfjs cpu and wasm backends (see DESIGN.md, "Facts measured"):
// UnsortedSegmentSum (gradient of gather) on both; on wasm a fast BatchMatMul, Slice/SplitV that
// stay inside the heap, a Sum over leading axes without a transpose, and an Identity without a copy.
// The backend packages are imported first so that their stock kernels are registered before
// ours replace them.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { unsortedSegmentSumCpuConfig, unsortedSegmentSumWasmConfig } from './unsortedSegmentSum';
import { wasmBatchMatMulConfig } from './batchMatMulWasm';
import { wasmSliceConfig, wasmSplitVConfig } from './sliceWasm';
import { wasmSumConfig } from './sumWasm';
import { wasmIdentityConfig } from './identityWasm';

/** wasm kernels that wrap the stock one (kept for the cases they do not handle). */
const WASM_WRAPPERS: ReadonlyArray<[string, (stock: KernelFunc) => KernelConfig]> = [
  ['BatchMatMul', wasmBatchMatMulConfig],
  ['Slice', wasmSliceConfig],
  ['SplitV', wasmSplitVConfig],
  ['Sum', wasmSumConfig],
  ['Identity', wasmIdentityConfig],
];

const ENGINE_MARK = Symbol.for('loci.engineKernel');
type Marked = KernelFunc & { [ENGINE_MARK]?: KernelFunc | true };

function replaceKernel(config: KernelConfig): void {
  const existing = getKernel(config.kernelName, config.backendName);
  if ((existing?.kernelFunc as Marked | undefined)?.[ENGINE_MARK]) return; // already ours
  if (existing) unregisterKernel(config.kernelName, config.backendName);
  const func = config.kernelFunc as Marked;
  func[ENGINE_MARK] = existing?.kernelFunc ?? true;
  // Keep the stock setup (e.g. wasm cwrap bindings) when we wrap a kernel.
  registerKernel({ ...config, setupFunc: config.setupFunc ?? existing?.setupFunc, disposeFunc: config.disposeFunc ?? existing?.disposeFunc });
}

/** Registers the engine's kernels; idempotent. initBackend() calls it. */
export function registerEngineKernels(): void {
  replaceKernel(unsortedSegmentSumCpuConfig);
  replaceKernel(unsortedSegmentSumWasmConfig);
  for (const [name, wrap] of WASM_WRAPPERS) {
    const stock = getKernel(name, 'wasm');
    if (stock && !(stock.kernelFunc as Marked)[ENGINE_MARK]) replaceKernel(wrap(stock.kernelFunc));
  }
}

/** Puts the stock kernels back (for before/after measurements and tests): all, or those named in `only`. */
export function unregisterEngineKernels(only?: readonly string[]): void {
  const engineKernels: Array<[string, string]> = [['UnsortedSegmentSum', 'cpu'], ['UnsortedSegmentSum', 'wasm'], ...WASM_WRAPPERS.map(([name]): [string, string] => [name, 'wasm'])];
  for (const [name, backend] of engineKernels) {
    if (only && !only.includes(name)) continue;
    const k = getKernel(name, backend);
    const stock = (k?.kernelFunc as Marked | undefined)?.[ENGINE_MARK];
    if (!k || !stock) continue;
    unregisterKernel(name, backend);
    if (typeof stock === 'function') registerKernel({ kernelName: name, backendName: backend, kernelFunc: stock, setupFunc: k.setupFunc, disposeFunc: k.disposeFunc });
  }
}

export { registerAllGradients } from './gradients';
export { segmentSumInto } from './unsortedSegmentSum';
export { makeWasmBatchMatMul, MIN_WORK_PER_BATCH_ENTRY, K_CHUNK } from './batchMatMulWasm';
export { makeWasmSlice, makeWasmSplitV } from './sliceWasm';
export { makeWasmSum } from './sumWasm';
