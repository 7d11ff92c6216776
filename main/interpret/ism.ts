// In-silico mutagenesis over a region: every base changed to each of the other three, in a window
// centred on the base (main/interpret/windows.ts), both strands scored; the result is gReLU's
// 4 x L table (rows A, C, G, T) of alt minus ref class probability, per strand and combined.
// Work goes in groups of positions so progress is reported and a cancel lands within one group.
import { ISM_MAX_BP } from '../../shared/contract/interpret';
import { alleleWindow, windowSequence } from './windows';
import { combineStrands, scoreStrands, type ProbabilityScorer } from './score';

export const ISM_BASES = ['A', 'C', 'G', 'T'] as const;

export interface IsmParams {
  chrom: string;
  chromLength: number;
  /** Region, 0-based half-open. */
  start: number;
  end: number;
  window: number;
  classIndex: number;
}

export interface IsmProgress {
  positionsDone: number;
  positions: number;
  /** Sequences scored so far (forward passes, both strands). */
  sequences: number;
}

export interface IsmResult {
  chrom: string;
  start: number;
  end: number;
  window: number;
  classIndex: number;
  /** The reference base at each position (uppercase; N and other codes are not mutated). */
  refBases: string;
  /** Reference window's class probability per position (NaN where the base is not A, C, G or T). */
  refForward: Float64Array;
  refReverse: Float64Array;
  /**
   * Alt minus ref probability, [L x 4] row-major by position then base A, C, G, T; 0 at the
   * reference base, NaN at positions not mutated.
   */
  deltaForward: Float64Array;
  deltaReverse: Float64Array;
  deltaCombined: Float64Array;
  /** Forward passes run (both strands). */
  sequences: number;
}

/** Positions per group: 4 windows x 2 strands each, so 256 sequences per scorer call. */
const GROUP = 32;


export async function runIsm(
  scorer: ProbabilityScorer,
  getSequence: (chrom: string, start: number, end: number) => Promise<string>,
  p: IsmParams,
  opts: { signal?: AbortSignal; onProgress?: (x: IsmProgress) => void } = {},
): Promise<IsmResult> {
  const L = p.end - p.start;
  if (!(L >= 1) || p.start < 0 || p.end > p.chromLength) throw new RangeError(`ISM region ${p.chrom}:${p.start}-${p.end} is not within the ${p.chromLength} bp of ${p.chrom}`);
  if (L > ISM_MAX_BP) throw new RangeError(`ISM region of ${L} bp: at most ${ISM_MAX_BP} bp (ISM runs 8 forward passes per base)`);
  // Everything any window can reach, fetched once.
  const from = Math.max(0, p.start - p.window);
  const to = Math.min(p.chromLength, p.end + p.window);
  const seq = (await getSequence(p.chrom, from, to)).toUpperCase();
  const refBases = seq.slice(p.start - from, p.end - from);
  const nan = () => new Float64Array(L).fill(NaN);
  const out: IsmResult = {
    chrom: p.chrom,
    start: p.start,
    end: p.end,
    window: p.window,
    classIndex: p.classIndex,
    refBases,
    refForward: nan(),
    refReverse: nan(),
    deltaForward: new Float64Array(L * 4).fill(NaN),
    deltaReverse: new Float64Array(L * 4).fill(NaN),
    deltaCombined: new Float64Array(L * 4).fill(NaN),
    sequences: 0,
  };
  for (let g = 0; g < L; g += GROUP) {
    opts.signal?.throwIfAborted();
    const seqs: string[] = [];
    const slots: { i: number; b: number }[] = []; // b = -1: the reference window
    for (let i = g; i < Math.min(L, g + GROUP); i++) {
      const ref = refBases[i]!;
      if (!ISM_BASES.includes(ref as (typeof ISM_BASES)[number])) continue;
      const pos = p.start + i;
      const w = alleleWindow(pos, 1, 1, p.window, p.chromLength);
      seqs.push(windowSequence(seq, from, pos, 1, ref, w));
      slots.push({ i, b: -1 });
      ISM_BASES.forEach((alt, b) => {
        if (alt === ref) return;
        seqs.push(windowSequence(seq, from, pos, 1, alt, w));
        slots.push({ i, b });
      });
    }
    if (seqs.length) {
      const s = await scoreStrands(scorer, seqs, p.classIndex, opts.signal);
      out.sequences += 2 * seqs.length;
      slots.forEach(({ i, b }, k) => {
        if (b >= 0) return;
        out.refForward[i] = s.forward[k]!;
        out.refReverse[i] = s.reverse[k]!;
        const refIdx = ISM_BASES.indexOf(refBases[i] as (typeof ISM_BASES)[number]);
        out.deltaForward[i * 4 + refIdx] = 0;
        out.deltaReverse[i * 4 + refIdx] = 0;
        out.deltaCombined[i * 4 + refIdx] = 0;
      });
      slots.forEach(({ i, b }, k) => {
        if (b < 0) return;
        const f = s.forward[k]! - out.refForward[i]!;
        const r = s.reverse[k]! - out.refReverse[i]!;
        out.deltaForward[i * 4 + b] = f;
        out.deltaReverse[i * 4 + b] = r;
        out.deltaCombined[i * 4 + b] = combineStrands(f, r);
      });
    }
    opts.onProgress?.({ positionsDone: Math.min(L, g + GROUP), positions: L, sequences: out.sequences });
  }
  return out;
}

/**
 * Per-position importance from the combined table: the reference's probability minus the mean over
 * the three alternatives (signed: > 0 where the reference base supports the class, < 0 where
 * changing it would raise the score), and the largest absolute change. NaN where not mutated.
 */
export function ismImportance(r: Pick<IsmResult, 'deltaCombined'>): { signed: Float64Array; maxAbs: Float64Array } {
  const L = r.deltaCombined.length / 4;
  const signed = new Float64Array(L);
  const maxAbs = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    let sum = 0;
    let m = 0;
    for (let b = 0; b < 4; b++) {
      const d = r.deltaCombined[i * 4 + b]!;
      sum += d;
      m = Math.max(m, Math.abs(d));
    }
    // The reference cell is 0, so the sum over four is the sum over the three alternatives.
    signed[i] = -sum / 3;
    maxAbs[i] = Number.isNaN(sum) ? NaN : m;
  }
  return { signed, maxAbs };
}
