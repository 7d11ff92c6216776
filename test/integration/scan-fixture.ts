// Shared by the scan tests: a project with a generated two-sequence genome (a planted motif at known
// places) and a tiny classifier (classic BERT, overlapping 3-mers, 1 layer, 16 wide, random weights:
// the tests check the scan's mechanics, not the model's skill).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Prng } from '../../main/engine/train/prng';
import { saveModelFolder } from '../../main/engine/checkpoint/folder';
import { createModel, makeConfig } from '../../main/engine/model';
import { KmerTokenizer } from '../../main/engine/tokenizers/index';
import { jobsHarness, type JobsHarness } from '../unit/jobs/fixtures/harness';
import { useCpu } from '../unit/api/models-helpers';

export const MOTIF = 'TATAAAAGGC';

/** Random ACGT with MOTIF every `every` bp; lowercase (soft-masked) stretches and an N run too. */
export function genomeFasta(sizes: Record<string, number>, seed = 3, every = 5000): string {
  const rng = new Prng(seed);
  let out = '';
  for (const [name, length] of Object.entries(sizes)) {
    const bases: string[] = [];
    for (let i = 0; i < length; i++) bases.push('ACGT'[rng.int(4)]!);
    for (let at = every / 2; at + MOTIF.length < length; at += every) bases.splice(at, MOTIF.length, ...MOTIF);
    for (let i = 1000; i < Math.min(length, 1100); i++) bases[i] = bases[i]!.toLowerCase();
    for (let i = 2000; i < Math.min(length, 2030); i++) bases[i] = 'N';
    const seq = bases.join('');
    out += `>${name}\n`;
    for (let i = 0; i < seq.length; i += 60) out += seq.slice(i, i + 60) + '\n';
  }
  return out;
}

/** A classifier folder (BertForSequenceClassification, 3-mers, 64 positions). */
export async function writeKmerClassifier(dir: string, opts: { numLabels?: number; seed?: number } = {}): Promise<string> {
  await useCpu();
  const tok = new KmerTokenizer({ k: 3, overlapping: true });
  mkdirSync(dir, { recursive: true });
  await tok.save(dir); // loci-tokenizer.json and DNABERT's vocab.txt
  const config = makeConfig('bert', {
    vocab_size: tok.vocabSize,
    hidden_size: 16,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 24,
    max_position_embeddings: 64,
    num_labels: opts.numLabels ?? 2,
    architectures: ['BertForSequenceClassification'],
  });
  const model = createModel(config, { heads: { classifier: true, pooler: true, mlm: false }, seed: opts.seed ?? 5 });
  try {
    await saveModelFolder(model, dir);
  } finally {
    model.dispose();
  }
  return dir;
}

export interface ScanHarness extends JobsHarness {
  genomeId: number;
  modelId: number;
  fasta: string;
}

export async function scanHarness(t: { after(fn: () => void | Promise<void>): void }, sizes: Record<string, number> = { chr1: 130_000, chr2: 25_000 }): Promise<ScanHarness> {
  const h = await jobsHarness(t);
  const fasta = join(h.dir, 'genome.fa');
  writeFileSync(fasta, genomeFasta(sizes));
  const genome = await h.call('genomes.import', { project: h.project, path: fasta, name: 'toy' });
  const model = await h.call('models.importFolder', { project: h.project, path: await writeKmerClassifier(join(h.dir, 'clf')), name: 'clf' });
  return { ...h, genomeId: genome.id, modelId: model.id, fasta };
}
