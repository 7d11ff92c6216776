// The window a model reads around an allele, shared by in-silico mutagenesis (every base is a
// one-base allele) and variant effects, so an ISM cell and the same SNV scored as a variant are the
// same two forward passes.
//
// The allele sits in the middle of a window of exactly `window` bp (as the model was trained):
// floor((window - a) / 2) bases of left flank, the allele (a bp), and the rest as right flank.
// Near a chromosome end the window slides inward, keeping its length; a chromosome shorter than
// the window gives the whole chromosome. Reference and alternative windows are cut this way each
// with its own allele length, so an indel's alternative window is centred on its own allele too.

export interface AlleleWindow {
  /** Genome coordinates (0-based, half-open) of the left flank's first base and the right flank's end. */
  start: number;
  end: number;
  /** Bases of left flank before the allele. */
  left: number;
  /** Bases of right flank after the reference allele. */
  right: number;
}

/**
 * Flanks of an allele of `alleleLength` bp replacing the reference [pos, pos + refLength) on a
 * chromosome of `chromLength` bp, in a window of `window` bp.
 */
export function alleleWindow(pos: number, refLength: number, alleleLength: number, window: number, chromLength: number): AlleleWindow {
  const flanks = Math.max(0, window - alleleLength);
  const refEnd = pos + refLength;
  let left = Math.floor(flanks / 2);
  let right = flanks - left;
  // Slide inward at either end of the chromosome; what does not fit on one side goes to the other.
  if (pos - left < 0) {
    right += left - pos;
    left = pos;
  }
  if (refEnd + right > chromLength) {
    left += refEnd + right - chromLength;
    right = chromLength - refEnd;
    left = Math.min(left, pos);
  }
  return { start: pos - left, end: refEnd + right, left, right };
}

/** The window's sequence with the allele in place, from the genome sequence `seq` that starts at `seqStart`. */
export function windowSequence(seq: string, seqStart: number, pos: number, refLength: number, allele: string, w: AlleleWindow): string {
  const a = w.start - seqStart;
  const p = pos - seqStart;
  if (a < 0 || w.end - seqStart > seq.length) throw new RangeError(`windowSequence: ${w.start}-${w.end} is outside the ${seq.length} bp fetched from ${seqStart}`);
  return seq.slice(a, p) + allele + seq.slice(p + refLength, w.end - seqStart);
}
