// A new version of a genome dataset from the user's annotations ("Retrain with my annotations"):
// the parent's windows, relabelled where an annotation covers them, plus windows cut from the
// annotations with the parent's window rule, split with the parent's split rule. Plain data, like
// buildDataset: the caller reads the parent's items and the annotations and stores the result.
//
// Rules (each one so before/after metrics stay comparable and nothing leaks between splits):
// - every window of one annotation goes to one split: the split the parent's rule gives the
//   annotation's centre (chromosomes, blocks), or one seeded draw per annotation (random);
// - by default the test split is left exactly as it was (same windows, labels and order), and
//   annotations that fall in test territory are left out; `includeTest` puts them in test too;
// - a new window that overlaps (within the parent's overlap-guard margin) a window of another split
//   is left out, so no window is in two splits and none sits over another split's window;
// - an original window is relabelled when an annotation of another class covers at least half of
//   it (or at least half of the annotation lies in it); synthetic (shuffled) windows are not.
import { IntervalIndex } from './intervals';
import { Rng } from './prng';
import { reverseComplement, sequenceStats } from './sequence';
import { SPLITS } from './spec';
import type { BuildParams, SplitName } from './spec';
import { planSplits } from './splits';
import { summariseSplit } from './summary';
import type { DatasetWindow, SequenceSource, SplitSummary } from './types';
import { placeWindow, windowStarts } from './windows';

export interface VersionAnnotation {
  id: number;
  chrom: string;
  start: number;
  end: number;
  label: string;
}

export interface VersionInput {
  /** The parent's build parameters (its provenance.params). */
  params: BuildParams;
  classes: readonly string[];
  /** The parent's windows in stored order. */
  windows: readonly DatasetWindow[];
  /** Annotations to use: already without conflicts and unknown classes (the caller reports those). */
  annotations: readonly VersionAnnotation[];
  includeTest: boolean;
}

/** What changed relative to the parent, stored with the version (provenance.version). */
export interface VersionChanges {
  annotationsUsed: number;
  includeTest: boolean;
  /** Windows cut from annotations, per split. */
  added: Record<SplitName, number>;
  /** Original windows whose label an annotation changed, per split. */
  relabelled: Record<SplitName, number>;
  /** Reason -> annotation windows (or annotations) left out. */
  leftOut: Record<string, number>;
  /** Annotations per split they went to. */
  annotationsBySplit: Record<SplitName, number>;
}

export interface VersionResult {
  windows: DatasetWindow[];
  changes: VersionChanges;
  splits: Record<SplitName, SplitSummary>;
}

const zero = (): Record<SplitName, number> => ({ train: 0, dev: 0, test: 0 });
const bump = (c: Record<string, number>, k: string, n = 1) => void (c[k] = (c[k] ?? 0) + n);

/** Bases two intervals share. */
const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

export async function buildVersion(input: VersionInput, source: SequenceSource, opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<VersionResult> {
  const { params, classes, includeTest } = input;
  const labelIndex = new Map(classes.map((c, i) => [c, i]));
  for (const a of input.annotations) if (!labelIndex.has(a.label)) throw new Error(`annotation ${a.id}: class "${a.label}" is not one of the dataset's classes (${classes.join(', ')})`);
  const chroms = source.sequences.map((s) => ({ name: s.name, length: s.length }));
  const chromLength = new Map(chroms.map((c) => [c.name, c.length]));
  // The same stream the parent's build used, so blocks come out the same.
  const plan = planSplits(params.split, chroms, Rng.forPurpose(params.seed, 'splits'));
  const len = params.window.length;
  const margin = params.overlapGuard.margin;
  const leftOut: Record<string, number> = {};
  const annotationsBySplit = zero();

  // 1. One split per annotation.
  const splitOf = new Map<number, SplitName>();
  for (const a of input.annotations) {
    if (!chromLength.has(a.chrom)) {
      bump(leftOut, 'annotation on a sequence not in the genome');
      continue;
    }
    let split: SplitName;
    if (params.split.kind === 'random') {
      const f = params.split.fractions;
      const u = Rng.forPurpose(params.seed, `annotation-${a.id}`).next();
      split = u < f.train ? 'train' : u < f.train + f.dev ? 'dev' : 'test';
    } else split = plan.assign(a.chrom, a.start, a.end);
    if (split === 'test' && !includeTest) {
      bump(leftOut, 'annotation in the test split (left out so the test set stays unchanged)');
      continue;
    }
    splitOf.set(a.id, split);
    annotationsBySplit[split]++;
  }
  const used = input.annotations.filter((a) => splitOf.has(a.id));

  // 2. Relabel original windows an annotation covers (test only with includeTest).
  const byChrom = new Map<string, VersionAnnotation[]>();
  for (const a of used) (byChrom.get(a.chrom) ?? byChrom.set(a.chrom, []).get(a.chrom)!).push(a);
  const relabelled = zero();
  const windows: DatasetWindow[] = input.windows.map((w) => {
    if (w.origin === 'shuffled' || w.origin === 'imported' || (w.split === 'test' && !includeTest)) return w;
    let best: VersionAnnotation | undefined;
    let bestOverlap = 0;
    for (const a of byChrom.get(w.chrom) ?? []) {
      const o = overlap(w, a);
      if (o > 0 && 2 * o >= Math.min(w.end - w.start, a.end - a.start) && o > bestOverlap) [best, bestOverlap] = [a, o];
    }
    if (!best || best.label === w.label) return w;
    relabelled[w.split]++;
    return { ...w, label: best.label, labelIndex: labelIndex.get(best.label)! };
  });

  // 3. New windows from the annotations, in genome order.
  const guards = new Map(SPLITS.map((s) => [s, new IntervalIndex(windows.filter((w) => w.split === s && w.origin !== 'imported'), margin)]));
  // New windows per split and chromosome, checked one by one (annotations are few next to windows).
  const fresh = new Map(SPLITS.map((s) => [s, new Map<string, Array<{ start: number; end: number }>>()]));
  const nearFresh = (s: SplitName, chrom: string, start: number, end: number) => (fresh.get(s)!.get(chrom) ?? []).some((w) => w.start - margin < end && start < w.end + margin);
  const existing = new Set(windows.map((w) => `${w.chrom}:${w.start}:${w.strand}`));
  const rank = new Map(chroms.map((c, i) => [c.name, i]));
  const ordered = [...used].sort((a, b) => rank.get(a.chrom)! - rank.get(b.chrom)! || a.start - b.start || a.end - b.end || a.id - b.id);
  const added: DatasetWindow[] = [];
  const addedBySplit = zero();
  const augmentSplits = new Set<SplitName>(params.augment.reverseComplement ? params.augment.splits : []);
  const rng = Rng.forPurpose(params.seed, 'annotation-windows');
  for (const [k, a] of ordered.entries()) {
    opts.signal?.throwIfAborted();
    opts.onProgress?.(k, ordered.length);
    const split = splitOf.get(a.id)!;
    const size = chromLength.get(a.chrom)!;
    const mine = fresh.get(split)!.get(a.chrom) ?? fresh.get(split)!.set(a.chrom, []).get(a.chrom)!;
    for (const s of windowStarts({ chrom: a.chrom, start: a.start, end: a.end }, params.window, rng)) {
      const start = placeWindow(s, len, size, params.window.boundary);
      if (start === undefined) {
        bump(leftOut, len > size ? 'sequence shorter than the window' : 'window crosses a sequence end');
        continue;
      }
      const end = start + len;
      if (existing.has(`${a.chrom}:${start}:+`)) {
        bump(leftOut, 'window already in the dataset (relabelled instead)');
        continue;
      }
      const other = SPLITS.find((s2) => s2 !== split && (guards.get(s2)!.overlaps(a.chrom, start, end) || nearFresh(s2, a.chrom, start, end)));
      if (other) {
        bump(leftOut, `window would overlap a ${other} window`);
        continue;
      }
      const bases = await source.getSequence(a.chrom, start, end, opts.signal ? { signal: opts.signal } : undefined);
      const st = sequenceStats(bases);
      if (st.nFraction > params.filters.maxNFraction) {
        bump(leftOut, 'too many N');
        continue;
      }
      existing.add(`${a.chrom}:${start}:+`);
      mine.push({ start, end });
      const base = { split, label: a.label, labelIndex: labelIndex.get(a.label)!, chrom: a.chrom, start, end, origin: 'positive' as const, gc: st.gc, source: `annotation ${a.id}` };
      const sequence = bases.toUpperCase();
      added.push({ id: '', ...base, strand: '+', augmented: false, sequence });
      if (augmentSplits.has(split)) added.push({ id: '', ...base, strand: '-', augmented: true, sequence: reverseComplement(sequence) });
      addedBySplit[split]++;
    }
  }
  opts.onProgress?.(ordered.length, ordered.length);

  // 4. Originals in their stored order, then the new windows; ids per split as the builder gives them.
  const all = [...windows, ...added];
  const count = zero();
  const out = SPLITS.flatMap((s) => all.filter((w) => w.split === s)).map((w) => ({ ...w, id: `${w.split}-${++count[w.split]}` }));
  const splits = Object.fromEntries(SPLITS.map((s) => [s, summariseSplit(out.filter((w) => w.split === s), classes)])) as Record<SplitName, SplitSummary>;
  return { windows: out, splits, changes: { annotationsUsed: used.length, includeTest, added: addedBySplit, relabelled, leftOut, annotationsBySplit } };
}
