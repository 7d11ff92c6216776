// Fine-tuning runs when things go wrong, with real processes: the job's worker killed with SIGKILL
// mid-run, and the serving process itself killed mid-run. The project file stays intact, the run
// says what happened (failed / interrupted) and resumes from its last checkpoint under its own id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectDb } from '../../main/api/projects';
import { waitForRun } from '../../main/api/training';
import { pidAlive } from '../../main/jobs/owners';
import { finetuneHarness, FAST, integrity } from './finetune-job-fixture';

const root = new URL('../..', import.meta.url).pathname;

test('SIGKILL of the job process mid-run: the project stays intact, the run fails and resumes from its checkpoint', async (t) => {
  const h = await finetuneHarness(t);
  const started = await h.call('training.start', { project: h.project, datasetId: 1, modelId: 1, settings: { ...FAST, maxSteps: 40, batchSize: 8, evalEvery: 4 } });
  await h.until(started.jobId!, (p) => (p.step ?? 0) >= 10, 20_000);
  const { pid } = projectDb(h.ctx, h.project).prepare('SELECT worker_pid AS pid FROM jobs WHERE id = ?').get(started.jobId) as { pid: number };
  process.kill(pid, 'SIGKILL');
  const failed = await waitForRun(h.ctx, h.project, started.id);
  assert.equal(failed.state, 'failed');
  assert.equal(integrity(h.project), 'ok');
  const mid = await h.call('training.get', { project: h.project, runId: started.id });
  assert.match(mid.error ?? '', /killed \(SIGKILL\)/);
  assert.ok(mid.dev.length >= 1, `${mid.dev.length} evaluations stored before the kill`);

  const resumed = await h.call('training.resume', { project: h.project, runId: started.id });
  assert.ok(['queued', 'running'].includes(resumed.state), resumed.state);
  const end = await waitForRun(h.ctx, h.project, started.id);
  assert.equal(end.state, 'done');
  const run = await h.call('training.get', { project: h.project, runId: started.id });
  // Steps after the checkpoint were redone: each evaluation is there once, in order.
  assert.deepEqual(run.dev.map((d) => d.step), Array.from({ length: 10 }, (_, i) => 4 * (i + 1)));
  const steps = run.train.map((p) => p.step);
  assert.deepEqual(steps, [...new Set(steps)].sort((a, b) => a - b));
  assert.equal(steps.at(-1), 40);
  assert.ok(run.test && run.outputModelId);
  assert.equal(integrity(h.project), 'ok');
});

test('the serving process killed mid-run: the run shows interrupted when the project opens again, and resumes', async (t) => {
  const h = await finetuneHarness(t);
  const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/integration/finetune-job-serve.ts'), h.project, join(h.dir, 'data'), String(h.datasetId), String(h.modelId)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => server.kill('SIGKILL'));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    server.on('exit', (code) => reject(new Error(`the server exited (${code}) before its run trained`)));
  });
  const [, runText = '', jobId = '', workerPid = '0'] = line.split(' ');
  const runId = Number(runText);
  server.kill('SIGKILL');
  // The orphaned worker notices its runner is gone, checkpoints and leaves.
  for (let i = 0; i < 200 && pidAlive(Number(workerPid)); i++) await sleep(50);
  assert.equal(pidAlive(Number(workerPid)), false, 'the orphaned worker exited');
  assert.equal(integrity(h.project), 'ok');

  await h.call('projects.open', { path: h.project });
  const [found] = await h.call('training.list', { project: h.project });
  assert.deepEqual([found?.id, found?.jobId, found?.state], [runId, jobId, 'interrupted']);

  await h.call('training.resume', { project: h.project, runId });
  const end = await waitForRun(h.ctx, h.project, runId);
  assert.equal(end.state, 'done');
  const run = await h.call('training.get', { project: h.project, runId });
  assert.equal(run.dev.at(-1)?.step, 60);
  assert.equal(new Set(run.dev.map((d) => d.step)).size, run.dev.length);
  assert.equal(integrity(h.project), 'ok');
});
