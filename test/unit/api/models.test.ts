// models.* through dispatch, on small model folders written by the engine: the bundled catalog
// (LOCI_MODELS_DIR), imports checked by loading (corrupt, truncated, mismatched, pickle-only folders
// refused with the engine's message and the project unchanged), seeded baselines, relocation,
// removal, and exports that load back (models-pytorch.test.ts runs an export in PyTorch).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadModelFolder } from '../../../main/engine/checkpoint/folder';
import { countParameters, makeConfig } from '../../../main/engine/model/index';
import { recordModelFolder } from '../../../main/api/models';
import { DNABERT2_AUTO_MAP, DNABERT2_MODULE, plainInline, pythonResourcesDir } from '../../../main/api/model-folders';
import { demoResourcesDir } from '../../../main/api/demo';
import { harness } from './helpers';
import { rejection } from './data-helpers';
import { SVG, writeBpeModel, writeBundled, writeKmerModel } from './models-helpers';

let bundledRoot = '';
let scratch = '';
before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'loci-models-'));
  bundledRoot = await writeBundled(join(scratch, 'bundled'));
  process.env.LOCI_MODELS_DIR = bundledRoot;
});
after(() => {
  delete process.env.LOCI_MODELS_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

async function setup(t: { after(fn: () => void): void }) {
  const h = harness(t);
  const project = (await h.call('projects.create', { name: 'Models', path: join(h.dir, 'models.loci') })).path;
  return { h, project };
}

function modelCount(project: string): number {
  const db = new Database(project, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM models').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

test('models.catalog lists the bundled folders with shape, tokenizer, card summary and intended use', async (t) => {
  const { h } = await setup(t);
  const catalog = await h.call('models.catalog', {});
  assert.deepEqual(catalog.map((m) => m.name), ['test-3mer', 'test-bpe'], 'folders without config.json are not models');
  const bpe = catalog.find((m) => m.name === 'test-bpe')!;
  assert.equal(bpe.architecture, 'dnabert2');
  assert.equal(bpe.architectureLabel, 'DNABERT-2');
  assert.deepEqual([bpe.layers, bpe.hidden, bpe.heads, bpe.intermediate, bpe.vocabSize], [2, 16, 2, 32, 20]);
  assert.equal(bpe.tokenizer.kind, 'bpe');
  assert.equal(bpe.tokenizer.vocabSize, 20);
  const config = makeConfig('dnabert2', { vocab_size: 20, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 32 });
  assert.equal(bpe.parameters, countParameters(config, { mlm: true, classifier: false, pooler: false }));
  assert.equal(bpe.summary, 'A tiny DNABERT-2 model for the tests: two layers, sixteen wide. It is not useful for anything else.');
  assert.equal(bpe.intendedUse, 'Checking that the Models page and service work.');
  assert.equal(bpe.hasCard, true);
  assert.ok(bpe.sizeBytes > bpe.parameters * 4, 'float32 weights plus config');

  const kmer = catalog.find((m) => m.name === 'test-3mer')!;
  assert.equal(kmer.architectureLabel, 'BERT 3-mer');
  assert.deepEqual([kmer.tokenizer.kind, kmer.tokenizer.k, kmer.tokenizer.vocabSize], ['kmer', 3, 69]);
  assert.equal(kmer.maxLength, 64);
  assert.equal(kmer.hasCard, false);

  const card = await h.call('models.card', { bundled: 'test-bpe' });
  assert.equal(card.generated, false);
  assert.ok(card.markdown.startsWith('# test-bpe'), 'front matter removed');
  assert.equal(card.images['loss_curve.svg'], `data:image/svg+xml;base64,${Buffer.from(SVG).toString('base64')}`);
  const generated = await h.call('models.card', { bundled: 'test-3mer' });
  assert.equal(generated.generated, true);
  assert.match(generated.markdown, /\| Tokenizer \| overlapping 3-mers \(69 tokens\) \|/);

  assert.equal((await rejection(h.call('models.card', { bundled: 'nope' }))).code, 'not_found');
  assert.equal((await rejection(h.call('models.card', {} as never))).code, 'invalid_input');
});

test('card summaries as plain text: emphasis, links and code spans go, names with underscores stay whole', () => {
  assert.equal(plainInline('A **demonstration**, not a replacement for `DNA_bert_6` or DNA_bert_6.'), 'A demonstration, not a replacement for DNA_bert_6 or DNA_bert_6.');
  assert.equal(plainInline('*small* and _fast_, __bold__; see [the card](README.md) ![curve](loss.svg)'), 'small and fast, bold; see the card curve');
  assert.equal(plainInline('`a*b*c` stays, snake_case_name stays'), 'a*b*c stays, snake_case_name stays');
});

test('models.addBundled adds by name; a second time is a conflict; list and card follow', async (t) => {
  const { h, project } = await setup(t);
  const m = await h.call('models.addBundled', { project, name: 'test-bpe' });
  assert.equal(m.kind, 'bundled');
  assert.equal(m.source, 'test-bpe');
  assert.equal(m.status, 'ok');
  assert.equal(m.path, join(bundledRoot, 'test-bpe'));
  assert.match(m.checksum, /^[0-9a-f]{64}$/);
  assert.equal((await rejection(h.call('models.addBundled', { project, name: 'test-bpe' }))).code, 'conflict');
  const missing = await rejection(h.call('models.addBundled', { project, name: 'loci-huge' }));
  assert.equal(missing.code, 'not_found');
  assert.match(missing.message, /ships: test-3mer, test-bpe/);
  assert.deepEqual((await h.call('models.list', { project })).map((x) => x.name), ['test-bpe']);
  assert.equal((await h.call('projects.info', { path: project })).counts.models, 1);
  assert.equal((await h.call('models.card', { project, id: m.id })).generated, false);
  // Export keeps the card and the picture it links to.
  const ex = await h.call('models.export', { project, modelId: m.id, dir: join(h.dir, 'bpe-out') });
  // A DNABERT-2 export carries the PyTorch module its config's auto_map names (issue 14).
  assert.deepEqual(readdirSync(ex.dir).sort(), ['README.md', 'config.json', 'loci_dnabert2.py', 'loss_curve.svg', 'model.safetensors', 'tokenizer.json']);

  // Another installation without that bundled model: the project says so instead of failing.
  process.env.LOCI_MODELS_DIR = join(scratch, 'empty');
  try {
    const gone = await h.call('models.get', { project, id: m.id });
    assert.equal(gone.status, 'missing');
    assert.equal(gone.path, null);
    assert.match(gone.statusDetail, /not part of this Loci installation/);
  } finally {
    process.env.LOCI_MODELS_DIR = bundledRoot;
  }
});

test('models.importFolder loads the folder, records it by reference with its checksum; duplicates refused', async (t) => {
  const { h, project } = await setup(t);
  const dir = await writeKmerModel(join(h.dir, 'DNA_bert_3'));
  const events: string[] = [];
  h.ctx.bus.on('job.progress', (e) => events.push(`${e.kind}:${e.state}`));
  const m = await h.call('models.importFolder', { project, path: dir });
  assert.equal(m.name, 'DNA_bert_3');
  assert.equal(m.kind, 'imported');
  assert.equal(m.path, dir);
  assert.equal(m.shape.architecture, 'bert');
  assert.equal(m.shape.tokenizer.k, 3);
  assert.equal(m.status, 'ok');
  assert.equal(events.at(-1), 'model.import:done');
  // A file inside the folder stands for the folder.
  const dup = await rejection(h.call('models.importFolder', { project, path: join(dir, 'config.json'), name: 'again' }));
  assert.equal(dup.code, 'conflict');
  assert.match(dup.message, /already in the project as "DNA_bert_3"/);
  assert.equal(modelCount(project), 1);
});

test('corrupt, truncated, mismatched and pickle-only folders are refused with the engine message; the project is unchanged', async (t) => {
  const { h, project } = await setup(t);
  const good = await writeBpeModel(join(h.dir, 'good'), { card: false });

  const truncated = join(h.dir, 'truncated');
  cpSync(good, truncated, { recursive: true });
  truncateSync(join(truncated, 'model.safetensors'), 2000);
  const e1 = await rejection(h.call('models.importFolder', { project, path: truncated }));
  assert.equal(e1.code, 'bad_file');
  assert.equal(e1.file, join(truncated, 'model.safetensors'));
  assert.match(e1.message, /^Not imported: .*model\.safetensors: .*(truncated|run past the end)/s);

  const garbage = join(h.dir, 'garbage');
  cpSync(good, garbage, { recursive: true });
  writeFileSync(join(garbage, 'model.safetensors'), Buffer.from('this is not a safetensors file at all'));
  const e2 = await rejection(h.call('models.importFolder', { project, path: garbage }));
  assert.equal(e2.code, 'bad_file');
  assert.equal(e2.file, join(garbage, 'model.safetensors'));

  // config.json says 32 wide, the weights are 16 wide: every mis-shaped tensor is listed.
  const mismatched = join(h.dir, 'mismatched');
  cpSync(good, mismatched, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(mismatched, 'config.json'), 'utf8'));
  writeFileSync(join(mismatched, 'config.json'), JSON.stringify({ ...cfg, hidden_size: 32 }));
  const e3 = await rejection(h.call('models.importFolder', { project, path: mismatched }));
  assert.equal(e3.code, 'bad_file');
  assert.equal(e3.file, join(mismatched, 'model.safetensors'));
  assert.match(e3.message, /checkpoint does not fit this dnabert2 model/);
  assert.match(e3.message, /bert\.embeddings\.word_embeddings\.weight: expected \[20, 32\], found \[20, 16\]/);

  const pickle = join(h.dir, 'pickle-only');
  mkdirSync(pickle);
  cpSync(join(good, 'config.json'), join(pickle, 'config.json'));
  cpSync(join(good, 'tokenizer.json'), join(pickle, 'tokenizer.json'));
  writeFileSync(join(pickle, 'pytorch_model.bin'), 'PK\x03\x04 pickled');
  const e4 = await rejection(h.call('models.importFolder', { project, path: pickle }));
  assert.equal(e4.code, 'bad_file');
  assert.equal(e4.file, join(pickle, 'pytorch_model.bin'));
  assert.match(e4.message, /found pytorch_model\.bin but no model\.safetensors/);
  assert.match(e4.message, /save_file/);

  const noTokenizer = join(h.dir, 'no-tokenizer');
  cpSync(good, noTokenizer, { recursive: true });
  rmSync(join(noTokenizer, 'tokenizer.json'));
  const e5 = await rejection(h.call('models.importFolder', { project, path: noTokenizer }));
  assert.equal(e5.code, 'bad_file');
  assert.match(e5.message, /no tokenizer/);

  const badJson = join(h.dir, 'bad-config');
  cpSync(good, badJson, { recursive: true });
  writeFileSync(join(badJson, 'config.json'), '{"model_type": "bert", ');
  const e6 = await rejection(h.call('models.importFolder', { project, path: badJson }));
  assert.equal(e6.code, 'bad_file');
  assert.equal(e6.file, join(badJson, 'config.json'));
  assert.match(e6.message, /not valid JSON/);

  const gpt = join(h.dir, 'gpt');
  cpSync(good, gpt, { recursive: true });
  writeFileSync(join(gpt, 'config.json'), JSON.stringify({ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'] }));
  const e7 = await rejection(h.call('models.importFolder', { project, path: gpt }));
  assert.equal(e7.code, 'bad_file');
  assert.match(e7.message, /unsupported model \(model_type "gpt2"/);

  const e8 = await rejection(h.call('models.importFolder', { project, path: join(h.dir, 'nowhere') }));
  assert.equal(e8.code, 'bad_file');
  assert.match(e8.message, /no such folder/);

  assert.equal(modelCount(project), 0, 'nothing was recorded');
  assert.deepEqual(await h.call('models.list', { project }), []);
});

test('models.createBaseline writes a seeded random model that loads; same seed, same weights', async (t) => {
  const { h, project } = await setup(t);
  const a = await h.call('models.createBaseline', { project, name: 'Scratch 6-mer', arch: 'bert-kmer', size: 'tiny', tokenizer: 'kmer-6', seed: 7 });
  assert.equal(a.kind, 'baseline');
  assert.equal(a.status, 'ok');
  assert.ok(a.path!.startsWith(join(h.ctx.dataDir, 'models')), a.path!);
  assert.deepEqual([a.shape.architecture, a.shape.layers, a.shape.hidden, a.shape.heads, a.shape.vocabSize], ['bert', 2, 128, 4, 4101]);
  assert.equal(a.shape.architectureLabel, 'BERT 6-mer');
  assert.deepEqual(a.params, { arch: 'bert-kmer', size: 'tiny', tokenizer: 'kmer-6', seed: 7, layers: 2, hidden: 128, heads: 4, intermediate: 512 });
  const loaded = await loadModelFolder(a.path!);
  try {
    assert.equal(loaded.tokenizer.kind, 'kmer');
    assert.equal(loaded.model.parameterCount(), a.shape.parameters);
    assert.deepEqual(loaded.report.initialized, []);
  } finally {
    loaded.model.dispose();
  }
  const b = await h.call('models.createBaseline', { project, name: 'Scratch 6-mer again', arch: 'bert-kmer', size: 'tiny', tokenizer: 'kmer-6', seed: 7 });
  assert.equal(b.checksum, a.checksum, 'same seed, same weights');
  assert.notEqual(b.path, a.path);

  // DNABERT-2's BPE comes from a bundled model that has a tokenizer.json.
  const c = await h.call('models.createBaseline', { project, name: 'Scratch BPE', arch: 'dnabert2', size: 'small', tokenizer: 'dnabert2-bpe' });
  assert.deepEqual([c.shape.architecture, c.shape.layers, c.shape.hidden, c.shape.tokenizer.kind, c.shape.vocabSize], ['dnabert2', 4, 256, 'bpe', 20]);
  assert.equal(c.params.seed, 42);
  assert.deepEqual(readFileSync(join(c.path!, 'tokenizer.json')), readFileSync(join(bundledRoot, 'test-bpe', 'tokenizer.json')));
  assert.match((await h.call('models.card', { project, id: c.id })).markdown, /from-scratch baseline/);
});

test('models.export writes a plain Hugging Face folder that loads back; removes follow ownership', async (t) => {
  const { h, project } = await setup(t);
  const src = await writeBpeModel(join(h.dir, 'DNABERT-2-tiny'), { card: false, seed: 5 });
  const m = await h.call('models.importFolder', { project, path: src });
  const out = join(h.dir, 'exported');
  const ex = await h.call('models.export', { project, modelId: m.id, dir: out });
  assert.deepEqual(readdirSync(out).sort(), ['README.md', 'config.json', 'loci_dnabert2.py', 'model.safetensors', 'tokenizer.json']);
  assert.equal(ex.files.length, 5);
  assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /\| SHA-256 of model.safetensors \| [0-9a-f]{64} \|/);
  const [a, b] = [await loadModelFolder(src), await loadModelFolder(out)];
  try {
    assert.equal(b.model.architecture, 'dnabert2');
    for (const [name, v] of a.model.params()) assert.deepEqual(b.model.params().get(name)!.dataSync(), v.dataSync(), name);
  } finally {
    a.model.dispose();
    b.model.dispose();
  }
  const busy = await rejection(h.call('models.export', { project, modelId: m.id, dir: out }));
  assert.equal(busy.code, 'conflict');
  assert.match(busy.message, /not empty/);

  // Imported folders are the user's: removing the model keeps them.
  const r1 = await h.call('models.remove', { project, id: m.id });
  assert.equal(r1.deletedFolder, null);
  assert.ok(existsSync(join(src, 'model.safetensors')));
  // Loci's own baseline folders go with their model.
  const base = await h.call('models.createBaseline', { project, name: 'B', arch: 'dnabert2', size: 'tiny', tokenizer: 'kmer-6' });
  const r2 = await h.call('models.remove', { project, id: base.id });
  assert.equal(r2.deletedFolder, base.path);
  assert.equal(existsSync(base.path!), false);
  assert.equal(modelCount(project), 0);
});

test("the shipped demo model exports as it did with its own module: Loci's loci_dnabert2.py, config.json unchanged", async (t) => {
  const demoModel = join(demoResourcesDir(), 'model');
  if (!existsSync(join(demoModel, 'model.safetensors'))) return t.skip('no resources/demo/model (scripts/make-demo-model.sh makes it)');
  assert.equal(existsSync(join(demoModel, DNABERT2_MODULE)), false, 'the demo folder keeps no copy of the module');
  const { h, project } = await setup(t);
  const m = await h.call('models.importFolder', { project, path: demoModel });
  const out = join(h.dir, 'demo-export');
  await h.call('models.export', { project, modelId: m.id, dir: out });
  assert.deepEqual(readFileSync(join(out, DNABERT2_MODULE)), readFileSync(join(pythonResourcesDir(), DNABERT2_MODULE)));
  assert.equal(readFileSync(join(out, 'config.json'), 'utf8'), readFileSync(join(demoModel, 'config.json'), 'utf8'), 'the auto_map it names is the one written back');
  assert.deepEqual((JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { auto_map: unknown }).auto_map, DNABERT2_AUTO_MAP);
});

test('relocation accepts only the same weights; removal is refused while a run uses the model', async (t) => {
  const { h, project } = await setup(t);
  const dir = await writeKmerModel(join(h.dir, 'first-place'));
  const m = await h.call('models.importFolder', { project, path: dir });
  const moved = join(h.dir, 'second-place');
  renameSync(dir, moved);
  const gone = await h.call('models.get', { project, id: m.id });
  assert.equal(gone.status, 'missing');
  assert.equal((await rejection(h.call('models.export', { project, modelId: m.id, dir: join(h.dir, 'x') }))).code, 'conflict');
  const other = await writeKmerModel(join(h.dir, 'other'), { seed: 99 });
  const wrong = await rejection(h.call('models.relocate', { project, id: m.id, path: other }));
  assert.equal(wrong.code, 'conflict');
  assert.match(wrong.message, /different checksum/);
  const back = await h.call('models.relocate', { project, id: m.id, path: moved });
  assert.equal(back.status, 'ok');
  assert.equal(back.path, moved);

  // A fine-tuned child recorded by the training service, and a run still going.
  const child = await recordModelFolder(h.ctx, project, other, { name: 'Promoters', kind: 'finetuned', source: 'fine-tuned from first-place', parentId: m.id, labels: ['promoter', 'background'] });
  assert.deepEqual([child.kind, child.parentId, child.labels], ['finetuned', m.id, ['promoter', 'background']]);
  const db = h.ctx.projects.get(project);
  db.prepare("INSERT INTO runs (kind, state, model_id, created_at) VALUES ('finetune', 'running', ?, ?)").run(m.id, new Date().toISOString());
  const refused = await rejection(h.call('models.remove', { project, id: m.id }));
  assert.equal(refused.code, 'conflict');
  assert.match(refused.message, /in use by run 1 \(finetune, running\)/);
  const forced = await h.call('models.remove', { project, id: m.id, force: true });
  assert.deepEqual(forced.warnings, ['Removed while in use by run 1 (finetune, running)', '1 fine-tuned model was made from it; it keeps its own folder']);
  assert.equal((await h.call('models.get', { project, id: child.id })).parentId, null);
});
