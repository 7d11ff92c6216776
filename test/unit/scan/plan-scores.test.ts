// Scan planning and scoring, against brute-force references: the window grid covers every base,
// chunks see every window that touches them, per-base means equal a base-by-base average, called
// regions equal a base-by-base threshold, and the MCC threshold is the best of all cut points.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Prng } from '../../../main/engine/train/prng';
import { mergeIntervals, planChunks, totalBases, windowsOverlapping, type ScanInterval } from '../../../main/scan/plan';
import { bestMccThreshold, mcc, perBaseMean, RegionCaller, type CalledRegion } from '../../../main/scan/scores';

/** Every grid window of an interval, by the definition in plan.ts. */
function grid(iv: ScanInterval, w: number, s: number) {
  if (iv.end - iv.start <= w) return [{ start: iv.start, end: iv.end }];
  const out = [];
  let x = iv.start;
  for (; x + w <= iv.end; x += s) out.push({ start: x, end: x + w });
  if (out.at(-1)!.end < iv.end) out.push({ start: iv.end - w, end: iv.end });
  return out;
}

test('windows: the grid covers every base; a chunk gets exactly the grid windows that overlap it', () => {
  for (const [len, w, s, chunk] of [[1000, 100, 50, 237], [999, 100, 30, 100], [50, 100, 50, 20], [1234, 64, 64, 500], [300, 7, 3, 11]] as const) {
    const iv = { chrom: 0, start: 17, end: 17 + len };
    const all = grid(iv, w, s);
    const covered = new Uint8Array(len);
    for (const x of all) for (let b = x.start; b < x.end; b++) covered[b - 17] = 1;
    assert.ok(covered.every((c) => c === 1), `covers ${len}/${w}/${s}`);
    for (const c of planChunks([iv], chunk)) {
      const expect = all.filter((x) => x.start < c.end && x.end > c.start);
      assert.deepEqual(windowsOverlapping(iv, w, s, c.start, c.end), expect, `${len}/${w}/${s} chunk ${c.start}`);
    }
  }
  const chunks = planChunks([{ chrom: 0, start: 0, end: 250 }, { chrom: 1, start: 10, end: 20 }], 100);
  assert.deepEqual(chunks.map((c) => [c.chrom, c.start, c.end, c.interval]), [[0, 0, 100, 0], [0, 100, 200, 0], [0, 200, 250, 0], [1, 10, 20, 1]]);
  assert.equal(totalBases([{ chrom: 0, start: 5, end: 10 }, { chrom: 2, start: 0, end: 3 }]), 8);
  assert.deepEqual(mergeIntervals([{ chrom: 1, start: 5, end: 9 }, { chrom: 0, start: 10, end: 20 }, { chrom: 0, start: 15, end: 30 }, { chrom: 0, start: 30, end: 31 }, { chrom: 0, start: 40, end: 41 }]), [
    { chrom: 0, start: 10, end: 31 },
    { chrom: 0, start: 40, end: 41 },
    { chrom: 1, start: 5, end: 9 },
  ]);
});

test('per-base mean equals the base-by-base average of the covering windows', () => {
  const rng = new Prng(3);
  const iv = { chrom: 0, start: 0, end: 700 };
  const wins = grid(iv, 60, 25);
  const scores = wins.map(() => Math.round(rng.next() * 8) / 8); // repeats, so runs merge
  for (const [from, to] of [[0, 700], [100, 333], [650, 700]] as const) {
    const got = perBaseMean(wins, scores, from, to);
    const perBase: number[] = [];
    for (let b = from; b < to; b++) {
      let s = 0;
      let n = 0;
      wins.forEach((w, i) => {
        if (w.start > b || w.end <= b) return;
        s += scores[i]!;
        n++;
      });
      perBase.push(Math.fround(s / n));
    }
    const expanded: number[] = [];
    got.starts.forEach((s, i) => {
      for (let b = s; b < got.ends[i]!; b++) expanded.push(got.values[i]!);
      if (i > 0) assert.notEqual(got.values[i], got.values[i - 1], 'equal neighbours are merged');
    });
    assert.equal(got.starts[0], from);
    assert.deepEqual(expanded, perBase);
  }
  // Bases without a window get no interval.
  const gap = perBaseMean([{ start: 0, end: 10 }, { start: 20, end: 30 }], [0.5, 0.25], 0, 30);
  assert.deepEqual([gap.starts, gap.ends, gap.values], [[0, 20], [10, 30], [0.5, 0.25]]);
});

test('called regions: runs at or above the threshold, split at gaps, min length, max and mean', () => {
  const out: CalledRegion[] = [];
  const c = new RegionCaller('chr1', 0.5, 10, (r) => out.push(r));
  c.add(0, 10, 0.2);
  c.add(10, 20, 0.5);
  c.add(20, 30, 0.9);
  c.add(30, 35, 0.1);
  c.add(35, 40, 0.8); // 5 bp: too short
  c.add(40, 45, 0.3);
  c.add(50, 60, 0.6); // after a gap
  c.add(70, 80, 0.7); // another gap: a new region
  c.finish();
  assert.deepEqual(out, [
    { chrom: 'chr1', start: 10, end: 30, maxScore: 0.9, meanScore: 0.7 },
    { chrom: 'chr1', start: 50, end: 60, maxScore: 0.6, meanScore: 0.6 },
    { chrom: 'chr1', start: 70, end: 80, maxScore: 0.7, meanScore: 0.7 },
  ]);
});

test('the dev-MCC threshold is the best of every cut point (brute force), nearest 0.5 on ties', () => {
  const rng = new Prng(9);
  for (let trial = 0; trial < 20; trial++) {
    const n = 5 + rng.int(60);
    const scores = Array.from({ length: n }, () => Math.round(rng.next() * 20) / 20);
    const labels = scores.map((s) => rng.next() < s * 0.8 + 0.1);
    const got = bestMccThreshold(scores, labels);
    if (!labels.some(Boolean) || labels.every(Boolean)) {
      assert.equal(got, null);
      continue;
    }
    let best = -Infinity;
    for (const t of [...new Set(scores)].flatMap((s) => [s, s + 1e-9])) {
      let tp = 0, fp = 0, tn = 0, fn = 0; // prettier-ignore
      scores.forEach((s, i) => {
        const p = s >= t;
        if (p && labels[i]) tp++;
        else if (p) fp++;
        else if (labels[i]) fn++;
        else tn++;
      });
      best = Math.max(best, mcc(tp, fp, tn, fn));
    }
    assert.ok(got, 'a threshold');
    assert.ok(Math.abs(got.mcc - best) < 1e-12, `trial ${trial}: ${got.mcc} vs ${best}`);
  }
  assert.deepEqual(bestMccThreshold([0.9, 0.8, 0.2, 0.1], [true, true, false, false]), { threshold: 0.5, mcc: 1 });
});
