// A faster BatchMatMul for the wasm backend. The stock kernel sends everything except
// "batch 1, no transpose" to a scalar triple loop (0.4-2.3 GFLOP/s here), while that one case goes
// to XNNPACK (~25 GFLOP/s). Attention (QK^T, its gradients) is exactly the slow case. So:
//  1. a transposed operand is transposed once, explicitly, with wasm's own Transpose kernel;
//  2. if b has batch 1 (dense layers), a's batch is folded into its rows: one XNNPACK call;
//  3. otherwise each batch entry is one XNNPACK call on zero-copy views into the wasm heap;
//  4. a long inner dimension (k > K_CHUNK) is cut into chunks whose products are added: XNNPACK
//     sums all of k in one register per output (wasm SIMD has no FMA), which with k = 3072 is ~9x
//     less exact than the stock loop and left a full-size DNABERT-2's hidden states 2.3x further
//     from a float64 reference than PyTorch float32 (1.15e-5 vs 5.1e-6, test/integration/
//     engine-precision.test.ts). Chunks of 256 gave 1.27x PyTorch's error (pooled output 1.44x),
//     chunks of 128 give 1.07x, for an estimated 4-6% of the time (one copy of a, one in-place add
//     of the output per extra chunk).
// Written by hand because no package does it; checked against the cpu backend in
// test/unit/engine/kernels.test.ts. Anything unusual (broadcast of several outer dims, other
// dtypes) goes to the stock kernel.
import { broadcast_util, getKernel, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Per-matmul work (m*n*k) below which the stock kernel's own loop is cheaper than a call per batch entry. */
export const MIN_WORK_PER_BATCH_ENTRY = 4096;

/** Longest inner dimension summed in one XNNPACK call; longer ones are cut and their products added (precision). */
export const K_CHUNK = 128;

interface MatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo };
  attrs: { transposeA: boolean; transposeB: boolean };
  backend: BackendWasm;
}

type WasmBatchMatMul = (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number, ta: boolean, tb: boolean, outId: number) => void;
type WasmBinary = (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number, dtype: number, outId: number) => void;

interface WasmInternals {
  dataIdNextNumber: number;
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
    tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
  };
}

interface RawKernels {
  matmul: WasmBatchMatMul;
  add: WasmBinary;
}
const wrapped = new WeakMap<object, RawKernels>();
function rawKernels(backend: BackendWasm): RawKernels {
  let fns = wrapped.get(backend);
  if (!fns) {
    const { wasm } = backend as unknown as WasmInternals;
    fns = {
      matmul: wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']) as WasmBatchMatMul,
      // XNNPACK's elementwise add; out may be one of the inputs (it reads each element before writing it).
      add: wasm.cwrap('Add', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number']) as WasmBinary,
    };
    wrapped.set(backend, fns);
  }
  return fns;
}
const WASM_FLOAT32 = 0; // CppDType.float32 in tfjs-backend-wasm

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);

/** Makes the fast kernel; `stock` is the kernel it replaces, used for the cases it does not handle. */
export function makeWasmBatchMatMul(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs, backend } = args as unknown as MatMulArgs;
    const { a, b } = inputs;
    const { transposeA, transposeB } = attrs;
    const aRank = a.shape.length;
    const bRank = b.shape.length;
    const m = transposeA ? a.shape[aRank - 1]! : a.shape[aRank - 2]!;
    const k = transposeA ? a.shape[aRank - 2]! : a.shape[aRank - 1]!;
    const kB = transposeB ? b.shape[bRank - 1]! : b.shape[bRank - 2]!;
    const n = transposeB ? b.shape[bRank - 2]! : b.shape[bRank - 1]!;
    const batchA = util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = util.sizeFromShape(b.shape.slice(0, -2));
    const batch = Math.max(batchA, batchB);
    const simpleBroadcast = batchA === batchB || batchA === 1 || batchB === 1;
    const work = m * n * k;
    const chunks = Math.ceil(k / K_CHUNK);
    if (
      a.dtype !== 'float32' || b.dtype !== 'float32' || k !== kB || !simpleBroadcast || work === 0 ||
      (batch === 1 && !transposeA && !transposeB && chunks === 1) || // already XNNPACK, and exact enough
      (batchB > 1 && work < MIN_WORK_PER_BATCH_ENTRY)
    ) {
      return stock(args);
    }
    const outShape = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)).concat([m, n]);
    const transposeKernel = getKernel('Transpose', 'wasm')!.kernelFunc;
    const sliceKernel = getKernel('Slice', 'wasm')!.kernelFunc;
    const temporaries: TensorInfo[] = [];
    const untransposed = (x: TensorInfo, batchX: number, rows: number, cols: number, t: boolean): TensorInfo => {
      if (!t) return x;
      const view: TensorInfo = { dataId: x.dataId, shape: [batchX, cols, rows], dtype: 'float32' };
      const y = transposeKernel({ inputs: { x: view }, backend, attrs: { perm: [0, 2, 1] } }) as TensorInfo;
      temporaries.push(y);
      return y;
    };
    const a3 = untransposed(a, batchA, m, k, transposeA); // [batchA, m, k]
    const b3 = untransposed(b, batchB, k, n, transposeB); // [batchB, k, n]
    const out = backend.makeOutput([batch, m, n], 'float32');
    const { matmul, add } = rawKernels(backend);
    const internals = backend as unknown as WasmInternals;
    const idOf = (t: TensorInfo) => backend.dataIdMap.get(t.dataId)!.id;
    const offsetOf = (t: TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    // Views are registered in the C++ tensor registry only (never in dataIdMap), so they are never
    // freed: disposing one just drops its id (and the XNNPACK operator cached on it).
    const views: number[] = [];
    const view = (offset: number, size: number) => {
      const id = internals.dataIdNextNumber++;
      internals.wasm.tfjs.registerTensor(id, size, offset);
      views.push(id);
      return id;
    };
    const dropViews = () => {
      for (const id of views) internals.wasm.tfjs.disposeData(id);
      views.length = 0;
    };
    try {
      // One chunk [k0, k0 + kc) of the inner dimension: out(Id) = a3[..., k0:k0+kc] x b3[:, k0:k0+kc, :].
      const product = (k0: number, kc: number, target: TensorInfo) => {
        let aC = a3;
        if (kc !== k) {
          const a3view: TensorInfo = { dataId: a3.dataId, shape: [batchA, m, k], dtype: 'float32' };
          aC = sliceKernel({ inputs: { x: a3view }, backend, attrs: { begin: [0, 0, k0], size: [batchA, m, kc] } }) as TensorInfo;
          temporaries.push(aC);
        }
        const aOff = offsetOf(aC);
        const bOff = offsetOf(b3);
        const tOff = offsetOf(target);
        if (batchB === 1) {
          // [batchA*m, kc] x [kc, n]: the batch of a folds into its rows; rows k0.. of b are contiguous.
          const bId = kc === k ? idOf(b3) : view(bOff + k0 * n * 4, kc * n);
          matmul(idOf(aC), shapeBytes([1, batchA * m, kc]), 3, bId, shapeBytes([1, kc, n]), 3, false, false, idOf(target));
        } else {
          const aShape = shapeBytes([1, m, kc]);
          const bShape = shapeBytes([1, kc, n]);
          for (let i = 0; i < batch; i++) {
            const aId = batchA === 1 ? idOf(aC) : view(aOff + i * m * kc * 4, m * kc);
            const bId = view(bOff + (i * k * n + k0 * n) * 4, kc * n);
            const oId = view(tOff + i * m * n * 4, m * n);
            matmul(aId, aShape, 3, bId, bShape, 3, false, false, oId);
          }
        }
        dropViews();
      };
      const kc = Math.ceil(k / chunks);
      product(0, Math.min(kc, k), out);
      if (chunks > 1) {
        const partial = backend.makeOutput([batch, m, n], 'float32');
        temporaries.push(partial);
        const flat = shapeBytes([batch * m * n]);
        for (let k0 = kc; k0 < k; k0 += kc) {
          product(k0, Math.min(kc, k - k0), partial);
          add(idOf(out), flat, 1, idOf(partial), flat, 1, WASM_FLOAT32, idOf(out));
        }
      }
    } finally {
      dropViews();
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
    out.shape = outShape;
    return out;
  };
}

export function wasmBatchMatMulConfig(stock: KernelFunc): KernelConfig {
  return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: makeWasmBatchMatMul(stock) };
}
