// The "Done when": a motif planted in a generated genome, a small model trained to detect it
// (40 bp windows, as test/unit/engine/finetune-fixture.ts), then ISM over the motif and its
// surroundings must put the largest importance on the motif's bases, and a variant destroying the
// motif must get a large negative effect while one far from it moves the score much less. The
// model is trained on both strands (each example and its reverse complement), as windows are scored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { reverseComplement } from '../../../main/datasets/sequence';
import { initBackend } from '../../../main/engine/backend';
import { loadModelFolder } from '../../../main/engine/checkpoint';
import { finetune } from '../../../main/engine/finetune';
import { ensureGradients } from '../../../main/engine/train/tf';
import { Prng } from '../../../main/engine/train/prng';
import { ismImportance, runIsm } from '../../../main/interpret/ism';
import { scoreVariants } from '../../../main/interpret/variants';
import type { VcfVariant } from '../../../main/interpret/vcf';
import { Scorer } from '../../../main/scan/infer';
import { motifTask, tinyModelFolder, tmp, tokenizer } from '../engine/finetune-fixture';

const MOTIF = 'TATAAAAGGC';
const MOTIF_AT = 150;
const dirs: string[] = [];
let modelDir = '';

before(async () => {
  await initBackend('wasm');
  await ensureGradients();
  const base = await tinyModelFolder();
  const ck = tmp('loci-ism-motif-');
  dirs.push(base, ck);
  // Both strands, as the windows are scored: each example also as its reverse complement.
  const bothStrands = (xs: ReturnType<typeof motifTask>) => xs.flatMap((e) => [e, { ...e, sequence: reverseComplement(e.sequence) }]);
  const data = { train: bothStrands(motifTask(256, 1)), dev: bothStrands(motifTask(48, 2)), test: bothStrands(motifTask(48, 3)), classNames: ['background', 'motif'] };
  const r = await finetune({ modelDir: base, data, options: { lr: 3e-3, epochs: 6, seed: 5 }, checkpointDir: ck });
  assert.ok(r.testMetrics!.mcc > 0.6, `the model did not learn the motif (test MCC ${r.testMetrics!.mcc})`);
  modelDir = r.modelOut!;
});
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function genome(): string {
  const rng = new Prng(77);
  let s = '';
  for (let i = 0; i < 300; i++) s += 'ACGT'[rng.int(4)];
  return s.slice(0, MOTIF_AT) + MOTIF + s.slice(MOTIF_AT + MOTIF.length);
}

const variant = (pos: number, ref: string, alt: string): VcfVariant => ({ line: 1, chrom: 'chr1', pos, id: '.', ref, alt, altIndex: 1, altCount: 1, qual: '.', filter: '.', info: '.' });

test('ISM puts the largest importance on the planted motif, and destroying it has a large negative effect', { timeout: 240_000 }, async () => {
  const seq = genome();
  const get = async (_c: string, s: number, e: number) => seq.slice(s, e);
  const { model, config } = await loadModelFolder(modelDir);
  const scorer = new Scorer(model, tokenizer, config.numLabels, 64, 512);
  try {
    const start = MOTIF_AT - 25;
    const end = MOTIF_AT + MOTIF.length + 25;
    const r = await runIsm(scorer, get, { chrom: 'chr1', chromLength: seq.length, start, end, window: 40, classIndex: 1 });
    assert.equal(r.sequences, 2 * 4 * (end - start));
    const { signed, maxAbs } = ismImportance(r);
    const top = [...signed.keys()].sort((a, b) => signed[b]! - signed[a]!)[0]!;
    assert.ok(top + start >= MOTIF_AT && top + start < MOTIF_AT + MOTIF.length, `most important base at ${top + start}, motif at ${MOTIF_AT}-${MOTIF_AT + MOTIF.length}`);
    const inMotif = (i: number) => i + start >= MOTIF_AT && i + start < MOTIF_AT + MOTIF.length;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const motifMean = mean([...maxAbs].filter((_, i) => inMotif(i)));
    const flankMean = mean([...maxAbs].filter((_, i) => !inMotif(i)));
    assert.ok(motifMean > 3 * flankMean, `mean max |change| in the motif ${motifMean} vs flanks ${flankMean}`);

    const [destroy, deletion, far] = await scoreVariants(scorer, get, () => seq.length, [
      variant(MOTIF_AT + 1, MOTIF, 'GCGCGCGCGC'),
      variant(MOTIF_AT + 1, MOTIF, 'T'),
      variant(20, seq[19]!, seq[19] === 'A' ? 'C' : 'A'),
    ], { window: 40, classIndex: 1 });
    assert.ok(destroy!.refProb > 0.5, `the motif scores ${destroy!.refProb}`);
    for (const v of [destroy!, deletion!]) {
      assert.ok(v.diff < -0.3, `${v.variant.ref}>${v.variant.alt}: diff ${v.diff}`);
      assert.ok(v.log2fc < -1, `${v.variant.ref}>${v.variant.alt}: log2FC ${v.log2fc}`);
    }
    assert.ok(Math.abs(far!.diff) < Math.abs(destroy!.diff) / 4, `a variant 130 bp away moves the score by ${far!.diff}, destroying the motif by ${destroy!.diff}`);
  } finally {
    model.dispose();
  }
});
