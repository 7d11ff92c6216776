// A scan stopped midway continues from its last finished chunk and writes the same bytes as a scan
// that ran straight through: after a pause + resume, and after its worker is killed with SIGKILL
// (the project passes PRAGMA integrity_check and the scan says what happened). With 2 workers
// (engine instances) the scores are 1 worker's to 1e-4, and pause + resume again gives the same bytes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectDb } from '../../main/api/projects';
import { waitForScan } from '../../main/api/scans';
import { integrity } from './finetune-job-fixture';
import { scanHarness, writeKmerClassifier, type ScanHarness } from './scan-fixture';

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
  const straightInfo = await waitForScan(h.ctx, h.project, straight.scanId);
  assert.equal(straightInfo.state, 'done');
  // Stored once: one row per track (combined, forward, reverse) and the same bytes as the straight scan.
  const storedOnce = (scanId: number, info: { storedBytes: number }) => {
    const rows = projectDb(h.ctx, h.project).prepare('SELECT COUNT(*) AS n FROM tracks WHERE run_id = ?').get(scanId) as { n: number };
    assert.equal(rows.n, 3, `scan ${scanId}: ${rows.n} track rows`);
    assert.equal(info.storedBytes, straightInfo.storedBytes);
  };
  storedOnce(straight.scanId, straightInfo);
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
  storedOnce(paused.scanId, resumed);
  // Asking again (as the UI does on every list) stores nothing more.
  storedOnce(paused.scanId, await waitForScan(h.ctx, h.project, paused.scanId));

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
  storedOnce(killed.scanId, after);
  assert.equal(integrity(h.project), 'ok');
});

test('2 workers: the per-base scores of 1 worker to 1e-4 and the same called regions; pause + resume gives the same bytes', { timeout: 300_000 }, async (t) => {
  const h = await scanHarness(t, { chr1: 210_000 });
  // Wide initial weights spread the scores over [0, 1], so a threshold cuts through them.
  const model = await h.call('models.importFolder', { project: h.project, path: await writeKmerClassifier(join(h.dir, 'clf-wide'), { initializerRange: 0.5 }), name: 'clf-wide' });
  const settings = { project: h.project, modelId: model.id, window: 60, strand: 'both' as const, combine: 'mean' as const, backend: 'wasm' as const };
  const scanWith = async (workers: number) => {
    const s = await h.call('scans.start', { ...settings, workers });
    const info = await waitForScan(h.ctx, h.project, s.scanId);
    assert.equal(info.state, 'done', info.error ?? '');
    assert.equal(info.settings.workers, workers, 'stored with the settings');
    return s;
  };
  const one = await scanWith(1);
  const two = await scanWith(2);
  assert.ok(h.logs.some((l) => l.jobId === two.jobId && /scanning with 2 engine instances/.test(l.line)), 'the 2-worker scan used a worker thread');
  assert.ok(!h.logs.some((l) => l.jobId === one.jobId && /engine instances/.test(l.line)));

  const bedGraph = async (scanId: number) => {
    const out = join(h.dir, `scan-${scanId}.bedgraph`);
    await h.call('scans.export', { project: h.project, scanId, classIndex: 1, format: 'bedgraph', out });
    // Per base, so that runs of equal values split differently still compare.
    const perBase = new Float64Array(210_000).fill(NaN);
    for (const line of readFileSync(out, 'utf8').trim().split('\n').slice(1)) {
      const [, s, e, v] = line.split('\t');
      perBase.fill(Number(v), Number(s), Number(e));
    }
    return perBase;
  };
  const [a, b] = [await bedGraph(one.scanId), await bedGraph(two.scanId)];
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
  assert.ok(maxDiff <= 1e-4, `per-base scores, 1 vs 2 workers: max |diff| ${maxDiff}`);
  t.diagnostic(`per-base scores, 1 vs 2 workers: max |diff| ${maxDiff.toExponential(2)}`);
  const regions = async (scanId: number) => (await h.call('scans.regions', { project: h.project, scanId, classIndex: 1, threshold: 0.5 })).regions;
  const [ra, rb] = [await regions(one.scanId), await regions(two.scanId)];
  assert.ok(ra.length > 1, `${ra.length} region(s) at 0.5`);
  assert.deepEqual(rb.map((r) => [r.chrom, r.start, r.end]), ra.map((r) => [r.chrom, r.start, r.end]));
  rb.forEach((r, i) => assert.ok(Math.abs(r.meanScore - ra[i]!.meanScore) <= 1e-4 && Math.abs(r.maxScore - ra[i]!.maxScore) <= 1e-4));

  // Paused after the first chunk and resumed (a new process, new threads): the straight run's bytes.
  const reference = await exported(h, two.scanId, 'two.bw');
  const paused = await h.call('scans.start', { ...settings, workers: 2 });
  await h.until(paused.jobId, (p) => (p.step ?? 0) >= 100_000, 120_000);
  await h.call('jobs.pause', { project: h.project, jobId: paused.jobId });
  assert.equal((await waitForScan(h.ctx, h.project, paused.scanId)).state, 'paused');
  await h.call('jobs.resume', { project: h.project, jobId: paused.jobId });
  const resumed = await waitForScan(h.ctx, h.project, paused.scanId);
  assert.equal(resumed.state, 'done', resumed.error ?? '');
  assert.ok(h.logs.some((l) => l.jobId === paused.jobId && /resuming after chunk [12] of 3/.test(l.line)), 'it resumed from a checkpoint');
  assert.ok((await exported(h, paused.scanId, 'two-paused.bw')).equals(reference), '2 workers, pause + resume: same bytes');
});
