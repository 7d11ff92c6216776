// benchmarks.* through dispatch with a real `gue` job (worker process, unit workers): a tiny model and
// its from-scratch twin on two tiny GUE-format tasks produce the runner's tables, with the published
// column read from the SOURCES.md beside the folder; bad folders and task names are refused before a
// job starts; the catalog's GUE line comes from a gue-results.json in a bundled model's folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForJob } from '../../../main/jobs/index';
import { buildResults } from '../../../main/engine/gue/report';
import { Prng } from '../../../main/engine/train/prng';
import { gueSummary } from '../../../shared/gue-summary';
import { harness } from './helpers';
import { rejection } from './data-helpers';
import { writeBpeModel } from './models-helpers';

function csv(n: number, seed: number): string {
  const rng = new Prng(seed);
  const rows = ['sequence,label'];
  for (let i = 0; i < n; i++) {
    let s = '';
    for (let j = 0; j < 40; j++) s += 'ACGT'[rng.int(4)];
    if (i % 2) s = s.slice(0, 10) + 'TATAAAAGGC' + s.slice(20);
    rows.push(`${s},${i % 2}`);
  }
  return rows.join('\n') + '\n';
}

function writeGue(root: string): void {
  for (const [i, name] of ['prom_tiny', 'tf/0'].entries()) {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    for (const [j, split] of ['train', 'dev', 'test'].entries()) writeFileSync(join(dir, `${split}.csv`), csv(split === 'train' ? 32 : 12, 10 * i + j));
  }
  writeFileSync(join(root, '..', 'SOURCES.md'), '| task | DNABERT-2 | CNN baseline |\n| --- | --- | --- |\n| prom_tiny | 69.37 | 58.07 |\n');
}

test('a benchmark runs the GUE protocol as a job and its tables carry the model, its twin and the published scores', async (t) => {
  const h = harness(t);
  const project = (await h.call('projects.create', { name: 'Bench', path: join(h.dir, 'bench.loci') })).path;
  const model = await h.call('models.importFolder', { project, path: await writeBpeModel(join(h.dir, 'tiny-bpe')), name: 'tiny-bpe' });
  const root = join(h.dir, 'data', 'gue');
  writeGue(root);

  const missing = await rejection(h.call('benchmarks.start', { project, root: join(h.dir, 'nope'), modelIds: [model.id] }));
  assert.equal(missing.code, 'invalid_input');
  assert.match(missing.message, /nope: no such folder/);
  const unknown = await rejection(h.call('benchmarks.start', { project, root, tasks: ['mouse'], modelIds: [model.id] }));
  assert.match(unknown.message, /no GUE task "mouse".*there are: prom_tiny, tf\/0/);
  const nothing = await rejection(h.call('benchmarks.start', { project, root, modelIds: [model.id], scratch: false, pretrained: false }));
  assert.deepEqual([nothing.code, nothing.issues?.[0]?.path], ['invalid_input', 'scratch']);
  assert.equal((await h.call('benchmarks.list', { project })).length, 0, 'refused runs start no job');

  // Twins only (the Benchmark dialog's third choice, `loci gue --no-pretrained`): the model itself is not fine-tuned.
  const twins = await h.call('benchmarks.start', { project, root, tasks: ['prom_tiny'], modelIds: [model.id], maxSteps: 2, seeds: [1], pretrained: false });
  assert.deepEqual([twins.scratch, twins.pretrained], [true, false]);
  assert.equal((await waitForJob(h.ctx, project, twins.id)).state, 'done');
  assert.deepEqual((await h.call('benchmarks.get', { project, id: twins.id })).results?.models, ['tiny-bpe (scratch)']);

  const started = await h.call('benchmarks.start', { project, root, modelIds: [model.id], maxSteps: 3, seeds: [1] });
  assert.deepEqual([started.models, started.maxSteps, started.scratch, started.seeds], [['tiny-bpe'], 3, true, [1]]);
  const job = await waitForJob(h.ctx, project, started.id);
  assert.equal(job.state, 'done', job.error ?? '');
  assert.deepEqual((await h.call('benchmarks.list', { project })).map((r) => r.id).sort(), [twins.id, started.id].sort());

  const d = await h.call('benchmarks.get', { project, id: started.id });
  assert.deepEqual(d.failures, []);
  assert.ok(d.results && d.markdown);
  assert.deepEqual(d.results.models, ['tiny-bpe', 'tiny-bpe (scratch)']);
  assert.deepEqual(d.results.rows.map((r) => r.task), ['prom_tiny', 'tf/0']);
  for (const r of d.results.rows) for (const m of d.results.models) assert.ok(Number.isFinite(r.loci[m]?.mean), `${r.task} ${m}`);
  assert.deepEqual(d.results.rows[0]!.published, { 'DNABERT-2': 69.37, 'CNN baseline': 58.07 }, 'published scores come from the SOURCES.md beside the folder');
  assert.deepEqual(d.results.rows[1]!.published, {}, 'a task the file lacks gets none');
  assert.match(d.markdown, /\| prom_tiny \| MCC \|/);

  const s = gueSummary(d.results, 'tiny-bpe');
  assert.ok(s);
  assert.equal(s.tasks, 2);
  assert.deepEqual(s.published, [
    { name: 'DNABERT-2', mean: 69.37, tasks: 1 },
    { name: 'CNN baseline', mean: 58.07, tasks: 1 },
  ]);
  assert.equal(s.budget, '3 steps, 1 seed');
  assert.ok(s.scratchMean !== null && s.winsOverScratch?.tasks === 2);
});

test("the catalog shows a bundled model's GUE line from the gue-results.json in its folder, and none without one", async (t) => {
  const h = harness(t);
  const models = join(h.dir, 'bundled');
  await writeBpeModel(join(models, 'with-gue'));
  await writeBpeModel(join(models, 'without-gue'));
  const cell = (mean: number) => ({ key: '', task: '', model: '', scratch: false, seed: 1, metric: 'mcc' as const, score: mean, testMcc: mean / 100, testF1: 0, testAccuracy: 0, bestStep: 1, bestDevLoss: 0.5, devMcc: 0.4, steps: 10, seconds: 5, backend: 'wasm', options: {} });
  const file = buildResults({
    root: '/gue',
    tasks: [
      { name: 'a', metric: 'mcc' },
      { name: 'b', metric: 'mcc' },
    ],
    models: ['with-gue', 'with-gue (scratch)'],
    results: [
      { ...cell(50), task: 'a', model: 'with-gue' },
      { ...cell(40), task: 'b', model: 'with-gue' },
      { ...cell(30), task: 'a', model: 'with-gue (scratch)' },
      { ...cell(45), task: 'b', model: 'with-gue (scratch)' },
    ],
    published: { source: 'SOURCES.md', columns: ['DNABERT-2'], rows: new Map([['a', { 'DNABERT-2': 70 }], ['b', { 'DNABERT-2': 60 }]]) },
    settings: { seeds: [1, 2], budget: {}, 'with-gue': { options: { maxSteps: 600 } } },
    machine: {},
  });
  writeFileSync(join(models, 'with-gue', 'gue-results.json'), JSON.stringify(file));
  writeFileSync(join(models, 'without-gue', 'gue-results.json'), '{"format": "something else"}');
  const before = process.env.LOCI_MODELS_DIR;
  process.env.LOCI_MODELS_DIR = models;
  t.after(() => (before === undefined ? delete process.env.LOCI_MODELS_DIR : (process.env.LOCI_MODELS_DIR = before)));
  const catalog = await h.call('models.catalog', {});
  const gue = catalog.find((m) => m.name === 'with-gue')?.gue;
  assert.deepEqual(gue && { mean: gue.mean, tasks: gue.tasks, scratch: gue.scratchMean, wins: gue.winsOverScratch, published: gue.published, budget: gue.budget }, {
    mean: 45,
    tasks: 2,
    scratch: 37.5,
    wins: { wins: 1, tasks: 2 },
    published: [{ name: 'DNABERT-2', mean: 65, tasks: 2 }],
    budget: '600 steps, 2 seeds',
  });
  assert.equal(catalog.find((m) => m.name === 'without-gue')?.gue, null, 'a file that is not a results file is logged, not shown');
});
