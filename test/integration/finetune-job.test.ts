// Fine-tuning runs end to end with real worker processes: training.start -> the finetune job ->
// curves in run_metrics and on run.metrics -> test metrics, most-wrong examples and a saved model
// that loads with the engine; pause then resume from the checkpoint keeps one run id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventPayload } from '../../shared/contract';
import { waitForRun } from '../../main/api/training';
import { loadModelFolder } from '../../main/engine/checkpoint/folder';
import { finetuneHarness, FAST, integrity, CLASSES } from './finetune-job-fixture';

test('a run completes: curves, test metrics, most-wrong examples and a fine-tuned model that loads', async (t) => {
  const h = await finetuneHarness(t);
  const metrics: EventPayload<'run.metrics'>[] = [];
  h.ctx.bus.on('run.metrics', (m) => metrics.push(m));
  const started = await h.call('training.start', { project: h.project, datasetId: h.datasetId, modelId: 1, settings: FAST });
  assert.equal(started.name, 'tiny-bpe on motif');
  assert.deepEqual(started.classNames, CLASSES);
  assert.ok(['queued', 'running'].includes(started.state), started.state);
  assert.match(started.jobId ?? '', /^job-/);

  const end = await waitForRun(h.ctx, h.project, started.id);
  const run = await h.call('training.get', { project: h.project, runId: started.id });
  assert.equal(end.state, 'done', run.error ?? '');
  assert.equal(run.state, 'done');
  assert.equal(run.step, 20);
  assert.equal(run.totalSteps, 20);
  assert.equal(run.backend, 'wasm');

  // Curves: train points throttled (<= 20), the last step always there; one dev point per evaluation.
  assert.ok(run.train.length >= 1 && run.train.length <= 20, `${run.train.length} train points`);
  assert.equal(run.train.at(-1)?.step, 20);
  assert.ok(run.train.every((p) => Number.isFinite(p.loss) && p.lr >= 0));
  assert.deepEqual(run.dev.map((d) => d.step), [5, 10, 15, 20]);
  assert.ok(run.dev.every((d) => d.mcc !== null && d.accuracy !== null && d.f1 !== null));
  const best = run.dev.reduce((a, b) => (b.loss < a.loss ? b : a));
  assert.equal(run.bestStep, best.step);
  assert.equal(run.bestDevLoss, best.loss);
  assert.deepEqual(run.checkpoints.filter((c) => c.best).map((c) => c.step), [best.step]);
  // The same points went out live.
  assert.deepEqual(metrics.filter((m) => m.split === 'dev').map((m) => m.step), [5, 10, 15, 20]);
  assert.ok(metrics.every((m) => m.runId === started.id && m.project === h.project));

  // Test metrics on the 30 test examples, with the confusion matrix adding up.
  const test = run.test!;
  assert.ok(test, 'test metrics stored');
  assert.equal(test.confusion.flat().reduce((a, b) => a + b, 0), 30);
  assert.deepEqual(test.perClass.map((c) => c.name), CLASSES);
  assert.equal(test.perClass.reduce((s, c) => s + c.support, 0), 30);
  assert.ok(test.mcc >= -1 && test.mcc <= 1);
  assert.ok(test.roc.length >= 2 && test.pr.length >= 2);
  assert.equal(run.testMcc, test.mcc);
  assert.equal(run.mostWrong.length, 20);
  assert.ok(run.mostWrong.every((w) => w.sequence.length === 40 && CLASSES.includes(w.label) && w.confidence >= 0 && w.confidence <= 1));
  assert.ok(run.throughput.tokensPerSecond! > 0 && run.throughput.secondsPerEpoch! > 0);

  // The fine-tuned model: in the project, a child of the base model, and it loads with its classifier.
  const model = await h.call('models.get', { project: h.project, id: Number(run.outputModelId) });
  assert.equal(model.kind, 'finetuned');
  assert.equal(model.parentId, h.modelId);
  assert.equal(model.runId, Number(run.id));
  assert.deepEqual(model.labels, CLASSES);
  const loaded = await loadModelFolder(model.path!);
  assert.equal(loaded.config.numLabels, 2);
  assert.ok(loaded.model.heads.classifier);
  loaded.model.dispose();

  const list = await h.call('training.list', { project: h.project });
  assert.deepEqual(list.map((r) => [r.id, r.state, r.outputModelId]), [[run.id, 'done', run.outputModelId]]);
  assert.equal(integrity(h.project), 'ok');
});

test('pause then resume continues from the checkpoint under the same run id', async (t) => {
  const h = await finetuneHarness(t);
  const started = await h.call('training.start', { project: h.project, datasetId: 1, modelId: h.modelId, settings: { ...FAST, maxSteps: 40, batchSize: 8 } });
  await h.until(started.jobId!, (p) => (p.step ?? 0) >= 6, 20_000);
  const pausing = await h.call('training.pause', { project: h.project, runId: started.id });
  assert.equal(pausing.id, started.id);
  const paused = await waitForRun(h.ctx, h.project, started.id);
  assert.equal(paused.state, 'paused');
  const mid = await h.call('training.get', { project: h.project, runId: started.id });
  // The run's own step (the curve's last point is throttled to a few per second and may lag it).
  const pausedAt = mid.step ?? 0;
  assert.ok(pausedAt >= 6 && pausedAt < 40, `paused at step ${pausedAt}`);
  assert.ok((mid.train.at(-1)?.step ?? 0) <= pausedAt, 'no curve point beyond the pause');

  const resumed = await h.call('training.resume', { project: h.project, runId: started.id });
  assert.equal(resumed.jobId, started.jobId);
  const end = await waitForRun(h.ctx, h.project, started.id);
  assert.equal(end.state, 'done');
  const run = await h.call('training.get', { project: h.project, runId: started.id });
  assert.equal(run.step, 40);
  assert.deepEqual(run.dev.map((d) => d.step), [5, 10, 15, 20, 25, 30, 35, 40]);
  const job = await h.call('jobs.get', { project: h.project, jobId: started.jobId! });
  assert.equal(job.attempts, 2);
  assert.match((await h.call('jobs.log', { project: h.project, jobId: started.jobId!, tail: 400 })).lines.join('\n'), /resum/i);
  assert.ok(run.test && run.outputModelId);
  assert.equal((await h.call('training.list', { project: h.project })).length, 1);
});
