// retrain.preview / retrain.start through dispatch with real data-job workers: clear refusals (no
// annotations, all in conflict, classes the model lacks, a run not finished), and a dataset version
// stored with its parent and what changed, its test split the parent's. The fine-tuning half is
// covered by the e2e test (test/e2e/annotations.test.ts) with a real tiny model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DatasetSpec } from '../../../shared/contract/data';
import { projectDb } from '../../../main/api/projects';
import { datasetItems, getDatasetRow } from '../../../main/store/data-repo';
import { insertRun, updateRun } from '../../../main/store/run-repo';
import { waitForRun } from '../../../main/api/training';
import { runCli } from '../../../main/cli/run';
import { harness } from './helpers';
import { writeBpeModel } from './models-helpers';
import { rejection, writeGenome, writeSites } from './data-helpers';

async function setup(t: { after(fn: () => void): void }) {
  const h = harness(t);
  const project = (await h.call('projects.create', { name: 'Retrain', path: join(h.dir, 'r.loci') })).path;
  const genome = await h.call('genomes.import', { project, path: writeGenome(h.dir) });
  const set = await h.call('regions.import', { project, path: writeSites(h.dir), genomeId: genome.id, name: 'site' });
  const spec: DatasetSpec = { source: 'regions', genomeId: genome.id, regionSets: [{ id: set.id }], window: { mode: 'centred', length: 100 }, negatives: { strategy: 'random', ratio: 1, margin: 50 }, split: { kind: 'blocks', fractions: { train: 0.7, dev: 0.15, test: 0.15 }, blockSize: 3000 }, seed: 3 };
  const ds = await h.call('datasets.build', { project, name: 'sites', spec });
  const db = projectDb(h.ctx, project);
  const params = { name: 'first run', settings: { maxSteps: 4, batchSize: 8, evalEvery: 2, backend: 'cpu' }, classNames: ds.classes, datasetName: ds.name, modelName: 'm', folder: join(h.dir, 'run'), outDir: join(h.dir, 'out') };
  // The run's "output model": a tiny DNABERT-2-shaped model (a real fine-tune takes seconds).
  const modelId = (await h.call('models.importFolder', { project, path: await writeBpeModel(join(h.dir, 'tiny-bpe'), { card: false }), name: 'tiny' })).id;
  const runId = insertRun(db, { kind: 'finetune', state: 'running', modelId, datasetId: ds.id, params, checkpointPath: params.folder, createdAt: new Date().toISOString() });
  return { h, project, genome, ds, db, runId, modelId };
}

test('retrain refuses, saying why: run not done, no annotations, all conflicting, classes the model lacks', async (t) => {
  const { h, project, genome, db, runId, modelId } = await setup(t);
  let p = await h.call('retrain.preview', { project, runId });
  assert.match(p.refusal ?? '', /Run "first run" is running: retraining starts from the model a finished run saved/);
  updateRun(db, runId, { state: 'done', outputModelId: modelId });

  p = await h.call('retrain.preview', { project, runId });
  assert.match(p.refusal ?? '', /There are no annotations on the genome of "sites"/);
  const e = await rejection(h.call('retrain.start', { project, runId }));
  assert.equal(e.code, 'invalid_input');
  assert.match(e.message, /^Cannot retrain: There are no annotations/);

  // Two overlapping annotations of different classes: both conflict.
  await h.call('annotations.add', { project, genomeId: genome.id, chrom: 'chr1', start: 1000, end: 1300, label: 'site' });
  await h.call('annotations.add', { project, genomeId: genome.id, chrom: 'chr1', start: 1200, end: 1500, label: 'background' });
  p = await h.call('retrain.preview', { project, runId });
  assert.equal(p.annotations, 2);
  assert.equal(p.conflicting, 2);
  assert.equal(p.usable, 0);
  assert.match(p.refusal ?? '', /None of the 2 annotations can be used: 2 annotations overlap one of another class \(resolve the conflicts/);

  await h.call('annotations.add', { project, genomeId: genome.id, chrom: 'chr2', start: 100, end: 400, label: 'enhancer' });
  p = await h.call('retrain.preview', { project, runId });
  assert.deepEqual(p.unknownClasses, { enhancer: 1 });
  assert.match(p.refusal ?? '', /1 use class "enhancer", which the model's classifier does not have \(it knows background, site\)/);
  const e2 = await rejection(h.call('retrain.start', { project, runId }));
  assert.match(e2.message, /enhancer/);
  assert.equal((await h.call('datasets.list', { project })).length, 1, 'a refusal stores nothing');
});

test('retrain.start builds a dataset version: parent and changes recorded, test split unchanged, original usable', async (t) => {
  const { h, project, genome, ds, db, runId, modelId } = await setup(t);
  updateRun(db, runId, { state: 'done', outputModelId: modelId });
  // Annotations along chr1 and chr2, both classes, away from each other.
  for (let s = 200; s < 29_000; s += 1500) await h.call('annotations.add', { project, genomeId: genome.id, chrom: 'chr1', start: s, end: s + 250, label: s % 3000 === 200 ? 'site' : 'background' });
  const p = await h.call('retrain.preview', { project, runId });
  assert.equal(p.refusal, null);
  assert.equal(p.datasetName, 'sites v2');
  assert.equal(p.usable, p.annotations);
  const before = { mcc: 0.25, accuracy: 0.6, f1Macro: 0.55, precisionMacro: 0.6, recallMacro: 0.6, auroc: 0.7, auprc: 0.6, perClass: [], confusion: [], roc: [], pr: [] };
  updateRun(db, runId, { metrics: { test: before } });
  const started = await h.call('retrain.start', { project, runId });
  assert.equal(started.run.modelId, modelId, 'continues from the run\'s output model');
  assert.equal(started.run.datasetId, started.dataset.id);
  const all = await h.call('datasets.list', { project });
  assert.equal(all.length, 2);
  const v = all[1]!;
  assert.equal(v.name, 'sites v2');
  assert.deepEqual(v.version && { parentId: v.version.parentId, parentName: v.version.parentName }, { parentId: ds.id, parentName: 'sites' });
  assert.match(v.version!.changes, /annotations used; windows added: train \d+/);
  assert.match(v.version!.changes, /test set unchanged/);
  assert.ok(v.total > ds.total);
  assert.deepEqual(v.classes, ds.classes);
  const strip = (rows: ReturnType<typeof datasetItems>) => rows.map((r) => JSON.stringify(r));
  assert.deepEqual(strip(datasetItems(db, v.id, { split: 'test' })), strip(datasetItems(db, ds.id, { split: 'test' })), 'same test windows, labels and order');
  assert.equal(getDatasetRow(db, ds.id)!.itemCount, ds.total, 'the parent is untouched');
  const ended = await waitForRun(h.ctx, project, started.run.id);
  assert.equal(ended.state, 'done');
  const detail = await h.call('training.get', { project, runId: started.run.id });
  assert.equal(detail.retrain?.parentRunId, runId);
  assert.equal(detail.retrain?.sameTestSet, true);
  assert.deepEqual(detail.retrain?.before, before);
  assert.ok(detail.test, 'the new run has its test metrics (the after)');
  assert.equal(detail.settings.maxSteps, 4, 'same settings as the parent run');
  // A version of the version: its parent is v2, numbering goes on.
  const p2 = await h.call('retrain.preview', { project, runId });
  assert.equal(p2.datasetName, 'sites v3');

  // loci retrain: the same through the CLI, followed to the end, with before/after printed.
  let stdout = '';
  let stderr = '';
  const io = { out: (x: string) => void (stdout += x + '\n'), err: (x: string) => void (stderr += x + '\n') };
  const data = ['--data-dir', join(h.dir, 'cli-data')];
  assert.equal(await runCli(['retrain', '--project', project, '--run', String(runId), '--check', ...data], { io, env: {} }), 0, stderr);
  assert.match(stdout, /Would build "sites v3" and fine-tune run \d+'s model on it/);
  const code = await runCli(['retrain', '--project', project, '--run', 'first run', '--quiet', ...data], { io, env: {} });
  assert.equal(code, 0, stderr + stdout);
  assert.match(stdout, /^Dataset version "sites v3" \(id \d+\) of "sites": \d+ annotations used; windows added: train \d+/m);
  assert.match(stdout, /^Before\/after retraining with annotations \(before: run \d+ "first run"; the same test set\):$/m);
  assert.match(stdout, /^ +MCC +0\.250 +-?\d\.\d{3} +[+-]\d\.\d{3}$/m);
  assert.equal(await runCli(['retrain', '--project', project, ...data], { io, env: {} }), 2);
  assert.match(stderr, /loci retrain needs --run ID\|NAME/);
});
