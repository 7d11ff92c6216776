// Which runs of a Compare row hold the best value: kept apart from the page so it can be tested.

export type Row = { label: string; values: string[]; numbers?: Array<number | null>; better?: 'high' | 'low' };

/**
 * The columns holding the best value of a row: every one that ties with the best as shown (a tie
 * bolds all of them); none when fewer than two runs have a value or all of them are equal.
 */
export function bestIndices(row: Row): Set<number> {
  const present = (row.numbers ?? []).map((v, i) => [v, i] as const).filter((p): p is readonly [number, number] => p[0] !== null);
  if (present.length < 2) return new Set();
  const best = present.reduce((a, b) => ((row.better === 'low' ? b[0] < a[0] : b[0] > a[0]) ? b : a));
  const tied = present.filter(([, i]) => row.values[i] === row.values[best[1]]).map(([, i]) => i);
  return tied.length === present.length ? new Set() : new Set(tied);
}
