// Class probabilities of many DNA sequences with a classifier model, batched for throughput:
// sequences are tokenised together, then sorted by token length ("bucketing") so each batch pads
// to nearly its own length, and each batch runs one forward pass without dropout. The result does
// not depend on the order the sequences come in: a given list always forms the same batches.
import { softmaxRows } from '../engine/finetune/loss';
import type { EncoderModel } from '../engine/model';
import { tf } from '../engine/train/tf';
import type { DnaTokenizer } from '../engine/tokenizers/types';

export interface ScorerStats {
  sequences: number;
  /** Real tokens (special ones included). */
  tokens: number;
  /** Padded tokens run through the model. */
  paddedTokens: number;
  /** Sequences longer than maxTokens, cut. */
  truncated: number;
  inferSeconds: number;
  tokenizeSeconds: number;
}

const ENCODE_GROUP = 1024;

export class Scorer {
  readonly stats: ScorerStats = { sequences: 0, tokens: 0, paddedTokens: 0, truncated: 0, inferSeconds: 0, tokenizeSeconds: 0 };

  constructor(
    private readonly model: EncoderModel,
    private readonly tokenizer: DnaTokenizer,
    readonly numLabels: number,
    private readonly batchSize: number,
    /** The most tokens the model reads ([CLS] and [SEP] included). */
    private readonly maxTokens: number,
  ) {
    if (!model.heads.classifier) throw new Error('Scorer: the model has no classifier head');
  }

  /** Row-major [sequences.length, numLabels] probabilities (float64). */
  async score(sequences: readonly string[], signal?: AbortSignal): Promise<Float64Array> {
    const n = sequences.length;
    const out = new Float64Array(n * this.numLabels);
    if (n === 0) return out;
    const t0 = performance.now();
    // Tokenise once, keeping each sequence's ids (unpadded).
    const ids: Int32Array[] = new Array(n);
    for (let g = 0; g < n; g += ENCODE_GROUP) {
      signal?.throwIfAborted();
      const part = sequences.slice(g, g + ENCODE_GROUP);
      const enc = await this.tokenizer.encodeBatch(part, { padding: 'longest', maxLength: this.maxTokens, truncation: true });
      for (let i = 0; i < enc.batch; i++) {
        let len = 0;
        for (let j = 0; j < enc.length; j++) len += enc.attentionMask[i * enc.length + j]!;
        ids[g + i] = enc.ids.slice(i * enc.length, i * enc.length + len);
        if (len === this.maxTokens && part[i]!.length > this.maxTokens) this.stats.truncated++;
      }
    }
    const t1 = performance.now();
    this.stats.tokenizeSeconds += (t1 - t0) / 1000;
    // Bucket: by length, ties by position, so the batches are a function of the list alone.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ids[a]!.length - ids[b]!.length || a - b);
    const pad = this.tokenizer.specialIds.pad;
    for (let b = 0; b < n; b += this.batchSize) {
      // Let a stop (an IPC message) and timers run between batches: the wasm forward pass never yields.
      if (b > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      const members = order.slice(b, b + this.batchSize);
      const length = Math.max(...members.map((i) => ids[i]!.length));
      const batchIds = new Int32Array(members.length * length).fill(pad);
      const mask = new Int32Array(members.length * length);
      members.forEach((i, r) => {
        batchIds.set(ids[i]!, r * length);
        mask.fill(1, r * length, r * length + ids[i]!.length);
        this.stats.tokens += ids[i]!.length;
      });
      this.stats.paddedTokens += members.length * length;
      const logits = tf.tidy(() => {
        const o = this.model.forward(
          { inputIds: tf.tensor2d(batchIds, [members.length, length], 'int32'), attentionMask: tf.tensor2d(mask, [members.length, length], 'int32') },
          { training: false, mlm: false, classifier: true },
        );
        return o.logits!;
      });
      const flat = await logits.data();
      logits.dispose();
      const rows: number[][] = members.map((_, r) => Array.from(flat.subarray(r * this.numLabels, (r + 1) * this.numLabels)));
      const probs = softmaxRows(rows);
      members.forEach((i, r) => out.set(probs.subarray(r * this.numLabels, (r + 1) * this.numLabels), i * this.numLabels));
    }
    this.stats.inferSeconds += (performance.now() - t1) / 1000;
    this.stats.sequences += n;
    return out;
  }
}
