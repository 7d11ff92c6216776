// Issue 14 point 4: an exported DNABERT-2-architecture folder carries Loci's PyTorch module
// (resources/python/loci_dnabert2.py) and an auto_map, so `transformers` loads it offline with
// AutoModelForMaskedLM / AutoModelForSequenceClassification(trust_remote_code=True), every weight
// used, with the engine's outputs to 1e-4; an imported folder's own *.py and auto_map are kept.
// The transformers part needs a python3 with torch >= 2 and transformers (LOCI_PYTHON, e.g. a
// venv: python3 -m venv --system-site-packages V && V/bin/pip install torch transformers); it
// skips with that message where there is none. The folder checks run everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { loadModelFolder, saveModelFolder } from '../../main/engine/checkpoint/folder';
import { createModel, makeConfig } from '../../main/engine/model/index';
import { DNABERT2_AUTO_MAP } from '../../main/api/model-folders';
import { harness } from '../unit/api/helpers';
import { tinyBpeJson, useCpu } from '../unit/api/models-helpers';

const TOLERANCE = 1e-4;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOADER = join(ROOT, 'test', 'reference', 'hf_load.py');

function findTransformersPython(): string | null {
  for (const py of [process.env.LOCI_PYTHON, 'python3', '/usr/bin/python3']) {
    if (!py) continue;
    const r = spawnSync(py, ['-c', 'import torch, transformers; from transformers.utils import is_torch_available; assert is_torch_available()'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}
const PYTHON = findTransformersPython();
const NO_TRANSFORMERS = 'no python3 with torch >= 2 and transformers: set LOCI_PYTHON to one (a venv with pip install torch transformers) to load the exported folders in PyTorch';

/** A DNABERT-2 folder with random weights: an MLM (the pre-trained kind) or a 2-class classifier (the fine-tuned kind). */
async function writeDnabert2(dir: string, kind: 'mlm' | 'classifier'): Promise<string> {
  await useCpu();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tinyBpeJson()));
  // Three heads: ALiBi slopes of a head count that is not a power of two.
  const config = makeConfig('dnabert2', { vocab_size: 20, hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 40, pad_token_id: 3, num_labels: 2, architectures: [kind === 'mlm' ? 'BertForMaskedLM' : 'BertForSequenceClassification'] });
  const model = createModel(config, { heads: kind === 'mlm' ? { mlm: true } : { classifier: true, pooler: true, mlm: false }, seed: kind === 'mlm' ? 11 : 12 });
  try {
    await saveModelFolder(model, dir);
  } finally {
    model.dispose();
  }
  return dir;
}

// Two sequences, the second padded: padded keys must not change the first positions' outputs.
const BATCH = {
  ids: [
    [1, 7, 12, 5, 9, 14, 6, 19, 8, 2],
    [1, 10, 6, 17, 2, 3, 3, 3, 3, 3],
  ],
  mask: [
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
  ],
};

async function engineLogits(dir: string, kind: 'mlm' | 'classifier'): Promise<number[]> {
  const loaded = await loadModelFolder(dir, { heads: kind === 'mlm' ? { mlm: true } : { classifier: true, pooler: true } });
  try {
    const shape: [number, number] = [BATCH.ids.length, BATCH.ids[0]!.length];
    const batch = { inputIds: tf.tensor2d(BATCH.ids.flat(), shape, 'int32'), attentionMask: tf.tensor2d(BATCH.mask.flat(), shape, 'int32'), tokenTypeIds: tf.zeros(shape, 'int32') as tf.Tensor2D };
    const out = loaded.model.forward(batch);
    const logits = kind === 'mlm' ? out.mlmLogits! : out.logits!;
    const values = Array.from(logits.dataSync());
    tf.dispose([batch.inputIds, batch.attentionMask, batch.tokenTypeIds, out as unknown as tf.TensorContainer]);
    return values;
  } finally {
    loaded.model.dispose();
  }
}

function torchLoad(dir: string, kind: 'mlm' | 'classifier', home: string) {
  const r = spawnSync(PYTHON!, ['-B', LOADER, kind, dir], { input: JSON.stringify(BATCH), encoding: 'utf8', env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', HF_HOME: home, PYTHONDONTWRITEBYTECODE: '1' } });
  assert.equal(r.status, 0, `hf_load.py ${kind} ${dir} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { class: string; missing: string[]; unexpected: string[]; mismatched: string[]; logits: unknown[] };
}

test('an exported DNABERT-2 folder ships its PyTorch module and auto_map, and loads in transformers with every weight used, outputs to 1e-4', { timeout: 180_000 }, async (t) => {
  const h = harness(t);
  const project = join(h.dir, 'p.loci');
  await h.call('projects.create', { path: project, name: 'export' });
  const home = mkdtempSync(join(tmpdir(), 'loci-hf-home-'));
  const worst: string[] = [];
  for (const kind of ['mlm', 'classifier'] as const) {
    const model = await h.call('models.importFolder', { project, path: await writeDnabert2(join(h.dir, `src-${kind}`), kind), name: `tiny ${kind}` });
    const out = join(h.dir, `exported-${kind}`);
    const { files } = await h.call('models.export', { project, modelId: model.id, dir: out });
    assert.ok(files.includes(join(out, 'loci_dnabert2.py')), files.join(', '));
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(config.auto_map, DNABERT2_AUTO_MAP);
    assert.equal(config.alibi_starting_size !== undefined, true, 'still recognised as DNABERT-2 by Loci');
    // The exported folder goes into another Loci project as it is.
    const other = join(h.dir, `other-${kind}.loci`);
    await h.call('projects.create', { path: other, name: `other ${kind}` });
    assert.equal((await h.call('models.importFolder', { project: other, path: out, name: `re-imported ${kind}` })).shape.architecture, 'dnabert2');

    if (!PYTHON) continue;
    const torch = torchLoad(out, kind, home);
    assert.equal(torch.class, kind === 'mlm' ? 'LociDnabert2ForMaskedLM' : 'LociDnabert2ForSequenceClassification');
    assert.deepEqual([torch.missing, torch.unexpected, torch.mismatched], [[], [], []], `${kind}: every weight used`);
    const ours = await engineLogits(out, kind);
    const theirs = (torch.logits as number[][][] | number[][]).flat(2) as number[];
    assert.equal(theirs.length, ours.length);
    let max = 0;
    const V = 20;
    ours.forEach((v, i) => {
      // MLM logits at padded positions are not compared (both zero the hidden state there, but only the real positions matter).
      if (kind === 'mlm' && BATCH.mask[Math.floor(i / (V * BATCH.ids[0]!.length))]![Math.floor(i / V) % BATCH.ids[0]!.length] === 0) return;
      const d = Math.abs(v - theirs[i]!);
      if (!(d <= max)) max = d;
    });
    assert.ok(max <= TOLERANCE, `${kind}: max abs diff ${max} > ${TOLERANCE}`);
    worst.push(`${kind} ${max.toExponential(2)}`);
  }
  if (!PYTHON) return t.diagnostic(`transformers checks skipped: ${NO_TRANSFORMERS}`);
  t.diagnostic(`engine vs transformers, max abs diff of the logits: ${worst.join(', ')}`);
});

test("an imported folder keeps its own model code and auto_map on export", async (t) => {
  const h = harness(t);
  const project = join(h.dir, 'p.loci');
  await h.call('projects.create', { path: project, name: 'export' });
  const src = await writeDnabert2(join(h.dir, 'hub-like'), 'mlm');
  // As zhihan1996/DNABERT-2-117M ships: its own bert_layers.py named by auto_map.
  const config = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8')) as Record<string, unknown>;
  const hubMap = { AutoConfig: 'configuration_bert.BertConfig', AutoModelForMaskedLM: 'bert_layers.BertForMaskedLM' };
  writeFileSync(join(src, 'config.json'), JSON.stringify({ ...config, auto_map: hubMap }));
  writeFileSync(join(src, 'bert_layers.py'), '# the model code of the original repository\n');
  writeFileSync(join(src, 'configuration_bert.py'), '# its config class\n');
  const model = await h.call('models.importFolder', { project, path: src, name: 'hub-like' });
  const out = join(h.dir, 'out');
  const { files } = await h.call('models.export', { project, modelId: model.id, dir: out });
  assert.ok(files.includes(join(out, 'bert_layers.py')) && files.includes(join(out, 'configuration_bert.py')), files.join(', '));
  assert.ok(!existsSync(join(out, 'loci_dnabert2.py')), 'its own code is what it loads with');
  assert.deepEqual((JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { auto_map: unknown }).auto_map, hubMap);
});
