// k-mer tokenizers, written by hand: no installed library does DNA k-mers (DNABERT builds its
// k-mer strings in Python and feeds them to a WordPiece vocabulary; that is slow and needs the
// space-joined text). Here a 2-bit rolling code gives each token id directly.
//
// Vocabulary (both kinds): [PAD] [UNK] [CLS] [SEP] [MASK] = 0..4, then the 4^k k-mers in DNABERT's
// vocab.txt order, which is itertools.product('ATCG') order (A, T, C, G: AAA, AAT, AAC, AAG, ATA,
// ...), not alphabetical: ids are identical to DNABERT's published vocab.txt (4101 tokens for k=6).
//
// kmer-overlap (DNABERT): stride 1, a sequence of L bases gives L-k+1 tokens (none when L < k);
//   a k-mer containing any letter other than A/C/G/T (N, IUPAC codes) is [UNK].
// kmer-nonoverlap (Nucleotide Transformer): the vocabulary also has the single bases
//   A T C G N after the k-mers. Runs of A/C/G/T are cut into k-mers from their left end, and the
//   leftover (< k bases) becomes single-base tokens, as NT does; each N is its own N token and
//   splits runs; any other IUPAC letter is one [UNK] and splits runs the same way. (NT would put
//   such a letter inside a k-mer and make that whole k-mer unknown; ours keeps the rest.)
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finishEncoding, padBatch, prepareSequence } from './sequence';
import type { BatchEncodeOptions, BatchEncoding, DnaTokenizer, EncodeOptions, Encoding, SavedTokenizer, SpecialIds } from './types';

export const KMER_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
export const KMER_SPECIAL_IDS: SpecialIds = { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 };
/** DNABERT's base order for its vocabulary. */
export const KMER_BASES = 'ATCG';
const FIRST_KMER_ID = KMER_SPECIAL_TOKENS.length;

/** Base -> 2-bit code in ATCG order, -1 for anything else. */
const CODE = new Int8Array(128).fill(-1);
for (let i = 0; i < KMER_BASES.length; i++) CODE[KMER_BASES.charCodeAt(i)] = i;

/** All k-mers in vocabulary order. */
export function allKmers(k: number): string[] {
  let out = [''];
  for (let i = 0; i < k; i++) out = out.flatMap((prefix) => [...KMER_BASES].map((b) => prefix + b));
  return out;
}

export interface KmerTokenizerOptions {
  k: number;
  overlapping: boolean;
  /** Keep lowercase as is (then it is [UNK]); default false: uppercase first. */
  caseSensitive?: boolean;
}

export class KmerTokenizer implements DnaTokenizer {
  readonly kind: 'kmer-overlap' | 'kmer-nonoverlap';
  readonly k: number;
  readonly vocabSize: number;
  readonly specialIds = KMER_SPECIAL_IDS;
  readonly implementation = 'loci k-mer (TypeScript)';
  readonly caseSensitive: boolean;
  private readonly vocab: string[];
  private readonly ids = new Map<string, number>();
  /** Id of single base A/T/C/G/N (non-overlapping only). */
  private readonly singleBase: Int32Array;
  private readonly nId: number;

  constructor(options: KmerTokenizerOptions) {
    const { k, overlapping } = options;
    if (!Number.isInteger(k) || k < 1 || k > 12) throw new Error(`k must be an integer from 1 to 12, got ${k}`);
    this.k = k;
    this.kind = overlapping ? 'kmer-overlap' : 'kmer-nonoverlap';
    this.caseSensitive = options.caseSensitive ?? false;
    this.vocab = [...KMER_SPECIAL_TOKENS, ...allKmers(k), ...(overlapping ? [] : [...KMER_BASES, 'N'])];
    this.vocab.forEach((t, i) => this.ids.set(t, i));
    this.vocabSize = this.vocab.length;
    const firstSingle = FIRST_KMER_ID + 4 ** k;
    this.singleBase = Int32Array.from([0, 1, 2, 3], (i) => firstSingle + i);
    this.nId = firstSingle + 4;
  }

  /**
   * The tokenizer of a DNABERT folder that has only vocab.txt: overlapping k-mers, k from the size
   * (4^k + 5). Every line must match this tokenizer's id order, or ids would silently differ.
   */
  static fromVocabTxt(text: string, source = 'vocab.txt'): KmerTokenizer {
    const lines = text.split(/\r?\n/);
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const n = lines.length;
    const k = Math.round(Math.log(Math.max(1, n - KMER_SPECIAL_TOKENS.length)) / Math.log(4));
    if (k < 1 || k > 12 || 4 ** k + KMER_SPECIAL_TOKENS.length !== n) {
      throw new Error(`${source}: ${n} tokens is not an overlapping k-mer vocabulary (4^k + ${KMER_SPECIAL_TOKENS.length} tokens, as DNABERT's)`);
    }
    const t = new KmerTokenizer({ k, overlapping: true });
    const bad = lines.findIndex((line, i) => line.trim() !== t.vocab[i]);
    if (bad >= 0) throw new Error(`${source}, line ${bad + 1}: expected "${t.vocab[bad]}", found "${lines[bad]!.trim()}" (not DNABERT's ${k}-mer order)`);
    return t;
  }

  /** DNABERT's vocab.txt: one token per line, in id order. */
  vocabTxt(): string {
    return this.vocab.join('\n') + '\n';
  }

  idToToken(id: number): string | undefined {
    return this.vocab[id];
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Content tokens of one prepared sequence (no special tokens). */
  private tokenize(seq: string): { ids: Int32Array; spans: Int32Array } {
    return this.kind === 'kmer-overlap' ? this.tokenizeOverlapping(seq) : this.tokenizeNonOverlapping(seq);
  }

  private tokenizeOverlapping(seq: string): { ids: Int32Array; spans: Int32Array } {
    const k = this.k;
    const n = Math.max(0, seq.length - k + 1);
    const ids = new Int32Array(n);
    const spans = new Int32Array(2 * n);
    const mask = 4 ** k - 1;
    let code = 0;
    let lastBad = -1; // position of the last non-ACGT base
    for (let i = 0; i < seq.length; i++) {
      const c = seq.charCodeAt(i);
      const v = c < 128 ? CODE[c]! : -1;
      if (v < 0) lastBad = i;
      // Multiplying instead of shifting keeps k up to 12 exact without 32-bit overflow worries.
      code = ((code * 4) & mask) + (v < 0 ? 0 : v);
      const start = i - k + 1;
      if (start < 0) continue;
      ids[start] = lastBad >= start ? KMER_SPECIAL_IDS.unk : FIRST_KMER_ID + code;
      spans[2 * start] = start;
      spans[2 * start + 1] = i + 1;
    }
    return { ids, spans };
  }

  private tokenizeNonOverlapping(seq: string): { ids: Int32Array; spans: Int32Array } {
    const k = this.k;
    // Upper bound: one token per base.
    const ids = new Int32Array(seq.length);
    const spans = new Int32Array(2 * seq.length);
    let t = 0;
    const push = (id: number, start: number, end: number) => {
      ids[t] = id;
      spans[2 * t] = start;
      spans[2 * t + 1] = end;
      t++;
    };
    let i = 0;
    while (i < seq.length) {
      const c = seq.charCodeAt(i);
      if (CODE[c] === undefined || CODE[c]! < 0) {
        push(c === 78 /* N */ ? this.nId : KMER_SPECIAL_IDS.unk, i, i + 1);
        i++;
        continue;
      }
      let j = i;
      while (j < seq.length && (CODE[seq.charCodeAt(j)] ?? -1) >= 0) j++;
      let p = i;
      for (; p + k <= j; p += k) {
        let code = 0;
        for (let q = p; q < p + k; q++) code = code * 4 + CODE[seq.charCodeAt(q)]!;
        push(FIRST_KMER_ID + code, p, p + k);
      }
      for (; p < j; p++) push(this.singleBase[CODE[seq.charCodeAt(p)]!]!, p, p + 1);
      i = j;
    }
    return { ids: ids.slice(0, t), spans: spans.slice(0, 2 * t) };
  }

  encodeSync(sequence: string, options: EncodeOptions = {}, index?: number): Encoding {
    const { ids, spans } = this.tokenize(prepareSequence(sequence, this.caseSensitive, index));
    return finishEncoding(ids, spans, this.specialIds, options, index);
  }

  async encode(sequence: string, options: EncodeOptions = {}): Promise<Encoding> {
    return this.encodeSync(sequence, options);
  }

  encodeBatchSync(sequences: readonly string[], options: BatchEncodeOptions = {}): BatchEncoding {
    return padBatch(sequences.map((s, i) => this.encodeSync(s, options, i)), this.specialIds.pad, options);
  }

  async encodeBatch(sequences: readonly string[], options: BatchEncodeOptions = {}): Promise<BatchEncoding> {
    return this.encodeBatchSync(sequences, options);
  }

  /**
   * Overlapping k-mers share k-1 bases with their neighbour, so only the first base of each token
   * is new (plus the whole last token); non-overlapping tokens are simply joined.
   */
  decode(ids: ArrayLike<number>): string {
    const specials = new Set([this.specialIds.pad, this.specialIds.cls, this.specialIds.sep, this.specialIds.mask]);
    const tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (specials.has(id)) continue;
      const tok = this.vocab[id];
      if (tok === undefined) throw new Error(`token id ${id} is outside the vocabulary (size ${this.vocabSize})`);
      tokens.push(id === this.specialIds.unk ? 'N'.repeat(this.kind === 'kmer-overlap' ? this.k : 1) : tok);
    }
    if (this.kind === 'kmer-nonoverlap' || tokens.length === 0) return tokens.join('');
    return tokens.map((t) => t[0]).join('') + tokens[tokens.length - 1]!.slice(1);
  }

  toJSON(): SavedTokenizer {
    return { format: 'loci-tokenizer/1', kind: this.kind, k: this.k, caseSensitive: this.caseSensitive };
  }

  /** Writes loci-tokenizer.json and DNABERT's vocab.txt. */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'loci-tokenizer.json'), JSON.stringify(this.toJSON(), null, 2) + '\n');
    await writeFile(join(dir, 'vocab.txt'), this.vocabTxt());
  }
}
