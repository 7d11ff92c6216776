// Reading a stored score track back (exports, called regions, report summaries) in pieces of at
// most READ_BLOCK_BP bases, so what is held does not grow with the genome or a chromosome.
import type { BigWig } from '@gmod/bbi';

export const READ_BLOCK_BP = 4_000_000;

export interface BigWigPiece {
  chrom: string;
  starts: ArrayLike<number>;
  ends: ArrayLike<number>;
  scores: ArrayLike<number>;
}

/**
 * Every interval of a bigWig in the given chromosome order, piece by piece; an interval longer
 * than a piece (or across a piece's start) comes once, with the first piece it overlaps.
 */
export async function* bigWigPieces(bw: BigWig, chroms: readonly { name: string; length: number }[], blockBp = READ_BLOCK_BP): AsyncGenerator<BigWigPiece> {
  for (const c of chroms) {
    let lastEnd = 0;
    for (let from = 0; from < c.length; from += blockBp) {
      const f = (await bw.getFeaturesAsArrays(c.name, from, Math.min(c.length, from + blockBp))) as { starts: Int32Array; ends: Int32Array; scores: Float32Array };
      let i = 0;
      while (i < f.starts.length && f.starts[i]! < lastEnd) i++;
      if (i === f.starts.length) continue;
      lastEnd = f.ends[f.ends.length - 1]!;
      yield { chrom: c.name, starts: f.starts.subarray(i), ends: f.ends.subarray(i), scores: f.scores.subarray(i) };
    }
  }
}
