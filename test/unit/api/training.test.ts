// training.* services without real workers: a fake launcher plays the finetune worker (writes
// run-metrics.jsonl and result.json in the job's folder, reports, stops, exits), so these tests
// check the service's own work: field-level validation, the run's state following its job's,
// curves stored and returned, the result and the model stored once, remove.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract';
import { ApiError } from '../../../shared/contract/errors';
import { createAppContext, type AppContext } from '../../../main/api/context';
import { dispatch } from '../../../main/api/dispatch';
import { closeServices, createServices } from '../../../main/api/index';
import { ownModelsDir } from '../../../main/api/models';
import { projectDb } from '../../../main/api/projects';
import { waitForRun } from '../../../main/api/training';
import type { MetricsLine, RunResultFile } from '../../../main/engine/finetune/job';
import { configureJobs } from '../../../main/jobs/index';
import { silentLogger } from '../../../main/node/log';
import { insertDataset } from '../../../main/store/data-repo';
import { CLASSES, motifItems } from '../../integration/finetune-job-fixture';
import { FakeLauncher, type FakeWorker } from '../jobs/fixtures/fake-launcher';
import { writeBpeModel } from './models-helpers';

interface H {
  ctx: AppContext;
  dir: string;
  project: string;
  launcher: FakeLauncher;
  events: EventPayload<'run.metrics'>[];
  modelDir: string;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

async function setup(t: { after(fn: () => void): void }): Promise<H> {
  const dir = mkdtempSync(join(tmpdir(), 'loci-training-'));
  const ctx = createAppContext({ dataDir: join(dir, 'data'), mode: 'cli', log: silentLogger });
  const launcher = new FakeLauncher();
  configureJobs(ctx, { launcher, tuning: { progressIntervalMs: 0, dbIntervalMs: 0, pollMs: 50, stopGraceMs: 5000 } });
  const services = createServices(ctx);
  t.after(() => {
    closeServices(ctx);
    rmSync(dir, { recursive: true, force: true });
  });
  const call = <M extends MethodName>(method: M, input: MethodInput<M>) => dispatch(services, method, input) as Promise<MethodOutput<M>>;
  const { path: project } = await call('projects.create', { name: 'Train', path: join(dir, 'train.loci') });
  const modelDir = await writeBpeModel(join(dir, 'tiny-bpe'), { card: false });
  await call('models.importFolder', { project, path: modelDir, name: 'tiny-bpe' });
  const db = projectDb(ctx, project);
  const meta = { kind: 'classification', genomeId: null, regionSetId: null, provenance: {}, split: {}, summary: {}, createdAt: new Date().toISOString() };
  insertDataset(db, { ...meta, name: 'motif', classes: CLASSES }, motifItems(60, 3));
  insertDataset(db, { ...meta, name: 'one-class', classes: ['only'] }, motifItems(10, 4).map((i) => ({ ...i, label: 'only', labelIndex: 0 })));
  const events: EventPayload<'run.metrics'>[] = [];
  ctx.bus.on('run.metrics', (e) => events.push(e));
  return { ctx, dir, project, launcher, events, modelDir, call };
}

async function rejects(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    return e;
  }
  assert.fail('expected an ApiError');
}

/** Plays the worker's side of the files: metrics lines, then a progress report that makes the service read them. */
function write(w: FakeWorker, lines: MetricsLine[], step: number): void {
  const start = w.received.find((m) => m.type === 'start');
  assert.ok(start?.type === 'start');
  appendFileSync(join(start.checkpointDir, 'run-metrics.jsonl'), lines.map((l) => JSON.stringify(l) + '\n').join(''));
  w.emit({ type: 'progress', report: { step, total: 8 } });
}

const FAST = { maxSteps: 8, batchSize: 8, evalEvery: 4 };

test('training.start refuses what cannot work, one message per field', async (t) => {
  const h = await setup(t);
  const missing = await rejects(h.call('training.start', { project: h.project, datasetId: 99, modelId: 98 }));
  assert.equal(missing.code, 'invalid_input');
  assert.deepEqual(missing.issues, [
    { path: 'datasetId', message: 'No dataset with id 99 in this project' },
    { path: 'modelId', message: 'No model with id 98 in this project' },
  ]);
  const oneClass = await rejects(h.call('training.start', { project: h.project, datasetId: 2, modelId: 1 }));
  assert.deepEqual(oneClass.issues, [{ path: 'datasetId', message: '"one-class" has 1 class; fine-tuning a classifier needs at least 2' }]);
  const settings = await rejects(h.call('training.start', { project: h.project, datasetId: 1, modelId: 1, settings: { maxLength: 600, lora: { rank: 4, alpha: 8, dropout: 0 } } }));
  assert.deepEqual(settings.issues, [
    { path: 'settings.maxLength', message: '"tiny-bpe" reads at most 512 tokens; got 600' },
    { path: 'settings.lora', message: 'LoRA settings apply to mode "lora" only (mode is "full")' },
  ]);
  // Out-of-range values are caught by the contract, named by field.
  const lr = await rejects(h.call('training.start', { project: h.project, datasetId: 1, modelId: 1, settings: { lr: 0 } }));
  assert.deepEqual(lr.issues, [{ path: 'settings.lr', message: 'The learning rate must be above 0' }]);
  // A model whose files went away.
  rmSync(join(h.modelDir, 'model.safetensors'));
  const gone = await rejects(h.call('training.estimate', { project: h.project, datasetId: 1, modelId: 1 }));
  assert.match(gone.issues?.[0]?.message ?? '', /^"tiny-bpe" cannot be used: .*model\.safetensors is not there/);
  assert.deepEqual(await h.call('training.list', { project: h.project }), []);
  assert.equal(h.launcher.workers.length, 0);
});

test('the run follows its job (running, paused, resumed, done); curves, result and model are stored once', async (t) => {
  const h = await setup(t);
  const started = await h.call('training.start', { project: h.project, datasetId: 1, modelId: 1, name: 'first', settings: FAST });
  assert.deepEqual([started.id, started.state, started.name, started.datasetName, started.modelName, started.mode], [1, 'running', 'first', 'motif', 'tiny-bpe', 'full']);
  const w1 = h.launcher.worker(started.jobId!);
  const start = w1.received[0];
  assert.ok(start?.type === 'start' && start.kind === 'finetune');
  const params = start.params as { dataPath: string; options: Record<string, unknown>; backend: string; modelDir: string };
  assert.deepEqual(params.options, { mode: 'full', lr: 3e-5, batchSize: 8, accumulate: 1, epochs: 3, maxSteps: 8, weightDecay: 0.01, evalEvery: 4, classWeights: 'none', earlyStoppingPatience: null, seed: 42 });
  assert.equal(params.backend, 'auto');
  // The examples file the worker reads: 42 / 9 / 9 of the 60, class indices.
  const data = JSON.parse((await import('node:fs')).readFileSync(params.dataPath, 'utf8')) as { classNames: string[]; train: [string, number][]; dev: unknown[]; test: unknown[] };
  assert.deepEqual([data.classNames, data.train.length, data.dev.length, data.test.length], [CLASSES, 42, 9, 9]);
  assert.equal(data.train[1]?.[1], 1);

  write(w1, [{ t: 'start', attempt: 1, from: 0 }, { t: 'backend', name: 'wasm', summary: 'wasm' }, { t: 'train', step: 1, loss: 0.9, lr: 1e-5, tps: 100 }, { t: 'train', step: 3, loss: 0.8, lr: 2e-5, tps: 120 }], 3);
  write(w1, [{ t: 'dev', step: 4, loss: 0.7, mcc: 0.1, accuracy: 0.55, f1: 0.5 }, { t: 'train', step: 5, loss: 0.75, lr: 2e-5, tps: 130 }], 5);
  let mid = await h.call('training.get', { project: h.project, runId: 1 });
  assert.deepEqual(mid.train.map((p) => [p.step, p.loss]), [[1, 0.9], [3, 0.8], [5, 0.75]]);
  assert.deepEqual(mid.dev, [{ step: 4, loss: 0.7, mcc: 0.1, accuracy: 0.55, f1: 0.5 }]);
  assert.deepEqual([mid.state, mid.step, mid.totalSteps, mid.backend, mid.bestStep, mid.bestDevLoss], ['running', 5, 8, 'wasm', 4, 0.7]);
  assert.deepEqual(h.events.map((e) => `${e.split}@${e.step}`), ['train@1', 'train@3', 'dev@4', 'train@5']);
  assert.deepEqual(h.events[2], { project: h.project, runId: 1, step: 4, split: 'dev', values: { loss: 0.7, mcc: 0.1, accuracy: 0.55, f1: 0.5 } });

  // Pause: the worker checkpoints at step 4 and stops.
  assert.equal((await h.call('training.pause', { project: h.project, runId: 1 })).state, 'running');
  assert.deepEqual(w1.received.at(-1), { type: 'stop', reason: 'pause' });
  w1.emit({ type: 'stopped', reason: 'pause' });
  w1.exit(0);
  assert.equal((await waitForRun(h.ctx, h.project, 1)).state, 'paused');
  const removing = await rejects(h.call('models.remove', { project: h.project, id: 1 }));
  assert.match(removing.message, /in use by run 1 \(finetune, paused\)/);

  // Resume: a new worker, from the checkpoint of step 4: the points after it are redone.
  const resumed = await h.call('training.resume', { project: h.project, runId: 1 });
  assert.deepEqual([resumed.id, resumed.jobId, resumed.state], [1, started.jobId, 'running']);
  const w2 = h.launcher.worker(started.jobId!);
  assert.notEqual(w2, w1);
  write(w2, [{ t: 'start', attempt: 2, from: 4 }, { t: 'train', step: 5, loss: 0.6, lr: 2e-5, tps: 140 }, { t: 'train', step: 8, loss: 0.5, lr: 0, tps: 150 }, { t: 'dev', step: 8, loss: 0.4, mcc: 0.6, accuracy: 0.8, f1: 0.8 }], 8);
  mid = await h.call('training.get', { project: h.project, runId: 1 });
  assert.deepEqual(mid.train.map((p) => [p.step, p.loss]), [[1, 0.9], [3, 0.8], [5, 0.6], [8, 0.5]]);

  // Done: result.json and the model folder, as the worker leaves them.
  const s2 = w2.received[0];
  assert.ok(s2?.type === 'start');
  const outDir = join(ownModelsDir(h.ctx), 'first-out');
  cpSync(h.modelDir, outDir, { recursive: true });
  const test = { mcc: 0.5, accuracy: 0.75, f1Macro: 0.74, precisionMacro: 0.76, recallMacro: 0.75, auroc: 0.8, auprc: 0.82, perClass: [], confusion: [[4, 1], [1, 3]], roc: [{ x: 0, y: 0 }, { x: 1, y: 1 }], pr: [] };
  const result: RunResultFile = { steps: 8, totalSteps: 8, bestStep: 8, bestDevLoss: 0.4, stoppedEarly: false, test, mostWrong: [{ index: 2, sequence: 'ACGT', label: 'motif', predicted: 'background', confidence: 0.9 }], throughput: { tokensPerSecond: 150, secondsPerEpoch: 12 }, modelOut: outDir, devHistory: [] };
  writeFileSync(join(s2.checkpointDir, 'result.json'), JSON.stringify(result));
  w2.finish({ steps: 8, bestStep: 8, testMcc: 0.5, modelOut: outDir });
  const end = await waitForRun(h.ctx, h.project, 1);
  assert.deepEqual([end.state, end.step, end.totalSteps, end.testMcc, end.testF1, end.bestStep, end.outputModelId], ['done', 8, 8, 0.5, 0.74, 8, 2]);
  const run = await h.call('training.get', { project: h.project, runId: 1 });
  assert.deepEqual(run.test, test);
  assert.deepEqual(run.mostWrong, result.mostWrong);
  assert.deepEqual(run.throughput, { tokensPerSecond: 150, secondsPerEpoch: 12 });
  assert.deepEqual(run.checkpoints, [{ step: 4, devLoss: 0.7, best: false }, { step: 8, devLoss: 0.4, best: true }]);
  assert.equal(run.error, null);
  const model = await h.call('models.get', { project: h.project, id: 2 });
  assert.deepEqual([model.kind, model.name, model.parentId, model.runId, model.labels, model.path], ['finetuned', 'first', 1, 1, CLASSES, outDir]);
  assert.match(model.source, /^fine-tuned from tiny-bpe on motif \(run 1, full\)$/);

  // A second run is listed first; removing the first one (and its model) leaves the second.
  const second = await h.call('training.start', { project: h.project, datasetId: 1, modelId: 1, settings: FAST });
  assert.deepEqual((await h.call('training.list', { project: h.project })).map((r) => [r.id, r.state]), [[2, 'running'], [1, 'done']]);
  const busy = await rejects(h.call('training.remove', { project: h.project, runId: 2 }));
  assert.equal(busy.code, 'conflict');
  await h.call('training.remove', { project: h.project, runId: 1, removeModel: true });
  assert.equal(existsSync(outDir), false, 'the fine-tuned model folder went with it');
  assert.deepEqual((await h.call('training.list', { project: h.project })).map((r) => r.id), [second.id]);
  assert.equal((projectDb(h.ctx, h.project).prepare('SELECT COUNT(*) AS n FROM run_metrics WHERE run_id = 1').get() as { n: number }).n, 0);
  assert.equal((await rejects(h.call('training.get', { project: h.project, runId: 1 }))).code, 'not_found');
});

test('a job that dies fails its run with the reason; a failed run resumes; a cancelled one does not', async (t) => {
  const h = await setup(t);
  const started = await h.call('training.start', { project: h.project, datasetId: 1, modelId: 1, settings: FAST });
  const w = h.launcher.worker(started.jobId!);
  w.exit(null, 'SIGKILL');
  const failed = await h.call('training.get', { project: h.project, runId: started.id });
  assert.equal(failed.state, 'failed');
  assert.match(failed.error ?? '', /^The job's process was killed \(SIGKILL\)/);
  assert.ok(failed.endedAt);
  assert.equal((await h.call('training.resume', { project: h.project, runId: started.id })).state, 'running');
  const again = h.launcher.worker(started.jobId!);
  const cancelling = await h.call('training.cancel', { project: h.project, runId: started.id });
  assert.equal(cancelling.state, 'running', 'cancelling: the worker saves its checkpoint first');
  again.emit({ type: 'stopped', reason: 'cancel' });
  again.exit(0);
  const cancelled = await waitForRun(h.ctx, h.project, started.id);
  assert.deepEqual([cancelled.state, cancelled.outputModelId], ['cancelled', null]);
  const refused = await rejects(h.call('training.resume', { project: h.project, runId: started.id }));
  assert.deepEqual([refused.code, refused.message], ['conflict', `Cannot resume run ${started.id}: it is cancelled (only paused, interrupted, failed jobs can be resumed)`]);
});

test('training.estimate measures on this machine and scales to the run', async (t) => {
  const h = await setup(t);
  const e = await h.call('training.estimate', { project: h.project, datasetId: 1, modelId: 1, settings: { batchSize: 8, epochs: 2, backend: 'cpu' } });
  assert.equal(e.backend, 'cpu');
  assert.equal(e.stepsPerEpoch, 5); // 42 training examples / 8
  assert.equal(e.totalSteps, 10);
  assert.ok(e.seconds > 0 && e.secondsPerEpoch > 0 && e.tokensPerSecond > 0 && e.peakMemoryBytes > 0, JSON.stringify(e));
  assert.ok(e.maxLength >= 3 && e.maxLength <= 42, `max length ${e.maxLength}`);
  assert.match(e.basis, /^measured batches of 2 and 4 x \d+ tokens on cpu in this process \(2 timed steps, \d+% apart\).*; likely within ±\d+%$/);
  // What the run does adds up to the total, and the total sits inside its stated range (issue 10).
  const sum = (x: typeof e) => (x.phases ?? []).reduce((a, p) => a + p.seconds, 0);
  assert.deepEqual(e.phases?.map((p) => p.label.split(':')[0]), ['Training', 'Evaluation']);
  assert.ok(Math.abs(sum(e) - e.seconds) < 1e-6 * Math.max(1, e.seconds), `${sum(e)} vs ${e.seconds}`);
  assert.ok(e.range && e.range.low < e.seconds && e.seconds < e.range.high && e.range.high / e.seconds >= 1.25 - 1e-9, JSON.stringify(e.range));
  assert.ok(e.secondsPerEpoch * 2 <= e.seconds + 1e-9, 'two epochs never take longer than the whole run');
  // The linear probe: one embedding pass over train, dev and test, then the head fit; no steps, no epochs.
  const p = await h.call('training.estimate', { project: h.project, datasetId: 1, modelId: 1, settings: { mode: 'probe', batchSize: 8, epochs: 3, backend: 'cpu' } });
  assert.deepEqual([p.totalSteps, p.stepsPerEpoch], [0, 0]);
  assert.equal(p.phases?.length, 2);
  assert.match(p.phases![0]!.label, /^Embedding pass: \d+ sequences \(train, dev and test\)/);
  assert.match(p.phases![1]!.label, /^Fitting the logistic head on \d+ embeddings/);
  assert.ok(p.phases!.every((x) => x.seconds > 0));
  assert.ok(Math.abs(sum(p) - p.seconds) < 1e-6 * Math.max(1, p.seconds));
  assert.ok(p.secondsPerEpoch <= p.seconds + 1e-9, 'the probe has no epochs: its one pass is the whole run');
  assert.deepEqual(await h.call('training.defaults', {}), { mode: 'full', lr: 3e-5, batchSize: 32, accumulate: 1, epochs: 3, weightDecay: 0.01, classWeights: 'none', earlyStoppingPatience: null, seed: 42, backend: 'auto' });
});
