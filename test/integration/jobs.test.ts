// The job runner with real worker processes (the TypeScript worker under tsx, plus the test-only
// kinds of test/unit/jobs/fixtures/kinds.ts): progress through the bus, cancel, pause and resume
// from a checkpoint, and the device queue. Crashes are in jobs-crash.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ApiError } from '../../shared/contract/errors';
import { JobLog, JobProgress } from '../../shared/contract/events';
import { startJob } from '../../main/jobs/index';
import { jobsHarness } from '../unit/jobs/fixtures/harness';
import { readCounter, type CountResult } from '../unit/jobs/fixtures/kinds';

test('a job reports throttled progress and log lines through the bus, and ends done with its result', async (t) => {
  const h = await jobsHarness(t);
  const job = startJob(h.ctx, h.project, 'test.count', { steps: 40, stepMs: 5 });
  assert.equal(job.kind, 'test.count');
  assert.equal(job.device, true);
  const end = await h.settled(job.id);

  assert.equal(end.state, 'done');
  assert.deepEqual(end.result, { count: 40, startedFrom: 0 } satisfies CountResult);
  assert.equal(end.fraction, 1);
  assert.equal(end.step, 40);
  assert.equal(end.total, 40);
  assert.equal(end.metrics.loss, 1 / 40);
  assert.equal(end.attempts, 1);
  assert.ok(end.startedAt && end.endedAt && end.endedAt >= end.startedAt);

  const events = h.progress.filter((p) => p.jobId === job.id);
  assert.deepEqual([events[0]?.state, events.at(-1)?.state], ['queued', 'done']);
  const running = events.filter((p) => p.state === 'running' && typeof p.step === 'number');
  assert.ok(running.length >= 2, `some progress arrived (${running.length} events)`);
  // 40 steps in ~200+ ms at 10 events/s: throttled well below one event per step, never out of order.
  assert.ok(running.length < 40, `throttled: ${running.length} events for 40 steps`);
  const steps = running.map((p) => p.step ?? 0);
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
  assert.equal(events.every((p) => p.project === h.project && p.kind === 'test.count'), true);
  // What the transports forward matches the contract's event schemas.
  for (const e of events) JobProgress.parse(e);
  for (const l of h.logs) JobLog.parse(l);

  assert.deepEqual(h.logs.filter((l) => l.jobId === job.id).map((l) => l.line), ['attempt 1: starting from step 0', 'finished at step 40']);
  const log = await h.call('jobs.log', { project: h.project, jobId: job.id, tail: 3 });
  assert.equal(log.lines.length, 3);
  assert.match(log.lines[1] ?? '', /INFO {2}finished at step 40$/);
  assert.equal(log.truncated, true);
  assert.match(readFileSync(end.logPath ?? '', 'utf8'), /starting from step 0/);

  const listed = await h.call('jobs.list', { project: h.project });
  assert.deepEqual(listed.map((j) => [j.id, j.state]), [[job.id, 'done']]);
});

test('cancel stops a running job, which saves its checkpoint and ends cancelled for good', async (t) => {
  const h = await jobsHarness(t);
  const job = startJob(h.ctx, h.project, 'test.count', { steps: 500, stepMs: 10 });
  await h.until(job.id, (p) => (p.step ?? 0) >= 3);
  const asked = await h.call('jobs.cancel', { project: h.project, jobId: job.id });
  assert.equal(asked.state, 'running');
  assert.equal(asked.message, 'Cancelling');
  const end = await h.settled(job.id);
  assert.equal(end.state, 'cancelled');
  const saved = readCounter(end.checkpointDir ?? '');
  assert.ok(saved !== null && saved >= 3 && saved < 500, `checkpoint at step ${saved}`);
  assert.equal(end.step, saved);
  await assert.rejects(h.call('jobs.resume', { project: h.project, jobId: job.id }), (err: ApiError) => {
    assert.equal(err.code, 'conflict');
    assert.match(err.message, /Cannot resume job .*: it is cancelled/);
    return true;
  });
});

test('pause saves a checkpoint; resume starts a new process that continues from it, not from 0', async (t) => {
  const h = await jobsHarness(t);
  const job = startJob(h.ctx, h.project, 'test.count', { steps: 60, stepMs: 15, checkpointEvery: 1000 });
  await h.until(job.id, (p) => (p.step ?? 0) >= 4);
  await h.call('jobs.pause', { project: h.project, jobId: job.id });
  const paused = await h.settled(job.id);
  assert.equal(paused.state, 'paused');
  const saved = readCounter(paused.checkpointDir ?? '') ?? -1;
  assert.ok(saved >= 4 && saved < 60, `paused at step ${saved}`);

  const resumed = await h.call('jobs.resume', { project: h.project, jobId: job.id });
  assert.equal(resumed.state, 'running');
  const end = await h.settled(job.id);
  assert.equal(end.state, 'done');
  assert.deepEqual(end.result, { count: 60, startedFrom: saved });
  assert.equal(end.attempts, 2);
  const lines = h.logs.filter((l) => l.jobId === job.id).map((l) => l.line);
  assert.deepEqual(lines, ['attempt 1: starting from step 0', `stopped (pause) at step ${saved}; checkpoint saved`, `attempt 2: starting from step ${saved}`, 'finished at step 60']);
});

test('device jobs run one at a time in the order queued; other jobs run beside them', async (t) => {
  const h = await jobsHarness(t);
  const first = startJob(h.ctx, h.project, 'test.count', { steps: 6, stepMs: 20 });
  const second = startJob(h.ctx, h.project, 'test.count', { steps: 3, stepMs: 5 });
  const third = startJob(h.ctx, h.project, 'test.count', { steps: 3, stepMs: 5 }, { device: true });
  const light = startJob(h.ctx, h.project, 'test.count', { steps: 3, stepMs: 5 }, { device: false });
  assert.deepEqual([first.state, second.state, third.state, light.state], ['running', 'queued', 'queued', 'running']);
  const queued = await h.call('jobs.list', { project: h.project, states: ['queued'] });
  assert.deepEqual(queued.map((j) => j.id).sort(), [second.id, third.id].sort());

  const ends = await Promise.all([first, second, third, light].map((j) => h.settled(j.id)));
  assert.deepEqual(ends.map((e) => e.state), ['done', 'done', 'done', 'done']);
  const [a, b, c] = ends;
  // Each device job started after the previous one ended.
  assert.ok((b?.startedAt ?? '') >= (a?.endedAt ?? 'z'), 'second started after the first ended');
  assert.ok((c?.startedAt ?? '') >= (b?.endedAt ?? 'z'), 'third started after the second ended');
  assert.ok((ends[3]?.startedAt ?? 'z') < (a?.endedAt ?? ''), 'the light job did not wait');
});
