// Every Hugging Face folder layout Loci imports also fine-tunes and exports, through the one
// tokenizer loader: DNABERT-2 (tokenizer.json), DNABERT's published 6-mer checkpoints (vocab.txt
// only; this used to import and then fail to fine-tune with "no tokenizer here"), and Loci's own
// k-mer folders (loci-tokenizer.json + vocab.txt). Scanning with each layout is not covered here
// yet (the scan service comes from another change).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finetune } from '../../../main/engine/finetune/finetune';
import { loadModelFolder } from '../../../main/engine/checkpoint/folder';
import { KmerTokenizer, loadTokenizer } from '../../../main/engine/tokenizers';
import { CLASSES, motifItems } from '../../integration/finetune-job-fixture';
import { harness } from './helpers';
import { rejection } from './data-helpers';
import { writeBpeModel, writeKmerModel } from './models-helpers';

function data() {
  const items = motifItems(80, 11);
  const split = (s: string) => items.filter((i) => i.split === s).map((i) => ({ sequence: i.sequence!, label: i.labelIndex! }));
  return { train: split('train'), dev: split('dev'), test: split('test'), classNames: CLASSES };
}

const LAYOUTS: { name: string; write: (dir: string) => Promise<string>; tokenizerFiles: string[] }[] = [
  { name: 'DNABERT-2 (tokenizer.json)', write: (d) => writeBpeModel(d, { card: false }), tokenizerFiles: ['tokenizer.json'] },
  { name: "DNABERT's published k-mer layout (vocab.txt only)", write: (d) => writeKmerModel(d), tokenizerFiles: ['vocab.txt'] },
  {
    name: "Loci's k-mer layout (loci-tokenizer.json + vocab.txt)",
    write: async (d) => {
      await writeKmerModel(d);
      await new KmerTokenizer({ k: 3, overlapping: true }).save(d);
      return d;
    },
    tokenizerFiles: ['vocab.txt'],
  },
];

for (const layout of LAYOUTS) {
  test(`${layout.name}: imports, fine-tunes, exports, and the export loads back`, async (t) => {
    const h = harness(t);
    const project = (await h.call('projects.create', { name: 'Layouts', path: join(h.dir, 'l.loci') })).path;
    const src = await layout.write(join(h.dir, 'src'));
    const imported = await h.call('models.importFolder', { project, path: src, name: 'm' });
    assert.equal(imported.status, 'ok');
    const result = await finetune({
      modelDir: imported.path!,
      data: data(),
      options: { maxSteps: 4, batchSize: 8, evalEvery: 2, lr: 1e-3, warmupSteps: 0 },
      checkpointDir: join(h.dir, 'ft'),
    });
    assert.equal(result.cancelled, false);
    assert.ok(result.testMetrics, 'test metrics');
    assert.ok(result.modelOut);
    for (const f of layout.tokenizerFiles) assert.ok(readdirSync(result.modelOut).includes(f), `fine-tuned folder has ${f}`);
    // The fine-tuned folder imports as a model of its own and exports as a plain HF folder.
    const tuned = await h.call('models.importFolder', { project, path: result.modelOut, name: 'tuned' });
    assert.equal(tuned.shape.hasClassifier, true);
    const out = join(h.dir, 'exported');
    await h.call('models.export', { project, modelId: tuned.id, dir: out });
    const back = await loadModelFolder(out, { heads: { classifier: true, pooler: true, mlm: false } });
    try {
      assert.equal(back.config.numLabels, 2);
    } finally {
      back.model.dispose();
    }
    const [a, b] = [await loadTokenizer(src), await loadTokenizer(out)];
    assert.deepEqual(Array.from((await b.encode('ACGTTATAAAAGGCAC')).ids), Array.from((await a.encode('ACGTTATAAAAGGCAC')).ids));
  });
}

test('a vocab.txt that is not a DNABERT k-mer vocabulary is refused at import, naming the file and line', async (t) => {
  const h = harness(t);
  const project = (await h.call('projects.create', { name: 'Bad', path: join(h.dir, 'b.loci') })).path;
  const src = await writeKmerModel(join(h.dir, 'src'));
  const lines = new KmerTokenizer({ k: 3, overlapping: true }).vocabTxt().split('\n');
  [lines[7], lines[8]] = [lines[8]!, lines[7]!];
  writeFileSync(join(src, 'vocab.txt'), lines.join('\n'));
  const e = await rejection(h.call('models.importFolder', { project, path: src }));
  assert.equal(e.code, 'bad_file');
  assert.match(e.message, /vocab\.txt, line 8: expected "AAC", found "AAG"/);
});
