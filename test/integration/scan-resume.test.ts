// A scan stopped midway continues from its last finished chunk and writes the same bytes as a scan
// that ran straight through: after a pause + resume, and after its worker is killed with SIGKILL
// (the project passes PRAGMA integrity_check and the scan says what happened).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectDb } from '../../main/api/projects';
import { waitForScan } from '../../main/api/scans';
import { integrity } from './finetune-job-fixture';
import { scanHarness, type ScanHarness } from './scan-fixture';

async function exported(h: ScanHarness, scanId: number, name: string): Promise<Buffer> {
  const out = join(h.dir, name);
  await h.call('scans.export', { project: h.project, scanId, classIndex: 1, format: 'bigwig', out });
  return readFileSync(out);
}

test('pause + resume, and SIGKILL + resume, give a byte-identical track', { timeout: 300_000 }, async (t) => {
  // 210 kb in 100 kb chunks: three chunks, so there is a finished chunk to resume after.
  const h = await scanHarness(t, { chr1: 210_000 });
  const settings = { project: h.project, modelId: h.modelId, window: 60, strand: 'both' as const, combine: 'max' as const, backend: 'wasm' as const };

  const straight = await h.call('scans.start', settings);
  assert.equal((await waitForScan(h.ctx, h.project, straight.scanId)).state, 'done');
  const reference = await exported(h, straight.scanId, 'straight.bw');

  // Pause after the first chunk.
  const paused = await h.call('scans.start', settings);
  await h.until(paused.jobId, (p) => (p.step ?? 0) >= 100_000, 120_000);
  await h.call('jobs.pause', { project: h.project, jobId: paused.jobId });
  const mid = await waitForScan(h.ctx, h.project, paused.scanId);
  assert.equal(mid.state, 'paused');
  assert.ok(mid.bpDone >= 100_000 && mid.bpDone < 210_000, `paused at ${mid.bpDone}`);
  await h.call('jobs.resume', { project: h.project, jobId: paused.jobId });
  const resumed = await waitForScan(h.ctx, h.project, paused.scanId);
  assert.equal(resumed.state, 'done', resumed.error ?? '');
  assert.ok(h.logs.some((l) => l.jobId === paused.jobId && /resuming after chunk [12] of 3/.test(l.line)), 'it resumed from a checkpoint');
  assert.ok((await exported(h, paused.scanId, 'paused.bw')).equals(reference), 'pause + resume: same bytes');

  // SIGKILL of the worker after the first chunk.
  const killed = await h.call('scans.start', settings);
  await h.until(killed.jobId, (p) => (p.step ?? 0) >= 100_000, 120_000);
  const { pid } = projectDb(h.ctx, h.project).prepare('SELECT worker_pid AS pid FROM jobs WHERE id = ?').get(killed.jobId) as { pid: number };
  process.kill(pid, 'SIGKILL');
  const failed = await waitForScan(h.ctx, h.project, killed.scanId);
  assert.equal(failed.state, 'failed');
  assert.match(failed.error ?? '', /SIGKILL/);
  assert.equal(failed.storedBytes, 0, 'nothing stored half-way');
  assert.equal(integrity(h.project), 'ok');
  await h.call('jobs.resume', { project: h.project, jobId: killed.jobId });
  const after = await waitForScan(h.ctx, h.project, killed.scanId);
  assert.equal(after.state, 'done', after.error ?? '');
  assert.ok((await exported(h, killed.scanId, 'killed.bw')).equals(reference), 'SIGKILL + resume: same bytes');
  assert.equal(integrity(h.project), 'ok');
});
