// From window scores to what a scan stores and calls:
// - per-base scores: the mean of the scores of every window covering the base (difference arrays,
//   one pass), run-length encoded into bedGraph intervals of equal float32 value;
// - called regions: maximal runs of bases whose score is >= a threshold, merged when they touch,
//   kept when at least `minLength` bp, with their max and length-weighted mean score;
// - the default threshold: the one that maximises the dev set's MCC (class vs the rest).
import type { Window } from './plan';

export const AGGREGATION = 'mean of the scores of the windows covering the base';

/** bedGraph intervals (absolute coordinates) in parallel arrays. */
export interface Intervals {
  starts: number[];
  ends: number[];
  values: number[];
}

/**
 * Per-base mean over [from, to) of window scores (windows may extend past the range), as runs of
 * equal float32 value. Bases no window covers get no interval.
 */
export function perBaseMean(windows: readonly Window[], scores: ArrayLike<number>, from: number, to: number): Intervals {
  const n = to - from;
  const sum = new Float64Array(n + 1);
  const count = new Int32Array(n + 1);
  windows.forEach((w, i) => {
    const s = Math.max(w.start, from) - from;
    const e = Math.min(w.end, to) - from;
    if (e <= s) return;
    const v = scores[i]!;
    sum[s]! += v;
    sum[e]! -= v;
    count[s]! += 1;
    count[e]! -= 1;
  });
  const out: Intervals = { starts: [], ends: [], values: [] };
  let acc = 0;
  let c = 0;
  let runStart = -1;
  let runValue = 0;
  const close = (at: number) => {
    if (runStart >= 0) {
      out.starts.push(from + runStart);
      out.ends.push(from + at);
      out.values.push(runValue);
    }
    runStart = -1;
  };
  for (let i = 0; i < n; i++) {
    acc += sum[i]!;
    c += count[i]!;
    if (c <= 0) {
      close(i);
      continue;
    }
    const v = Math.fround(acc / c);
    if (runStart >= 0 && v === runValue) continue;
    close(i);
    runStart = i;
    runValue = v;
  }
  close(n);
  return out;
}

export interface CalledRegion {
  chrom: string;
  start: number;
  end: number;
  maxScore: number;
  meanScore: number;
}

/** Streams bedGraph intervals of one chromosome (in order) into called regions. */
export class RegionCaller {
  private start = -1;
  private end = -1;
  private max = -Infinity;
  private weighted = 0;
  private covered = 0;

  constructor(
    private readonly chrom: string,
    private readonly threshold: number,
    private readonly minLength: number,
    private readonly emit: (r: CalledRegion) => void,
  ) {}

  add(start: number, end: number, value: number): void {
    if (value < this.threshold) {
      this.finish();
      return;
    }
    // A gap (bases with no score) ends a region too.
    if (this.start >= 0 && start > this.end) this.finish();
    if (this.start < 0) this.start = start;
    this.end = end;
    this.max = Math.max(this.max, value);
    this.weighted += value * (end - start);
    this.covered += end - start;
  }

  finish(): void {
    if (this.start >= 0 && this.end - this.start >= this.minLength) {
      this.emit({ chrom: this.chrom, start: this.start, end: this.end, maxScore: this.max, meanScore: this.weighted / this.covered });
    }
    this.start = -1;
    this.max = -Infinity;
    this.weighted = 0;
    this.covered = 0;
  }
}

/** Matthews correlation of a 2x2 table (0 when a margin is empty, as sklearn). */
export function mcc(tp: number, fp: number, tn: number, fn: number): number {
  const d = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return d === 0 ? 0 : (tp * tn - fp * fn) / d;
}

/**
 * The threshold t (score >= t is positive) with the highest MCC on labelled scores; ties go to the
 * threshold nearest 0.5. Candidates are the midpoints between consecutive distinct scores, so the
 * result does not sit on one example's score. Null when the labels hold a single class.
 */
export function bestMccThreshold(scores: ArrayLike<number>, positive: ArrayLike<boolean>): { threshold: number; mcc: number } | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let P = 0;
  for (let i = 0; i < n; i++) if (positive[i]) P++;
  const N = n - P;
  if (P === 0 || N === 0) return null;
  let best = { threshold: 0.5, mcc: -Infinity };
  let tp = 0;
  let fp = 0;
  // Walking down the scores: after taking every example with score >= s, the cut lies between s and the next lower score.
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (positive[i]) tp++;
    else fp++;
    const s = scores[i]!;
    const next = k + 1 < n ? scores[order[k + 1]!]! : -Infinity;
    if (next === s) continue;
    const t = next === -Infinity ? s : (s + next) / 2;
    const m = mcc(tp, fp, N - fp, P - tp);
    if (m > best.mcc + 1e-12 || (Math.abs(m - best.mcc) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(best.threshold - 0.5))) best = { threshold: t, mcc: m };
  }
  return best;
}
