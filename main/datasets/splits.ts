// Train/dev/test assignment and the overlap guard.
//
// - chromosomes: the user lists dev and test chromosomes, the rest is train.
// - blocks: every chromosome is cut into contiguous blocks (default: the genome in ~20 blocks),
//   the blocks are shuffled (seeded) and dealt to the splits by base pairs, so a one-chromosome
//   genome (E. coli) still gets held-out regions far from the training data. A window belongs to
//   the block holding its centre.
// - random: each positive window independently (seeded); negatives are drawn genome-wide.
// Negatives are drawn per split inside that split's territory, so each split is balanced and a
// negative never sits in another split's block or chromosome.
import { IntervalIndex } from './intervals';
import type { Rng } from './prng';
import { SPLITS } from './spec';
import type { BuildParams, SplitName } from './spec';
import { formatBp } from '../../shared/bp';

export interface Segment {
  chrom: string;
  start: number;
  end: number;
}

export interface SplitPlan {
  /** Split of a positive window (random plans draw from the rng). */
  assign(chrom: string, start: number, end: number): SplitName;
  /** Where that split's negatives may be drawn. */
  territory(split: SplitName): Segment[];
  /** For the summary: e.g. blocks per split. */
  describe: string;
}

const DEFAULT_BLOCKS = 20;

export function planSplits(params: BuildParams['split'], chroms: ReadonlyArray<{ name: string; length: number }>, rng: Rng): SplitPlan {
  const whole = chroms.map((c) => ({ chrom: c.name, start: 0, end: c.length }));
  if (params.kind === 'chromosomes') {
    const known = new Set(chroms.map((c) => c.name));
    const of = new Map<string, SplitName>();
    for (const split of ['dev', 'test'] as const) {
      for (const name of params[split]) {
        if (!known.has(name)) throw new Error(`split: chromosome '${name}' listed for ${split} is not in the genome (it has ${[...known].slice(0, 8).join(', ')}${known.size > 8 ? ', …' : ''})`);
        if (of.has(name)) throw new Error(`split: chromosome '${name}' is listed for both ${of.get(name)} and ${split}`);
        of.set(name, split);
      }
    }
    return {
      assign: (chrom) => of.get(chrom) ?? 'train',
      territory: (split) => whole.filter((s) => (of.get(s.chrom) ?? 'train') === split),
      describe: `by chromosome (dev: ${params.dev.join(', ') || 'none'}; test: ${params.test.join(', ') || 'none'})`,
    };
  }
  if (params.kind === 'random') {
    const f = params.fractions;
    return {
      assign: () => {
        const u = rng.next();
        return u < f.train ? 'train' : u < f.train + f.dev ? 'dev' : 'test';
      },
      territory: () => whole,
      describe: `random (${f.train}/${f.dev}/${f.test})`,
    };
  }
  const total = chroms.reduce((a, c) => a + c.length, 0);
  const blockSize = params.blockSize ?? Math.max(1, Math.ceil(total / DEFAULT_BLOCKS));
  const blocks: Segment[] = [];
  for (const c of chroms) for (let s = 0; s < c.length; s += blockSize) blocks.push({ chrom: c.name, start: s, end: Math.min(c.length, s + blockSize) });
  rng.shuffle(blocks);
  const assigned: Record<SplitName, number> = { train: 0, dev: 0, test: 0 };
  const bySplit: Record<SplitName, Segment[]> = { train: [], dev: [], test: [] };
  for (const b of blocks) {
    // Deal to the split furthest below its share of base pairs.
    let best: SplitName = 'train';
    let bestDeficit = -Infinity;
    for (const s of SPLITS) {
      if (params.fractions[s] === 0) continue;
      const deficit = params.fractions[s] * total - assigned[s];
      if (deficit > bestDeficit) [best, bestDeficit] = [s, deficit];
    }
    assigned[best] += b.end - b.start;
    bySplit[best].push(b);
  }
  for (const s of SPLITS) {
    if (params.fractions[s] > 0 && bySplit[s].length === 0) {
      throw new Error(`split: ${blocks.length} blocks of ${formatBp(blockSize)} are too few to give ${s} its ${params.fractions[s]}; choose a smaller blockSize`);
    }
    bySplit[s].sort((a, b) => (a.chrom < b.chrom ? -1 : a.chrom > b.chrom ? 1 : a.start - b.start));
  }
  const index = new Map<SplitName, IntervalIndex>(SPLITS.map((s) => [s, new IntervalIndex(bySplit[s])]));
  return {
    assign: (chrom, start, end) => {
      const centre = Math.floor((start + end - 1) / 2);
      for (const s of SPLITS) if (index.get(s)!.overlaps(chrom, centre, centre + 1)) return s;
      return 'train';
    },
    territory: (split) => bySplit[split],
    describe: `by position blocks of ${formatBp(blockSize)} (train ${bySplit.train.length}, dev ${bySplit.dev.length}, test ${bySplit.test.length} blocks)`,
  };
}

export interface Guardable {
  chrom: string;
  start: number;
  end: number;
  split: SplitName;
}

export interface GuardResult<T> {
  kept: T[];
  /** e.g. "dev overlaps train" -> n (dropped). */
  dropped: Record<string, number>;
  /** e.g. "dev->train" -> n (moved). */
  moved: Record<string, number>;
}

const RANK: Record<SplitName, number> = { train: 0, dev: 1, test: 2 };

/**
 * Makes sure no dev or test window overlaps (or comes within `margin` bp of) a train window, and
 * no test window a dev window. drop: offenders are removed. move: every chain of overlapping
 * windows goes to the lowest split in it (train, else dev), so moving cannot create new overlaps.
 */
export function guardOverlaps<T extends Guardable>(windows: readonly T[], action: 'drop' | 'move', margin: number): GuardResult<T> {
  const dropped: Record<string, number> = {};
  const moved: Record<string, number> = {};
  if (action === 'drop') {
    const train = windows.filter((w) => w.split === 'train');
    const trainIndex = new IntervalIndex(train, margin);
    const dev = windows.filter((w) => w.split === 'dev');
    const devKept = dev.filter((w) => !trainIndex.overlaps(w.chrom, w.start, w.end) || !count(dropped, 'dev window overlaps train'));
    const devIndex = new IntervalIndex(devKept, margin);
    const testKept = windows.filter((w) => {
      if (w.split !== 'test') return false;
      if (trainIndex.overlaps(w.chrom, w.start, w.end)) return !count(dropped, 'test window overlaps train');
      if (devIndex.overlaps(w.chrom, w.start, w.end)) return !count(dropped, 'test window overlaps dev');
      return true;
    });
    return { kept: [...train, ...devKept, ...testKept], dropped, moved };
  }
  const order = windows.map((_, i) => i).sort((a, b) => {
    const x = windows[a]!;
    const y = windows[b]!;
    return x.chrom < y.chrom ? -1 : x.chrom > y.chrom ? 1 : x.start - y.start;
  });
  const out: T[] = [];
  let i = 0;
  while (i < order.length) {
    const first = windows[order[i]!]!;
    let end = first.end;
    let lowest = RANK[first.split];
    let j = i + 1;
    while (j < order.length) {
      const w = windows[order[j]!]!;
      if (w.chrom !== first.chrom || w.start >= end + margin) break;
      end = Math.max(end, w.end);
      lowest = Math.min(lowest, RANK[w.split]);
      j++;
    }
    const target = SPLITS[lowest]!;
    for (let k = i; k < j; k++) {
      const w = windows[order[k]!]!;
      if (w.split !== target) {
        count(moved, `${w.split}->${target}`);
        out.push({ ...w, split: target });
      } else out.push(w);
    }
    i = j;
  }
  return { kept: out, dropped, moved };
}

/** Adds one to a counter; returns true (so it can sit in a filter expression). */
function count(counter: Record<string, number>, key: string): true {
  counter[key] = (counter[key] ?? 0) + 1;
  return true;
}
