// What a scan reads: intervals of the genome cut into fixed-size chunks (the unit of progress,
// checkpoint and memory), and the windows of the interval's grid that touch each chunk.
//
// The window grid of an interval [a, b): starts a, a+stride, ... while the window fits, plus one
// window ending at b when the grid stops short of it (so every base is covered); an interval
// shorter than the window gets one window, the interval itself. A chunk takes every grid window
// that overlaps it, so the per-base score of a chunk's bases never depends on another chunk and a
// resumed scan recomputes exactly what it would have (the few windows that straddle a chunk edge
// are scored in both chunks).

export interface ScanInterval {
  /** Index of the chromosome in the genome's order. */
  chrom: number;
  start: number;
  end: number;
}

export interface ScanChunk extends ScanInterval {
  /** The interval it belongs to. */
  interval: number;
}

export interface Window {
  start: number;
  end: number;
}

/** Chunks of at most `chunkBp` bases, in interval order. */
export function planChunks(intervals: readonly ScanInterval[], chunkBp: number): ScanChunk[] {
  if (!(chunkBp >= 1)) throw new RangeError(`chunk size must be at least 1 bp, got ${chunkBp}`);
  const out: ScanChunk[] = [];
  intervals.forEach((iv, interval) => {
    for (let s = iv.start; s < iv.end; s += chunkBp) out.push({ chrom: iv.chrom, start: s, end: Math.min(iv.end, s + chunkBp), interval });
  });
  return out;
}

export function totalBases(intervals: readonly ScanInterval[]): number {
  return intervals.reduce((n, iv) => n + (iv.end - iv.start), 0);
}

/** The grid windows of `interval` that overlap [from, to), in start order. */
export function windowsOverlapping(interval: ScanInterval, window: number, stride: number, from: number, to: number): Window[] {
  const { start: a, end: b } = interval;
  if (b - a <= window) return a < to && b > from ? [{ start: a, end: b }] : [];
  const kMax = Math.floor((b - a - window) / stride);
  const out: Window[] = [];
  const kFirst = Math.max(0, Math.ceil((from - window + 1 - a) / stride));
  const kLast = Math.min(kMax, Math.floor((to - 1 - a) / stride));
  for (let k = kFirst; k <= kLast; k++) out.push({ start: a + k * stride, end: a + k * stride + window });
  const lastEnd = a + kMax * stride + window;
  if (lastEnd < b && b - window < to && b > from) out.push({ start: b - window, end: b });
  return out;
}

/** Sorted, merged intervals (overlapping or touching ones joined), chromosomes in genome order. */
export function mergeIntervals(intervals: readonly ScanInterval[]): ScanInterval[] {
  const sorted = [...intervals].sort((x, y) => x.chrom - y.chrom || x.start - y.start);
  const out: ScanInterval[] = [];
  for (const iv of sorted) {
    const last = out.at(-1);
    if (last && last.chrom === iv.chrom && iv.start <= last.end) last.end = Math.max(last.end, iv.end);
    else out.push({ ...iv });
  }
  return out;
}
