// One way to show a place on the genome to people, used by the renderer and the CLI alike:
// IGV's and UCSC's 1-based inclusive `chr:1,234-5,678`, strand as ` (+)`. Loci stores and writes
// regions as BED does (0-based start, end excluded); only display goes through here.

/** Said once where coordinates are shown next to file contents. */
export const LOCUS_CONVENTION = 'Positions are 1-based and include both ends (as in IGV and the UCSC browser); BED files count from 0 and leave the end out.';

/** 1234567 -> "1,234,567" (fixed 'en-US' separators so the CLI and every locale agree). */
export function formatPosition(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

export interface LocusParts {
  chrom: string;
  /** 0-based, as stored (BED). */
  start: number;
  /** End, excluded (BED). */
  end: number;
  strand?: '+' | '-' | '.' | null | undefined;
}

/** A stored (0-based half-open) region shown as "chr:1,235-5,678 (+)"; strand '.'/absent is left out. */
export function formatLocus(r: LocusParts): string {
  const place = `${r.chrom}:${formatPosition(r.start + 1)}-${formatPosition(r.end)}`;
  return r.strand === '+' || r.strand === '-' ? `${place} (${r.strand})` : place;
}
