// The class weights a run gets when nobody chose: one rule for the Train wizard and `loci finetune`.

/**
 * How many times the commonest class of a split outnumbers the rarest (1 when even, Infinity when a
 * class has none). From 2 up the wizard and the CLI pick balanced class weights unless the user chose: a
 * default dataset on E. coli genes is about 8 to 1, and an unweighted run predicts the commonest class.
 */
export function classSkew(counts: Readonly<Record<string, number>>): number {
  const n = Object.values(counts);
  if (n.length < 2) return 1;
  const low = Math.min(...n);
  return low > 0 ? Math.max(...n) / low : Infinity;
}

export const SKEW_FOR_BALANCED = 2;

/** 'balanced' when the training split is skewed (SKEW_FOR_BALANCED or more, every class present), else 'none'. */
export function defaultClassWeights(trainCounts: Readonly<Record<string, number>>): 'balanced' | 'none' {
  const skew = classSkew(trainCounts);
  return skew >= SKEW_FOR_BALANCED && Number.isFinite(skew) ? 'balanced' : 'none';
}
