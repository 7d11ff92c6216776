// The wasm backend's threaded build in Node (main/engine/wasm-threads.ts): it starts with the
// thread count asked for (above the package's cap of half the logical CPUs), gives the same numbers
// as one thread (XNNPACK splits a product over its rows and columns, never its sums), and leaves
// no worker that keeps the process alive (each child must exit by itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wasmThreadsUnsupported } from '../../../main/engine/wasm-threads';

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
