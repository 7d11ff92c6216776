// The scan's parallel scorer (main/scan/parallel.ts): this thread plus worker threads, each its own
// wasm engine, give the single Scorer's probabilities to 1e-4 and the same bytes every time for the
// same list; a stop ends the threads mid-list, and a worker's error surfaces with its message.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { initBackend } from '../../../main/engine/backend';
import { loadModelFolder } from '../../../main/engine/checkpoint/folder';
import { Prng } from '../../../main/engine/train/prng';
import { loadTokenizer } from '../../../main/engine/tokenizers/index';
import { Scorer } from '../../../main/scan/infer';
import { ParallelScorer, runningScanWorkers, type EngineSpec } from '../../../main/scan/parallel';
import { defaultScanWorkers } from '../../../main/scan/protocol';
import { writeKmerClassifier } from '../../integration/scan-fixture';

const dir = mkdtempSync(join(tmpdir(), 'loci-parallel-scorer-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
// Three classes and wide initial weights: probabilities that vary with the sequence.
const modelDir = await writeKmerClassifier(join(dir, 'clf'), { numLabels: 3, initializerRange: 0.5 });
await initBackend('wasm');
const loaded = await loadModelFolder(modelDir, { heads: { classifier: true, pooler: true, mlm: false } });
const tokenizer = await loadTokenizer(modelDir);
// 64 positions: windows of up to 64 bases fit; longer ones are cut (and counted).
const spec: EngineSpec = { modelDir, backend: 'wasm', numLabels: 3, batchSize: 16, maxTokens: 64 };
const scorer = () => new Scorer(loaded.model, tokenizer, spec.numLabels, spec.batchSize, spec.maxTokens);

/** `n` random sequences of 20-80 bases (some longer than the model reads). */
function windows(n: number, seed: number): string[] {
  const rng = new Prng(seed);
  return Array.from({ length: n }, () => Array.from({ length: 20 + rng.int(61) }, () => 'ACGT'[rng.int(4)]).join(''));
}

test('2 and 3 engine instances give the single scorer probabilities to 1e-4, the same bytes every time, and add up the stats', { timeout: 120_000 }, async (t) => {
  const list = windows(301, 1);
  const single = scorer();
  const expected = await single.score(list);
  for (const instances of [2, 3]) {
    const pool = await ParallelScorer.start(scorer(), spec, instances);
    try {
      assert.equal(pool.instances, instances);
      assert.equal(runningScanWorkers(), instances - 1);
      const got = await pool.score(list);
      assert.equal(got.length, expected.length);
      let maxDiff = 0;
      for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i]! - expected[i]!));
      assert.ok(maxDiff <= 1e-4, `${instances} instances: max |diff| ${maxDiff}`);
      t.diagnostic(`${instances} instances vs 1: max |diff| ${maxDiff.toExponential(2)}`);
      let spread = 0;
      for (let i = 0; i < list.length; i++) spread = Math.max(spread, Math.abs(got[3 * i]! - got[0]!));
      assert.ok(spread > 0.01, 'the scores vary with the sequence (else the comparison means little)');
      // The split is a function of the list and the number of instances: the same bytes again.
      const again = await pool.score(list);
      assert.ok(Buffer.from(again.buffer).equals(Buffer.from(got.buffer)), 'same list, same bytes');
      assert.equal(pool.stats.sequences, 2 * list.length);
      assert.equal(pool.stats.truncated, 2 * single.stats.truncated);
      assert.ok(single.stats.truncated > 0, 'some windows were cut');
      // Lists shorter than the instances (scored here alone, as one Scorer would), and empty ones.
      assert.deepEqual([...(await pool.score(list.slice(0, 1)))], [...(await scorer().score(list.slice(0, 1)))]);
      assert.equal((await pool.score([])).length, 0);
    } finally {
      await pool.close();
    }
    assert.equal(runningScanWorkers(), 0, 'close() ends every worker thread');
  }
});

test('a stop ends the worker threads mid-list; later calls fail', { timeout: 120_000 }, async (t) => {
  const pool = await ParallelScorer.start(scorer(), spec, 2);
  const stop = new AbortController();
  // Far more than 100 ms of work for either instance.
  const list = windows(20_000, 2);
  const started = performance.now();
  let stoppedAt = 0;
  const scoring = pool.score(list, stop.signal);
  setTimeout(() => {
    stoppedAt = performance.now();
    stop.abort(new Error('paused'));
  }, 100);
  await assert.rejects(scoring, /paused/);
  t.diagnostic(`stop asked ${((stoppedAt - started) / 1000).toFixed(2)} s in, obeyed ${((performance.now() - stoppedAt) / 1000).toFixed(2)} s later`);
  assert.equal(runningScanWorkers(), 0, 'the worker thread was terminated');
  await assert.rejects(pool.score(['ACGTACGT']), /stopped/);
  await pool.close();
});

test("a worker's error surfaces with its message, and every thread is ended", { timeout: 120_000 }, async () => {
  const missing = join(dir, 'no-such-model');
  await assert.rejects(ParallelScorer.start(scorer(), { ...spec, modelDir: missing }, 3), (e: Error) => {
    assert.match(e.message, /^scan worker [12]: /);
    assert.ok(e.message.includes(missing), e.message);
    return true;
  });
  assert.equal(runningScanWorkers(), 0);
  await assert.rejects(ParallelScorer.start(scorer(), { ...spec, numLabels: 5 }, 2), /scan worker 1: .*has 3 classes, the scan expected 5/);
  assert.equal(runningScanWorkers(), 0);
});

test('the default: one instance per core, at most 4, on wasm and cpu; 1 on tfjs-node and tfjs-node-gpu', () => {
  assert.deepEqual([1, 2, 3, 4, 16].map((cores) => defaultScanWorkers('wasm', cores)), [1, 2, 3, 4, 4]);
  assert.equal(defaultScanWorkers('cpu', 2), 2);
  assert.equal(defaultScanWorkers('tfjs-node', 16), 1);
  assert.equal(defaultScanWorkers('tfjs-node-gpu', 16), 1);
});
