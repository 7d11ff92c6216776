// Small formatting helpers of the Data page.

/** 0.4123 -> "41.2%". */
export function percent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits })}%`;
}

/** The last part of a path, for tables where the full path sits in a tooltip. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** Genome-wide GC: the sequences' GC weighted by their length (N left out by the service). */
export function genomeGc(sequences: ReadonlyArray<{ length: number; gc: number; nFraction: number }>): number {
  let acgt = 0;
  let gc = 0;
  for (const s of sequences) {
    const called = s.length * (1 - s.nFraction);
    acgt += called;
    gc += s.gc * called;
  }
  return acgt ? gc / acgt : 0;
}
