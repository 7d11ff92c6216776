// Variant effects: the window centred on the variant (main/interpret/windows.ts), reference and
// alternative scored on both strands; the effect is the difference and the log2 fold change of the
// class probability (LOG2FC_EPSILON added to both), per strand and for the strands combined (the
// mean of their probabilities, then the difference or fold change).
import type { VcfVariant } from './vcf';
import { alleleWindow, windowSequence } from './windows';
import { combineStrands, log2FoldChange, scoreStrands, type ProbabilityScorer } from './score';

export interface VariantEffect {
  variant: VcfVariant;
  refForward: number;
  refReverse: number;
  altForward: number;
  altReverse: number;
  /** Combined strands. */
  refProb: number;
  altProb: number;
  diff: number;
  log2fc: number;
  diffForward: number;
  diffReverse: number;
  log2fcForward: number;
  log2fcReverse: number;
}

export interface VariantProgress {
  done: number;
  total: number;
  sequences: number;
}

/** Variants per scorer call: 2 windows x 2 strands each. */
const GROUP = 64;

/** The reference and alternative window sequences of a variant (0-based coordinates inside). */
export async function variantWindows(v: Pick<VcfVariant, 'chrom' | 'pos' | 'ref' | 'alt'>, window: number, chromLength: number, getSequence: (chrom: string, start: number, end: number) => Promise<string>): Promise<{ ref: string; alt: string }> {
  const pos = v.pos - 1;
  const wr = alleleWindow(pos, v.ref.length, v.ref.length, window, chromLength);
  const wa = alleleWindow(pos, v.ref.length, v.alt.length, window, chromLength);
  const from = Math.min(wr.start, wa.start);
  const seq = (await getSequence(v.chrom, from, Math.max(wr.end, wa.end))).toUpperCase();
  return { ref: windowSequence(seq, from, pos, v.ref.length, v.ref, wr), alt: windowSequence(seq, from, pos, v.ref.length, v.alt, wa) };
}

export async function scoreVariants(
  scorer: ProbabilityScorer,
  getSequence: (chrom: string, start: number, end: number) => Promise<string>,
  chromLength: (chrom: string) => number,
  variants: readonly VcfVariant[],
  p: { window: number; classIndex: number },
  opts: { signal?: AbortSignal; onProgress?: (x: VariantProgress) => void } = {},
): Promise<VariantEffect[]> {
  const out: VariantEffect[] = [];
  let sequences = 0;
  for (let g = 0; g < variants.length; g += GROUP) {
    opts.signal?.throwIfAborted();
    const group = variants.slice(g, g + GROUP);
    const seqs: string[] = [];
    for (const v of group) {
      const w = await variantWindows(v, p.window, chromLength(v.chrom), getSequence);
      seqs.push(w.ref, w.alt);
    }
    const s = await scoreStrands(scorer, seqs, p.classIndex, opts.signal);
    sequences += 2 * seqs.length;
    group.forEach((variant, k) => {
      const rf = s.forward[2 * k]!;
      const rr = s.reverse[2 * k]!;
      const af = s.forward[2 * k + 1]!;
      const ar = s.reverse[2 * k + 1]!;
      const refProb = combineStrands(rf, rr);
      const altProb = combineStrands(af, ar);
      out.push({
        variant,
        refForward: rf,
        refReverse: rr,
        altForward: af,
        altReverse: ar,
        refProb,
        altProb,
        diff: altProb - refProb,
        log2fc: log2FoldChange(altProb, refProb),
        diffForward: af - rf,
        diffReverse: ar - rr,
        log2fcForward: log2FoldChange(af, rf),
        log2fcReverse: log2FoldChange(ar, rr),
      });
    });
    opts.onProgress?.({ done: Math.min(variants.length, g + GROUP), total: variants.length, sequences });
  }
  return out;
}
