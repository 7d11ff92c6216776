// Backend choice: the GPU paths are exercised with fake machines (tfjs-node-gpu cannot install
// here), the wasm/cpu paths for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BackendUnavailableError, CUDA_LIBRARIES_LINUX, explainAddonError, initBackend, probeBackends } from '../../../main/engine/backend';
import type { BackendEnv } from '../../../main/engine/backend';

/** A Linux machine where the given packages are installed and the given libraries are found. */
function fakeEnv(installed: string[], libs: readonly string[], load: (pkg: string) => unknown = () => ({})): Partial<BackendEnv> {
  return {
    platform: 'linux',
    resolvePackage: (pkg) => (installed.some((n) => pkg.endsWith(n)) ? `/fake/node_modules/${pkg}/dist/index.js` : null),
    hasNativeAddon: () => true,
    fileExists: () => true,
    findLibrary: (name) => (libs.includes(name) ? `/usr/lib/${name}` : null),
    load,
  };
}
const ALL_BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'tfjs-backend-wasm', 'tfjs-backend-cpu'];

test('probe: tfjs-node-gpu installed but CUDA missing -> next candidate, reason names the libraries', () => {
  const r = probeBackends('auto', { env: fakeEnv(ALL_BACKENDS, ['libcuda.so.1', 'libcublas.so.11']) });
  assert.equal(r.chosen, 'tfjs-node');
  assert.equal(r.gpu, false);
  const gpu = r.candidates.find((c) => c.name === 'tfjs-node-gpu')!;
  assert.equal(gpu.available, false);
  assert.match(gpu.reason, /^CUDA libraries not found: libcudart\.so\.11\.0, libcublasLt\.so\.11,/);
  assert.match(r.summary, /^tfjs-node: CUDA libraries not found/);
});

test('probe: no NVIDIA driver is reported as such', () => {
  const r = probeBackends('auto', { env: fakeEnv(ALL_BACKENDS, []) });
  assert.match(r.candidates[0]!.reason, /NVIDIA driver not found: libcuda\.so\.1/);
});

test('probe: everything present -> tfjs-node-gpu, gpu true', () => {
  const r = probeBackends('auto', { env: fakeEnv(ALL_BACKENDS, CUDA_LIBRARIES_LINUX) });
  assert.equal(r.chosen, 'tfjs-node-gpu');
  assert.equal(r.gpu, true);
  assert.equal(r.usable, true);
  assert.deepEqual(r.candidates.map((c) => c.available), [true, true, true, true]);
});

test('probe: nothing native installed -> wasm with "not installed" reasons', () => {
  const r = probeBackends('auto', { env: fakeEnv(['tfjs-backend-wasm', 'tfjs-backend-cpu'], []) });
  assert.equal(r.chosen, 'wasm');
  assert.equal(r.candidates[0]!.reason, 'tfjs-node-gpu not installed');
  assert.equal(r.candidates[1]!.reason, 'tfjs-node not installed');
  assert.match(r.summary, /^wasm \((no )?SIMD, \d+ threads?\): tfjs-node-gpu not installed; tfjs-node not installed$/);
});

test('probe: an unusable LOCI_WASM_THREADS shows in the wasm reason, not in the summary label', (t) => {
  const before = process.env.LOCI_WASM_THREADS;
  t.after(() => (before === undefined ? delete process.env.LOCI_WASM_THREADS : (process.env.LOCI_WASM_THREADS = before)));
  process.env.LOCI_WASM_THREADS = 'abc';
  const r = probeBackends('auto', { env: fakeEnv(['tfjs-backend-wasm', 'tfjs-backend-cpu'], []) });
  assert.match(r.candidates[2]!.reason, /\d+ threads? \(LOCI_WASM_THREADS="abc" ignored: not a positive whole number\)$/);
  assert.match(r.summary, /^wasm \((no )?SIMD, \d+ threads?\): /);
  const given = probeBackends('auto', { env: fakeEnv(['tfjs-backend-wasm', 'tfjs-backend-cpu'], []), threads: 1 });
  assert.doesNotMatch(given.candidates[2]!.reason, /LOCI_WASM_THREADS/, 'a count the caller gives is not the environment');
});

test('probe: macOS never offers tfjs-node-gpu', () => {
  const r = probeBackends('auto', { env: { ...fakeEnv(ALL_BACKENDS, CUDA_LIBRARIES_LINUX), platform: 'darwin' } });
  assert.equal(r.chosen, 'tfjs-node');
  assert.match(r.candidates[0]!.reason, /macOS/);
});

test('a forced preference that is unavailable: probe says so, init throws clearly', async () => {
  const env = fakeEnv(['tfjs-backend-wasm', 'tfjs-backend-cpu'], []);
  const r = probeBackends('tfjs-node-gpu', { env });
  assert.equal(r.usable, false);
  assert.equal(r.summary, 'tfjs-node-gpu requested but unavailable: tfjs-node-gpu not installed');
  await assert.rejects(initBackend('tfjs-node-gpu', { env }), (err: unknown) => {
    assert.ok(err instanceof BackendUnavailableError);
    assert.equal(err.message, 'Backend tfjs-node-gpu is not available: tfjs-node-gpu not installed');
    assert.equal(err.report.candidates[0]!.available, false);
    return true;
  });
});

test('addon load errors become clear reasons', () => {
  assert.equal(explainAddonError('tfjs-node-gpu', new Error('libcudnn.so.8: cannot open shared object file: No such file or directory')), 'CUDA libraries not found: libcudnn.so.8');
  assert.match(explainAddonError('tfjs-node', new Error('libtensorflow.so.2: cannot open shared object file')), /could not load libtensorflow\.so\.2/);
  assert.match(explainAddonError('tfjs-node', new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 108')), /another Node\.js version/);
  assert.match(explainAddonError('tfjs-node', new Error('invalid ELF header')), /another platform/);
});

test('init auto: the GPU addon fails to load -> falls back to tfjs-node, reason from the error', async () => {
  const loaded: string[] = [];
  const env = fakeEnv(ALL_BACKENDS, CUDA_LIBRARIES_LINUX, (pkg) => {
    loaded.push(pkg);
    if (pkg.endsWith('gpu')) throw new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory');
    // What tfjs-node does on require: register the 'tensorflow' backend.
    tf.registerBackend('tensorflow', () => new MathBackendCPU());
    return {};
  });
  try {
    const { report } = await initBackend('auto', { env });
    assert.deepEqual(loaded, ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    assert.equal(report.chosen, 'tfjs-node');
    assert.equal(report.gpu, false);
    assert.equal(tf.getBackend(), 'tensorflow');
    assert.deepEqual(report.candidates[0], { name: 'tfjs-node-gpu', available: false, reason: 'CUDA libraries not found: libcudart.so.11.0' });
  } finally {
    tf.removeBackend('tensorflow');
  }
});

test('init auto with a working GPU addon -> tfjs-node-gpu, gpu true', async () => {
  const env = fakeEnv(ALL_BACKENDS, CUDA_LIBRARIES_LINUX, () => tf.registerBackend('tensorflow', () => new MathBackendCPU()));
  try {
    const { report } = await initBackend('auto', { env });
    assert.equal(report.chosen, 'tfjs-node-gpu');
    assert.equal(report.gpu, true);
    assert.match(report.summary, /^tfjs-node-gpu \(CUDA GPU\)/);
  } finally {
    tf.removeBackend('tensorflow');
  }
});

// tfjs-node is usable here only where scripts/tfjs-node-from-wheel.sh built its binding.
const tfjsNodeHere = probeBackends('auto').candidates.find((c) => c.name === 'tfjs-node')!.available;
const autoHere = tfjsNodeHere ? 'tfjs-node' : 'wasm';

test(`this machine: probe picks ${autoHere} and explains why not tfjs-node-gpu`, () => {
  const r = probeBackends('auto');
  assert.equal(r.chosen, autoHere);
  assert.equal(r.candidates[0]!.available, false);
  assert.match(r.candidates[0]!.reason, /tfjs-node-gpu (not installed|installed but)|CUDA|NVIDIA/);
});

test(`this machine: init ${autoHere}, wasm and cpu for real and compute`, async () => {
  const auto = await initBackend('auto');
  assert.equal(auto.report.chosen, autoHere);
  assert.equal(auto.tf.getBackend(), tfjsNodeHere ? 'tensorflow' : 'wasm');
  assert.deepEqual([...auto.tf.matMul(auto.tf.tensor2d([1, 2, 3, 4], [2, 2]), auto.tf.tensor2d([1, 0, 0, 1], [2, 2])).dataSync()], [1, 2, 3, 4]);
  const wasm = await initBackend('wasm');
  assert.equal(wasm.report.chosen, 'wasm');
  assert.equal(wasm.tf.getBackend(), 'wasm');
  assert.deepEqual([...wasm.tf.matMul(wasm.tf.tensor2d([1, 2, 3, 4], [2, 2]), wasm.tf.tensor2d([1, 0, 0, 1], [2, 2])).dataSync()], [1, 2, 3, 4]);
  const cpu = await initBackend('cpu');
  assert.equal(cpu.report.chosen, 'cpu');
  assert.equal(cpu.tf.getBackend(), 'cpu');
  assert.match(cpu.report.summary, /\(forced\)$/);
});
