// Active-learning ranking (main/scan/suggest.ts) against values worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TopRegions, measureChrom } from '../../../main/scan/suggest';

const track = (rows: Array<[number, number, number]>) => ({ starts: rows.map((r) => r[0]), ends: rows.map((r) => r[1]), scores: rows.map((r) => r[2]) });

test('two classes: uncertainty 1 - |2p - 1| per sub-bin, averaged over a region; uncovered regions left out', () => {
  // 4 regions of 160 bp (sub-bins of 10 bp): p = 0.5, 0.9, half 0 / half 1, nothing.
  const c = { chrom: 'c', length: 640, combined: [track([[0, 160, 0.5], [160, 320, 0.9], [320, 400, 0], [400, 480, 1]])] };
  const r = measureChrom(c, { size: 160, allClasses: false });
  assert.equal(r.length, 3);
  assert.deepEqual(r.map((x) => [x.start, x.end]), [[0, 160], [160, 320], [320, 480]]);
  assert.ok(Math.abs(r[0]!.uncertainty - 1) < 1e-9);
  assert.ok(Math.abs(r[1]!.uncertainty - 0.2) < 1e-6, String(r[1]!.uncertainty));
  assert.equal(r[2]!.uncertainty, 0, 'sure on both halves: not uncertain (the mean score 0.5 would say so)');
  assert.ok(Math.abs(r[2]!.score - 0.5) < 1e-9);
  assert.equal(r[0]!.strandGap, null);
});

test('several classes: 1 - (top - second); strand gap |forward - reverse|; TopRegions keeps the best in order', () => {
  const c = {
    chrom: 'c',
    length: 200,
    combined: [track([[0, 100, 0.4], [100, 200, 0.8]]), track([[0, 100, 0.35], [100, 200, 0.1]]), track([[0, 100, 0.25], [100, 200, 0.1]])],
    forward: track([[0, 100, 0.6], [100, 200, 0.8]]),
    reverse: track([[0, 100, 0.2], [100, 200, 0.8]]),
  };
  const r = measureChrom(c, { size: 100, allClasses: true });
  assert.ok(Math.abs(r[0]!.uncertainty - 0.95) < 1e-9);
  assert.ok(Math.abs(r[1]!.uncertainty - 0.3) < 1e-9);
  assert.ok(Math.abs(r[0]!.strandGap! - 0.4) < 1e-9);
  assert.equal(r[1]!.strandGap, 0);
  const top = new TopRegions(1);
  top.add(r, 'uncertain');
  assert.deepEqual(top.result().map((x) => x.start), [0]);
  const byStrand = new TopRegions(5);
  byStrand.add([...r].reverse(), 'strands');
  assert.deepEqual(byStrand.result().map((x) => [x.start, x.rank]), [[0, r[0]!.strandGap], [100, 0]]);
  assert.equal(byStrand.considered, 2);
});
