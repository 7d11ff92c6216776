// Active learning from a finished scan: rank fixed-size regions of the genome by how unsure the
// model is there (two classes: 1 - |2p - 1|; several, all scored: 1 - (top - second)) or by how much
// its forward- and reverse-strand scores disagree. Scores are first averaged over sub-bins (up to
// 16 per region) (length-weighted over the bedGraph intervals), the measure is taken per sub-bin, and a
// region's value is the mean over its covered sub-bins: so a region half 0.0 and half 1.0 is not
// "uncertain", which it would be if the scores were averaged first.

/** One stored track's intervals on one chromosome (as scans.ts readAll gives them). */
export interface TrackIntervals {
  starts: ArrayLike<number>;
  ends: ArrayLike<number>;
  scores: ArrayLike<number>;
}

export interface ChromTracks {
  chrom: string;
  length: number;
  /** Combined track per scored class, in class order of `classes`. */
  combined: Array<TrackIntervals | undefined>;
  /** Forward and reverse tracks of the class of interest (absent when one strand was scanned). */
  forward?: TrackIntervals | undefined;
  reverse?: TrackIntervals | undefined;
}

export interface RankOptions {
  by: 'uncertain' | 'strands';
  size: number;
  top: number;
  /** True when `combined` holds every class of the model (margin between the two best); else 1 - |2p - 1| of each. */
  allClasses: boolean;
}

export interface RankedRegion {
  chrom: string;
  start: number;
  end: number;
  uncertainty: number;
  strandGap: number | null;
  score: number;
  rank: number;
}

/** Length-weighted mean per sub-bin; NaN where nothing covers it. */
function binMeans(t: TrackIntervals | undefined, length: number, step: number): Float64Array {
  const n = Math.ceil(length / step);
  const sum = new Float64Array(n);
  const cover = new Float64Array(n);
  if (t) {
    for (let i = 0; i < t.starts.length; i++) {
      const s = t.starts[i]!;
      const e = Math.min(t.ends[i]!, length);
      const v = t.scores[i]!;
      for (let b = Math.floor(s / step); b * step < e; b++) {
        const w = Math.min(e, (b + 1) * step) - Math.max(s, b * step);
        if (w > 0) {
          sum[b]! += v * w;
          cover[b]! += w;
        }
      }
    }
  }
  for (let b = 0; b < n; b++) sum[b] = cover[b]! > 0 ? sum[b]! / cover[b]! : NaN;
  return sum;
}

/** The regions of one chromosome, each with its measures (regions nothing covers are left out). */
export function measureChrom(c: ChromTracks, o: Pick<RankOptions, 'size' | 'allClasses'>): RankedRegion[] {
  // Sub-bins tile a region exactly: up to 16 per region, of a size that divides it.
  let per = 16;
  while (o.size % per !== 0) per--;
  const step = o.size / per;
  const classes = c.combined.map((t) => binMeans(t, c.length, step));
  const fwd = c.forward && c.reverse ? binMeans(c.forward, c.length, step) : null;
  const rev = c.forward && c.reverse ? binMeans(c.reverse, c.length, step) : null;
  const out: RankedRegion[] = [];
  const nBins = Math.ceil(c.length / step);
  for (let r = 0; r * per < nBins; r++) {
    let unc = 0;
    let gap = 0;
    let score = 0;
    let n = 0;
    let nGap = 0;
    for (let b = r * per; b < Math.min(nBins, (r + 1) * per); b++) {
      const ps = classes.map((a) => a[b]!);
      if (ps.some(Number.isNaN) || ps.length === 0) continue;
      let u: number;
      if (o.allClasses && ps.length > 1) {
        const sorted = [...ps].sort((x, y) => y - x);
        u = 1 - (sorted[0]! - sorted[1]!);
      } else u = Math.max(...ps.map((p) => 1 - Math.abs(2 * p - 1)));
      unc += u;
      score += ps[0]!;
      n++;
      if (fwd && rev && !Number.isNaN(fwd[b]!) && !Number.isNaN(rev[b]!)) {
        gap += Math.abs(fwd[b]! - rev[b]!);
        nGap++;
      }
    }
    if (n === 0) continue;
    const start = r * per * step;
    const strandGap = fwd ? (nGap ? gap / nGap : 0) : null;
    out.push({ chrom: c.chrom, start, end: Math.min(c.length, start + o.size), uncertainty: unc / n, strandGap, score: score / n, rank: unc / n });
  }
  return out;
}

/** Keeps the `top` best regions seen so far (highest rank; ties in genome order, as they came). */
export class TopRegions {
  private readonly kept: RankedRegion[] = [];
  considered = 0;
  constructor(private readonly top: number) {}
  add(regions: readonly RankedRegion[], by: RankOptions['by']): void {
    for (const r0 of regions) {
      const r = { ...r0, rank: by === 'strands' ? (r0.strandGap ?? 0) : r0.uncertainty };
      this.considered++;
      if (this.kept.length === this.top && r.rank <= this.kept[this.kept.length - 1]!.rank) continue;
      let i = this.kept.length;
      while (i > 0 && this.kept[i - 1]!.rank < r.rank) i--;
      this.kept.splice(i, 0, r);
      if (this.kept.length > this.top) this.kept.pop();
    }
  }
  result(): RankedRegion[] {
    return this.kept;
  }
}
