// DNA tokenizers: DNABERT-2 BPE (tokenizer.json), DNABERT overlapping k-mers, Nucleotide
// Transformer style non-overlapping k-mers, and BPE vocabulary training. See types.ts for the
// conventions they share.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BpeTokenizer } from './bpe';
import type { HfTokenizerJson } from './bpe';
import { KmerTokenizer } from './kmer';
import type { DnaTokenizer, SavedTokenizer } from './types';

export * from './types';
export { BpeTokenizer, loadNativeTokenizers } from './bpe';
export type { BpeImplementation, BpeTokenizerOptions, HfTokenizerJson } from './bpe';
export { KmerTokenizer, allKmers, KMER_BASES, KMER_SPECIAL_IDS, KMER_SPECIAL_TOKENS } from './kmer';
export { trainBpeTokenizer, dnabert2TokenizerJson, truncateTrainedVocab, MAX_TRAINED_VOCAB } from './trainBpe';
export type { TrainBpeOptions } from './trainBpe';

/** Rebuilds a tokenizer from toJSON() output. */
export function tokenizerFromJSON(saved: SavedTokenizer): DnaTokenizer {
  if (saved?.format !== 'loci-tokenizer/1') throw new Error(`unknown tokenizer format ${JSON.stringify((saved as { format?: unknown })?.format)}`);
  if (saved.kind === 'bpe') return BpeTokenizer.fromJSON(saved.tokenizerJson as HfTokenizerJson, { caseSensitive: saved.caseSensitive });
  if (saved.kind === 'kmer-overlap' || saved.kind === 'kmer-nonoverlap') return new KmerTokenizer({ k: saved.k, overlapping: saved.kind === 'kmer-overlap', caseSensitive: saved.caseSensitive });
  throw new Error(`unknown tokenizer kind ${JSON.stringify((saved as { kind?: unknown }).kind)}`);
}

/**
 * The one tokenizer loader of every path (pre-training, fine-tuning, estimates, import): a
 * directory with loci-tokenizer.json (k-mers, what save() wrote), tokenizer.json (BPE, Hugging
 * Face format, e.g. DNABERT-2's) or only vocab.txt (DNABERT's overlapping k-mers), or a
 * tokenizer.json file itself.
 */
export async function loadTokenizer(path: string): Promise<DnaTokenizer> {
  if (!(await stat(path)).isDirectory()) return BpeTokenizer.load(path);
  const loci = join(path, 'loci-tokenizer.json');
  const exists = async (p: string) => stat(p).then(() => true, () => false);
  if (await exists(loci)) {
    let saved: SavedTokenizer;
    try {
      saved = JSON.parse(await readFile(loci, 'utf8')) as SavedTokenizer;
    } catch (err) {
      throw new Error(`${loci}: not valid JSON (${(err as Error).message})`);
    }
    return tokenizerFromJSON(saved);
  }
  if (await exists(join(path, 'tokenizer.json'))) return BpeTokenizer.load(path);
  // DNABERT's published checkpoints carry only vocab.txt: overlapping k-mers, k from the size (4^k + 5).
  const vocabPath = join(path, 'vocab.txt');
  if (await exists(vocabPath)) return KmerTokenizer.fromVocabTxt(await readFile(vocabPath, 'utf8'), vocabPath);
  throw new Error(`${path}: no tokenizer here (expected loci-tokenizer.json, tokenizer.json or DNABERT's vocab.txt)`);
}
