// Both-strand class probabilities of a list of window sequences, through the scan's batched scorer
// (main/scan/infer.ts), so ISM and variant effects share its bucketing and batching.
import { reverseComplement } from '../datasets/sequence';

/** What ISM and variant effects need of a scorer: row-major [n, numLabels] probabilities. */
export interface ProbabilityScorer {
  readonly numLabels: number;
  score(sequences: readonly string[], signal?: AbortSignal): Promise<Float64Array>;
}

export interface StrandScores {
  /** Probability of the class on the forward strand, per sequence. */
  forward: Float64Array;
  /** ... on the reverse complement. */
  reverse: Float64Array;
}

/** Scores every sequence and its reverse complement in one call (one set of batches). */
export async function scoreStrands(scorer: ProbabilityScorer, sequences: readonly string[], classIndex: number, signal?: AbortSignal): Promise<StrandScores> {
  const n = sequences.length;
  const probs = await scorer.score([...sequences, ...sequences.map(reverseComplement)], signal);
  const c = scorer.numLabels;
  const forward = new Float64Array(n);
  const reverse = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    forward[i] = probs[i * c + classIndex]!;
    reverse[i] = probs[(n + i) * c + classIndex]!;
  }
  return { forward, reverse };
}

/** How the two strands become one figure: the mean of their probabilities (as a scan's default). */
export const STRAND_COMBINE = 'mean of the forward and reverse-complement probabilities';
export const combineStrands = (forward: number, reverse: number): number => (forward + reverse) / 2;

/**
 * Added to both probabilities before the log2 fold change so that a probability of 0 (float32
 * softmax underflow) neither divides by zero nor gives an infinite log; changes smaller than this
 * are below what float32 probabilities resolve anyway.
 */
export const LOG2FC_EPSILON = 1e-6;
export const log2FoldChange = (alt: number, ref: number): number => Math.log2((alt + LOG2FC_EPSILON) / (ref + LOG2FC_EPSILON));
