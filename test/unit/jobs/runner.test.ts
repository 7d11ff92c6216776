// The runner's bookkeeping with fake worker processes (fast, deterministic): recovery of jobs a dead
// Loci left behind, progress derivation, cancel/pause asked from another process, the kill after
// the grace period, log lines, and the wording of crash reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectDb } from '../../../main/api/projects';
import { describeExit, jobRunner, JobRunner } from '../../../main/jobs/index';
import { CANCEL_GRACE_MS } from '../../../main/jobs/runner';
import { tailFile } from '../../../main/jobs/log-file';
import { unregisterRunner } from '../../../main/jobs/owners';
import { silentLogger } from '../../../main/node/log';
import { FakeLauncher } from './fixtures/fake-launcher';
import { jobsHarness, type JobsHarness } from './fixtures/harness';

async function setup(t: Parameters<typeof jobsHarness>[0], tuning = {}) {
  const launcher = new FakeLauncher();
  const h = await jobsHarness(t, { launcher, worker: { script: '/fake/worker.js', execArgv: [] }, tuning });
  return { h, launcher, runner: jobRunner(h.ctx) };
}

/** A second runner on the same project, as another Loci process would have. */
function otherRunner(h: JobsHarness, launcher = new FakeLauncher()): JobRunner {
  return new JobRunner({ dataDir: h.ctx.dataDir, bus: h.ctx.bus, log: silentLogger, db: (p) => projectDb(h.ctx, p), launcher, pollMs: 20 });
}

function setRow(h: JobsHarness, id: string, sql: string, ...values: unknown[]): void {
  projectDb(h.ctx, h.project).prepare(`UPDATE jobs SET ${sql} WHERE id = ?`).run(...values, id);
}

const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid ?? 4_000_001;

test('recovery marks jobs whose Loci is gone interrupted, and leaves live ones alone', async (t) => {
  const { h, runner } = await setup(t);
  const ranByDeadProcess = runner.start(h.project, 'k', {});
  const queuedByDeadProcess = runner.start(h.project, 'k', {});
  const ranByDeadRunnerHere = runner.start(h.project, 'k', {}, { device: false });
  const ranByLiveProcess = runner.start(h.project, 'k', {}, { device: false });
  assert.deepEqual([ranByDeadProcess, queuedByDeadProcess, ranByDeadRunnerHere, ranByLiveProcess].map((j) => j.state), ['running', 'queued', 'running', 'running']);
  const dead = deadPid();
  setRow(h, ranByDeadProcess.id, 'runner_id = ?, runner_pid = ?', 'gone', dead);
  setRow(h, queuedByDeadProcess.id, 'runner_id = ?, runner_pid = ?', 'gone', dead);
  setRow(h, ranByDeadRunnerHere.id, 'runner_id = ?, runner_pid = ?', 'a-runner-that-closed', process.pid);
  setRow(h, ranByLiveProcess.id, 'runner_id = ?, runner_pid = ?', 'elsewhere', process.ppid);

  const other = otherRunner(h);
  const recovered = other.recover(h.project);
  assert.deepEqual(recovered.map((j) => j.id).sort(), [ranByDeadProcess.id, queuedByDeadProcess.id, ranByDeadRunnerHere.id].sort());
  const state = (id: string) => other.get(h.project, id);
  assert.equal(state(ranByDeadProcess.id).state, 'interrupted');
  assert.equal(state(ranByDeadProcess.id).message, 'Interrupted: Loci stopped while this job ran; resume continues from its last checkpoint');
  assert.equal(state(queuedByDeadProcess.id).message, 'Interrupted: Loci stopped before this job started; resume queues it again');
  assert.equal(state(ranByLiveProcess.id).state, 'running');
  assert.ok(h.progress.some((p) => p.jobId === ranByDeadProcess.id && p.state === 'interrupted'), 'the UI hears about it');
  // A second look changes nothing.
  assert.deepEqual(other.recover(h.project), []);
  other.shutdown();
});

test('a job of a runner in this process that stopped without shutting down is recovered too', async (t) => {
  const { h, runner } = await setup(t);
  const job = runner.start(h.project, 'k', {});
  const other = otherRunner(h);
  assert.deepEqual(other.recover(h.project), [], 'its runner is alive');
  unregisterRunner(runner.id); // as if that runner's process had died
  assert.deepEqual(other.recover(h.project).map((j) => [j.id, j.state]), [[job.id, 'interrupted']]);
  other.shutdown();
});

test('progress gets a fraction, an ETA and a message when the job gives only steps', async (t) => {
  const { h, launcher, runner } = await setup(t, { progressIntervalMs: 0, dbIntervalMs: 0 });
  const job = runner.start(h.project, 'k', { lr: 3e-5 });
  const w = launcher.worker(job.id);
  assert.deepEqual(w.received[0], { type: 'start', jobId: job.id, kind: 'k', params: { lr: 3e-5 }, checkpointDir: job.checkpointDir, attempt: 1 });
  assert.equal(w.options.env.LOCI_JOB_ID, job.id);
  w.emit({ type: 'progress', report: { step: 10, total: 100, loss: 0.5 } });
  await sleep(50);
  w.emit({ type: 'progress', report: { step: 20, total: 100, loss: 0.25, lr: 1e-5, metrics: { mcc: 0.7 } } });
  const last = h.progress.filter((p) => p.jobId === job.id).at(-1);
  assert.equal(last?.fraction, 0.2);
  assert.equal(last?.step, 20);
  assert.deepEqual(last?.metrics, { loss: 0.25, lr: 1e-5, mcc: 0.7 });
  // 10 steps took about 50 ms (timers may fire a millisecond early), so 80 more take about 0.4 s.
  assert.ok((last?.etaSeconds ?? 0) >= 0.35 && (last?.etaSeconds ?? 99) < 5, `eta ${last?.etaSeconds}`);
  assert.match(last?.message ?? '', /^step 20\/100, loss 0\.2500, \d s left$/);
  w.emit({ type: 'progress', report: { fraction: 0.5, message: 'evaluating', etaSeconds: 12 } });
  const stored = runner.get(h.project, job.id);
  assert.deepEqual([stored.fraction, stored.step, stored.message, stored.etaSeconds], [0.5, 20, 'evaluating', 12]);
  w.finish({ modelId: 7 });
  // The result is stored by the job-result mechanism (main/jobs/results.ts), which may take a tick.
  assert.deepEqual((await runner.wait(h.project, job.id)).result, { modelId: 7 });
});

test('a cancel asked by another Loci process reaches the runner that owns the job', async (t) => {
  const { h, launcher, runner } = await setup(t, { pollMs: 20 });
  const job = runner.start(h.project, 'k', {});
  const other = otherRunner(h);
  const asked = other.cancel(h.project, job.id);
  assert.equal(asked.state, 'running');
  assert.equal(asked.requested, 'cancel');
  assert.match(asked.message, new RegExp(`^Cancel requested; the Loci process running it \\(pid ${process.pid}\\) will carry it out$`));
  const w = launcher.worker(job.id);
  for (let i = 0; i < 50 && !w.received.some((m) => m.type === 'stop'); i++) await sleep(10);
  assert.deepEqual(w.received.at(-1), { type: 'stop', reason: 'cancel' });
  w.emit({ type: 'stopped', reason: 'cancel' });
  w.exit(0);
  const end = runner.get(h.project, job.id);
  assert.deepEqual([end.state, end.requested], ['cancelled', null]);
  other.shutdown();
});

test('a job that ignores a stop is killed after the grace period', async (t) => {
  const { h, launcher, runner } = await setup(t, { stopGraceMs: 30 });
  const a = runner.start(h.project, 'k', {}, { device: false });
  const b = runner.start(h.project, 'k', {}, { device: false });
  runner.cancel(h.project, a.id);
  runner.pause(h.project, b.id);
  await sleep(80);
  for (const id of [a.id, b.id]) {
    const w = launcher.worker(id);
    assert.deepEqual(w.killed, ['SIGKILL']);
    w.exit(null, 'SIGKILL');
  }
  assert.equal(runner.get(h.project, a.id).state, 'cancelled');
  const paused = runner.get(h.project, b.id);
  assert.equal(paused.state, 'interrupted', 'killed while pausing: only the last periodic checkpoint is sure');
  assert.match(paused.message, /did not stop in time and was killed/);
});

test('pausing or cancelling a queued job takes it out of the queue', async (t) => {
  const { h, launcher, runner } = await setup(t);
  const first = runner.start(h.project, 'k', {});
  const second = runner.start(h.project, 'k', {});
  const third = runner.start(h.project, 'k', {});
  assert.equal(runner.pause(h.project, second.id).state, 'paused');
  assert.equal(runner.cancel(h.project, third.id).state, 'cancelled');
  launcher.worker(first.id).finish();
  // The device is held until the first job's result is stored.
  assert.deepEqual(runner.busy, { running: [], queued: [], deviceJob: first.id });
  assert.equal((await runner.wait(h.project, first.id)).state, 'done');
  assert.deepEqual(runner.busy, { running: [], queued: [], deviceJob: null });
  assert.equal(launcher.workers.length, 1, 'neither started');
  assert.equal(runner.resume(h.project, second.id).state, 'running');
  assert.equal(launcher.worker(second.id).received[0]?.type, 'start');
});

test("output lines (split across chunks) go to the log file and the bus; a crash's error names them", async (t) => {
  const { h, launcher, runner } = await setup(t);
  const job = runner.start(h.project, 'k', {});
  const w = launcher.worker(job.id);
  w.print('stdout', 'loading mod');
  w.print('stdout', 'el\nstep 1\n');
  w.print('stderr', 'Segmentation fault');
  w.emit({ type: 'log', lines: [{ level: 'error', line: 'from the handler' }] });
  w.exit(139);
  const end = runner.get(h.project, job.id);
  assert.equal(end.state, 'failed');
  assert.equal(end.error, "The job's process exited unexpectedly with exit code 139\nLast lines of its log:\nloading model\nstep 1\nfrom the handler\nSegmentation fault");
  assert.deepEqual(h.logs.map((l) => [l.level, l.line]), [['info', 'loading model'], ['info', 'step 1'], ['error', 'from the handler'], ['warn', 'Segmentation fault']]);
  await sleep(50); // the file stream flushes
  const file = readFileSync(end.logPath ?? '', 'utf8');
  assert.match(file, /INFO {2}loading model\n.*INFO {2}step 1\n.*ERROR from the handler\n.*WARN {2}Segmentation fault\n/);
  assert.match(file, /\[loci\] run ended: no result \(exit code 139\)/);
});

test('crash reasons in words', () => {
  assert.equal(describeExit(null, 'SIGKILL', []), "The job's process was killed (SIGKILL); the system may have run out of memory. Resume continues from its last checkpoint");
  assert.equal(describeExit(137, null, []), "The job's process was killed (SIGKILL); the system may have run out of memory. Resume continues from its last checkpoint");
  assert.equal(describeExit(null, 'SIGABRT', ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory']), 'The job ran out of memory (signal SIGABRT). Try a smaller batch size or sequence length, or close other programs');
  assert.equal(describeExit(null, 'SIGSEGV', []), "The job's process was stopped by signal SIGSEGV");
  assert.equal(describeExit(2, null, ['x']), "The job's process exited unexpectedly with exit code 2");
});

test('tailFile reads the last lines of a long file from its end', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'loci-tail-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'a.log');
  writeFileSync(path, Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n') + '\n');
  assert.deepEqual(tailFile(path, 3), { lines: [49_997, 49_998, 49_999].map((i) => `line ${i} ${'x'.repeat(20)}`), truncated: true });
  writeFileSync(path, 'one\ntwo');
  assert.deepEqual(tailFile(path, 5), { lines: ['one', 'two'], truncated: false });
  assert.deepEqual(tailFile(join(dir, 'missing.log'), 5), { lines: [], truncated: false });
});

test('a cancel does not wait for a checkpoint: a job still busy after a moment is killed and ends cancelled', async (t) => {
  // A long grace period (pause and Loci closing get it), yet the cancel ends in about CANCEL_GRACE_MS.
  const { h, launcher, runner } = await setup(t, { stopGraceMs: 60_000 });
  const a = runner.start(h.project, 'k', {}, { device: false });
  const asked = runner.cancel(h.project, a.id);
  assert.equal(asked.message, 'Cancelling');
  const w = launcher.worker(a.id);
  assert.deepEqual(w.received.at(-1), { type: 'stop', reason: 'cancel' });
  await sleep(CANCEL_GRACE_MS + 200);
  assert.deepEqual(w.killed, ['SIGKILL']);
  w.exit(null, 'SIGKILL');
  const end = runner.get(h.project, a.id);
  assert.deepEqual([end.state, end.message], ['cancelled', 'Cancelled']);
  assert.ok(CANCEL_GRACE_MS <= 2000, 'cancel within two seconds');
});
