// The engine's kernels (UnsortedSegmentSum on cpu and wasm, fast BatchMatMul on wasm) against the
// other backend and against a plain-JS reference, forward and through gradients.
// Tolerance: max |wasm - cpu| <= 1e-5 x max |cpu| over the tensor (float32 sums in another order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../main/engine/backend';
import { K_CHUNK, registerEngineKernels, unregisterEngineKernels, segmentSumInto } from '../../../main/engine/kernels';

const { tf } = await initBackend('wasm');
const TOL = 1e-5;

let seed = 12345;
function rand(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const randn = (n: number) => Float32Array.from({ length: n }, () => (rand() + rand() + rand() - 1.5) * 2);
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Runs f on a backend with fresh tensors made from plain arrays; returns plain arrays. */
async function on(backend: 'cpu' | 'wasm', f: () => Array<{ dataSync(): ArrayLike<number> }>): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => f().map((t) => Float32Array.from(t.dataSync())));
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
  }
  assert.ok(scale > 0, `${what}: all zeros, the check would be empty`);
  assert.ok(diff <= TOL * scale, `${what}: max diff ${diff} > ${TOL} x ${scale}`);
}

test('registerEngineKernels puts UnsortedSegmentSum on wasm and is idempotent', () => {
  registerEngineKernels();
  registerEngineKernels();
  assert.ok(tf.getKernel('UnsortedSegmentSum', 'wasm'), 'wasm kernel registered');
  assert.ok(tf.getKernel('UnsortedSegmentSum', 'cpu'), 'cpu kernel registered');
  const mark = Symbol.for('loci.engineKernel');
  const matmul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc as unknown as Record<symbol, unknown>;
  assert.equal(typeof matmul[mark], 'function', 'wasm BatchMatMul is the engine wrapper around the stock kernel');
});

test('segmentSumInto matches a by-hand sum and drops out-of-range ids', () => {
  const out = new Float32Array(6);
  segmentSumInto(out, Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), Int32Array.from([2, 0, 2, -1]), 3);
  assert.deepEqual([...out], [3, 4, 0, 0, 1 + 5, 2 + 6]);
});

test('UnsortedSegmentSum: wasm and cpu equal the JS reference', async () => {
  const rows = 300;
  const width = 17;
  const segments = 50;
  const x = randn(rows * width);
  const ids = Int32Array.from({ length: rows }, () => Math.floor(rand() * segments));
  const expected = new Float32Array(segments * width);
  segmentSumInto(expected, x, ids, segments);
  const run = () => [tf.unsortedSegmentSum(tf.tensor2d(x, [rows, width]), tf.tensor1d(ids, 'int32'), segments)];
  const [wasm] = await on('wasm', run);
  const [cpu] = await on('cpu', run);
  assertClose(wasm!, expected, 'wasm forward');
  assertClose(cpu!, expected, 'cpu forward');
});

test('gradient of gather (embedding lookup): wasm = cpu = stock cpu', async () => {
  const vocab = 64;
  const dim = 24;
  const table = randn(vocab * dim);
  const idx = Int32Array.from({ length: 4 * 33 }, () => Math.floor(rand() * vocab));
  const up = randn(idx.length * dim);
  const run = () => {
    const g = tf.grad((e) => tf.sum(tf.mul(tf.gather(e, tf.tensor2d(idx, [4, 33], 'int32')), tf.tensor3d(up, [4, 33, dim]))));
    return [g(tf.tensor2d(table, [vocab, dim]))];
  };
  const [wasm] = await on('wasm', run);
  const [cpu] = await on('cpu', run);
  unregisterEngineKernels();
  try {
    const [stockCpu] = await on('cpu', run);
    assertClose(cpu!, stockCpu!, 'engine cpu vs stock cpu');
  } finally {
    registerEngineKernels();
  }
  assertClose(wasm!, cpu!, 'wasm vs cpu');
});

// tfjs's own BatchMatMul gradient cannot reduce a broadcast batch dimension (it fails on every
// backend), so the broadcast cases check the forward pass only (grad: false).
const matmulCases: Array<{ a: number[]; b: number[]; ta: boolean; tb: boolean; why: string; grad?: false }> = [
  { a: [6, 20, 24], b: [6, 24, 30], ta: false, tb: false, why: 'batch, no transpose (sliced)' },
  { a: [6, 20, 24], b: [6, 30, 24], ta: false, tb: true, why: 'batch, transposeB (attention QK^T)' },
  { a: [6, 24, 20], b: [6, 24, 30], ta: true, tb: false, why: 'batch, transposeA (gradient)' },
  { a: [6, 24, 20], b: [6, 30, 24], ta: true, tb: true, why: 'batch, both transposed' },
  { a: [2, 3, 20, 24], b: [2, 3, 24, 30], ta: false, tb: false, why: 'rank 4 (batch, heads)' },
  { a: [5, 20, 24], b: [24, 30], ta: false, tb: false, why: 'b without batch (dense layer, folded)', grad: false },
  { a: [5, 24, 20], b: [30, 24], ta: true, tb: true, why: 'b without batch, both transposed', grad: false },
  { a: [20, 24], b: [4, 24, 30], ta: false, tb: false, why: 'a without batch, b batched', grad: false },
  { a: [40, 24], b: [40, 30], ta: true, tb: false, why: 'rank 2 transposeA (weight gradient)' },
  { a: [9, 3, 4], b: [9, 2, 4], ta: false, tb: true, why: 'tiny: stock kernel' },
  // k > K_CHUNK: the inner dimension is cut into chunks whose products are added (precision).
  { a: [5, 8, 600], b: [40, 600], ta: false, tb: true, why: 'long k, b without batch, transposeB (dense layer, chunked)', grad: false },
  { a: [3, 8, 530], b: [3, 530, 12], ta: false, tb: false, why: 'long k, batched (chunked per entry)' },
  { a: [40, 600], b: [600, 30], ta: false, tb: false, why: 'long k, rank 2 untransposed (chunked, not stock XNNPACK)' },
  { a: [600, 24], b: [600, 30], ta: true, tb: false, why: 'long k, rank 2 transposeA (weight gradient over many rows)' },
];

test(`BatchMatMul with k = 3072 (GEGLU's wo) stays as exact as the stock loop against float64 (K_CHUNK ${K_CHUNK})`, async () => {
  // XNNPACK alone sums all of k per output without FMA: ~9x the stock kernel's error here.
  const [m, k, n] = [48, 3072, 40];
  const a = randn(m * k).map((x) => x * 2);
  const w = randn(n * k).map((x) => x / Math.sqrt(k)); // [n, k] as HF stores dense weights
  const exact = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let p = 0; p < k; p++) sum += a[i * k + p]! * w[j * k + p]!;
    exact[i * n + j] = sum;
  }
  const maxErr = (y: Float32Array) => y.reduce((mx, v, i) => Math.max(mx, Math.abs(v - exact[i]!)), 0);
  const run = () => [tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(w, [n, k]), false, true)];
  const [ours] = await on('wasm', run);
  unregisterEngineKernels(['BatchMatMul']);
  let stock: Float32Array;
  try {
    [stock] = (await on('wasm', run)) as [Float32Array];
  } finally {
    registerEngineKernels();
  }
  const [cpu] = await on('cpu', run);
  const errOurs = maxErr(ours!);
  const errStock = Math.max(maxErr(stock), maxErr(cpu!));
  assert.ok(errOurs > 0 && errStock > 0, 'float32 products of 3072 terms are never exact');
  assert.ok(errOurs <= 1.5 * errStock, `engine BatchMatMul max error ${errOurs.toExponential(2)} > 1.5 x stock ${errStock.toExponential(2)}`);
});

for (const c of matmulCases) {
  test(`BatchMatMul ${c.why}: wasm = cpu, forward${c.grad === false ? '' : ' and gradients'}`, async () => {
    const a = randn(size(c.a));
    const b = randn(size(c.b));
    const run = () => {
      const ta = tf.tensor(a, c.a);
      const tb = tf.tensor(b, c.b);
      const y = tf.matMul(ta, tb, c.ta, c.tb);
      if (c.grad === false) return [y];
      const r = tf.randomNormal(y.shape, 0, 1, 'float32', 7);
      const [ga, gb] = tf.grads((x: typeof ta, z: typeof tb) => tf.sum(tf.mul(tf.matMul(x, z, c.ta, c.tb), r)))([ta, tb]);
      return [y, ga!, gb!];
    };
    const wasm = await on('wasm', run);
    const cpu = await on('cpu', run);
    assertClose(wasm[0]!, cpu[0]!, 'forward');
    if (c.grad === false) return;
    assertClose(wasm[1]!, cpu[1]!, 'gradient wrt a');
    assertClose(wasm[2]!, cpu[2]!, 'gradient wrt b');
  });
}

test('BatchMatMul frees its temporaries', async () => {
  await tf.setBackend('wasm');
  const a = tf.randomNormal([4, 16, 32]);
  const b = tf.randomNormal([4, 16, 32]);
  tf.matMul(a, b, false, true).dispose(); // warm up
  const before = tf.memory().numTensors;
  const bytesBefore = tf.engine().backend.numDataIds();
  for (let i = 0; i < 5; i++) tf.matMul(a, b, false, true).dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.equal(tf.engine().backend.numDataIds(), bytesBefore);
  a.dispose();
  b.dispose();
});

/** Runs f on wasm (engine kernels) and cpu and compares every output exactly (copies and sums of few terms). */
async function wasmEqualsCpu(f: () => Array<{ dataSync(): ArrayLike<number> }>, what: string, tol = 0): Promise<void> {
  const wasm = await on('wasm', f);
  const cpu = await on('cpu', f);
  assert.equal(wasm.length, cpu.length, `${what}: number of outputs`);
  for (let i = 0; i < cpu.length; i++) {
    if (tol === 0) assert.deepEqual(wasm[i], cpu[i], `${what}: output ${i}`);
    else assertClose(wasm[i]!, cpu[i]!, `${what}: output ${i}`);
  }
}

const sliceCases: Array<{ shape: number[]; begin: number[]; size: number[] }> = [
  { shape: [7, 10], begin: [0, 3], size: [7, 4] }, // last axis (attention heads, GEGLU halves)
  { shape: [7, 10], begin: [2, 0], size: [3, 10] }, // contiguous rows
  { shape: [3, 5, 6], begin: [1, 2, 0], size: [2, 2, 6] }, // middle axis, whole last axis
  { shape: [2, 3, 4, 5, 6], begin: [1, 0, 1, 2, 3], size: [1, 3, 2, 3, 2] }, // rank 5, every axis partial
  { shape: [4, 6], begin: [1, 2], size: [0, 3] }, // empty
];

for (const c of sliceCases) {
  test(`Slice [${c.shape}] from [${c.begin}] size [${c.size}]: wasm = cpu`, async () => {
    const x = randn(size(c.shape));
    await wasmEqualsCpu(() => [tf.slice(tf.tensor(x, c.shape), c.begin, c.size), tf.slice(tf.cast(tf.tensor(x, c.shape), 'int32'), c.begin, c.size)], 'slice');
  });
}

test('SplitV (tf.split) on each axis, equal and uneven pieces, with gradients: wasm = cpu', async () => {
  const shape = [3, 4, 12];
  const x = randn(size(shape));
  const up = randn(size(shape));
  await wasmEqualsCpu(() => {
    const t = tf.tensor(x, shape);
    const pieces = [...tf.split(t, 3, -1), ...tf.split(t, [1, 3], 1), ...tf.split(t, [2, 1], 0)];
    const g = tf.grad((z: typeof t) => {
      const [a, b] = tf.split(z, [5, 7], -1) as [typeof t, typeof t];
      return tf.sum(tf.mul(tf.concat([tf.mul(b, 2), a], -1), tf.tensor(up, shape)));
    })(t);
    return [...pieces, g];
  }, 'split');
});

test('Sum over leading axes (bias and LayerNorm gradients) and other axes: wasm = cpu', async () => {
  const shape = [6, 5, 7];
  const x = randn(size(shape));
  await wasmEqualsCpu(() => {
    const t = tf.tensor(x, shape);
    return [tf.sum(t, 0), tf.sum(t, [0, 1]), tf.sum(t, [1, 0], true), tf.sum(t, -1), tf.sum(t, 1), tf.sum(t), tf.sum(tf.cast(t, 'int32'), 0)];
  }, 'sum', TOL);
});
