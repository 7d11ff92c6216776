// The wasm backend's threaded build in Node (main/engine/wasm-threads.ts): it starts with the
// thread count asked for (above the package's cap of half the logical CPUs), gives the same numbers
// as one thread (XNNPACK splits a product over its rows and columns, never its sums), and leaves
// no worker that keeps the process alive (each child must exit by itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { envSharingCores, wasmThreadsEnvProblem, wasmThreadsUnsupported } from '../../../main/engine/wasm-threads';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'wasm-threads-child.ts');

interface ChildOut {
  summary: string;
  threads: number;
  hidden: number[];
  gradients: number[][];
  product: number[];
}

function run(threads: number): ChildOut {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
    timeout: 120_000, // a worker left referenced would keep the child alive until here
    env: { ...process.env, LOCI_WASM_THREADS: String(threads) },
  });
  assert.equal(r.signal, null, `the child with ${threads} threads did not exit by itself:\n${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ChildOut;
}

test('threaded wasm: the threads asked for, the same numbers as one thread, and a process that exits', { skip: wasmThreadsUnsupported() ?? false }, () => {
  const one = run(1);
  assert.equal(one.threads, 1);
  assert.match(one.summary, /^wasm \(SIMD, 1 thread\)/);
  for (const threads of [2, 3]) {
    const many = run(threads);
    assert.equal(many.threads, threads);
    assert.match(many.summary, new RegExp(`^wasm \\(SIMD, ${threads} threads\\)`));
    assert.deepEqual(many.hidden, one.hidden, 'hidden states');
    assert.deepEqual(many.gradients, one.gradients, 'gradients');
    assert.deepEqual(many.product, one.product, 'matrix product');
  }
});

test('envSharingCores: each of N side-by-side processes gets its part of the cores, unless the environment already says', () => {
  const part = String(Math.max(1, Math.floor(availableParallelism() / 2)));
  assert.deepEqual(envSharingCores(1, { A: '1' }), { A: '1' }, 'one process: the environment unchanged');
  assert.deepEqual(envSharingCores(2, { A: '1' }), { A: '1', LOCI_WASM_THREADS: part, TF_NUM_INTRAOP_THREADS: part });
  assert.deepEqual(envSharingCores(64, {}), { LOCI_WASM_THREADS: '1', TF_NUM_INTRAOP_THREADS: '1' }, 'never below one thread');
  assert.deepEqual(envSharingCores(2, { LOCI_WASM_THREADS: '3', TF_NUM_INTRAOP_THREADS: '4' }), { LOCI_WASM_THREADS: '3', TF_NUM_INTRAOP_THREADS: '4' });
});

test('LOCI_WASM_THREADS that cannot be used is named, with what Loci does instead', () => {
  assert.equal(wasmThreadsEnvProblem({}), null);
  assert.equal(wasmThreadsEnvProblem({ LOCI_WASM_THREADS: '3' }), null);
  assert.equal(wasmThreadsEnvProblem({ LOCI_WASM_THREADS: 'abc' }), 'LOCI_WASM_THREADS="abc" ignored: not a positive whole number');
  assert.match(wasmThreadsEnvProblem({ LOCI_WASM_THREADS: '0' })!, /ignored/);
  assert.match(wasmThreadsEnvProblem({ LOCI_WASM_THREADS: '-3' })!, /ignored/);
  assert.match(wasmThreadsEnvProblem({ LOCI_WASM_THREADS: '2.5' })!, /ignored/);
  assert.equal(wasmThreadsEnvProblem({ LOCI_WASM_THREADS: '12' }), 'LOCI_WASM_THREADS=12 cut to 8, the most Loci starts');
});
