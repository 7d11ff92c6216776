// runIsm's bookkeeping with a stand-in scorer (probability = fraction of G in the sequence, either
// strand, so the reverse complement sees the C's): the 4 x L table, reference cells at 0, N not mutated, progress per group, and a cancel
// that stops it between groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ismImportance, runIsm } from '../../../main/interpret/ism';
import type { ProbabilityScorer } from '../../../main/interpret/score';

const gFraction: ProbabilityScorer = {
  numLabels: 2,
  async score(seqs) {
    const out = new Float64Array(seqs.length * 2);
    seqs.forEach((s, i) => {
      const g = [...s].filter((c) => c === 'G').length / s.length;
      out[2 * i] = 1 - g;
      out[2 * i + 1] = g;
    });
    return out;
  },
};

test('ISM table: G gains, losing a G loses, the reference cell is 0, N is left out', async () => {
  const chrom = 'ACGTN'.repeat(20); // 100 bp
  const get = async (_c: string, s: number, e: number) => chrom.slice(s, e);
  const progress: number[] = [];
  const r = await runIsm(gFraction, get, { chrom: 'c', chromLength: 100, start: 40, end: 45, window: 10, classIndex: 1 }, { onProgress: (p) => progress.push(p.positionsDone) });
  assert.deepEqual(progress, [5]);
  assert.equal(r.refBases, 'ACGTN');
  assert.equal(r.sequences, 4 * 4 * 2); // 4 mutable bases x 4 windows x 2 strands
  const row = (i: number) => Array.from(r.deltaCombined.subarray(i * 4, i * 4 + 4));
  // A 10 bp window: A -> G adds a G on the forward strand (+0.1), A -> C a G on the reverse
  // complement (+0.1); the strands' mean is +0.05 for both, A -> T changes neither.
  assert.deepEqual(row(0).map((x) => Math.round(x * 1000) / 1000), [0, 0.05, 0.05, 0]);
  assert.equal(row(2)[2], 0); // the reference G
  assert.ok(row(2).every((x, b) => b === 2 || x < 0), 'losing the G lowers the score');
  assert.ok(row(4).every(Number.isNaN), 'N is not mutated');
  const { signed } = ismImportance(r);
  assert.ok(signed[2]! > 0 && Number.isNaN(signed[4]!));
});

test('a cancel stops ISM between groups', async () => {
  const chrom = 'ACGT'.repeat(100);
  const ac = new AbortController();
  let groups = 0;
  await assert.rejects(
    runIsm(gFraction, async (_c, s, e) => chrom.slice(s, e), { chrom: 'c', chromLength: 400, start: 0, end: 400, window: 20, classIndex: 1 }, { signal: ac.signal, onProgress: () => (++groups === 2 ? ac.abort() : undefined) }),
    (e: Error) => e.name === 'AbortError',
  );
  assert.equal(groups, 2);
});
