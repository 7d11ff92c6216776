// Issue 11 points the other scan tests do not show: a BED of regions (merged, only their bases
// scored), one chromosome by name, forward-only and reverse-only scans (their track is the
// both-strand scan's strand track), a three-class model (a track per class; per base the classes'
// mean probabilities sum to 1), cancelling a running scan (nothing stored, the project sound), and a
// genome file moved since import (a clear error naming it, nothing stored).
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BigWig } from '@gmod/bbi';
import { LocalFile } from 'generic-filehandle2';
import { waitForScan } from '../../main/api/scans';
import { integrity } from './finetune-job-fixture';
import { scanHarness, writeKmerClassifier, type ScanHarness } from './scan-fixture';

/** Per-base scores of an exported bigWig over [0, length) of one sequence (NaN where unscored). */
async function perBase(h: ScanHarness, scanId: number, classIndex: number, strand: 'combined' | 'forward' | 'reverse', chrom: string, length: number): Promise<Float64Array> {
  const out = join(h.dir, `s${scanId}-${classIndex}-${strand}.bw`);
  await h.call('scans.export', { project: h.project, scanId, classIndex, format: 'bigwig', out, strand });
  const v = new Float64Array(length).fill(NaN);
  for (const f of (await new BigWig({ filehandle: new LocalFile(out) }).getFeatures(chrom, 0, length)) as { start: number; end: number; score: number }[]) v.fill(f.score, f.start, f.end);
  return v;
}

const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

test('BED and chromosome targets, one-strand scans, a three-class model', { timeout: 300_000 }, async (t) => {
  const h = await scanHarness(t, { chr1: 24_000, chr2: 9_000 });
  const base = { project: h.project, modelId: h.modelId, window: 60, backend: 'wasm' as const };
  const run = async (input: Omit<Parameters<typeof h.call<'scans.start'>>[1], 'project' | 'backend'>) => {
    const { scanId } = await h.call('scans.start', { ...base, ...input });
    const s = await waitForScan(h.ctx, h.project, scanId);
    assert.equal(s.state, 'done', s.error ?? '');
    return s;
  };

  // A BED with overlapping and touching regions: merged, and only their bases are scored.
  const bed = join(h.dir, 'targets.bed');
  writeFileSync(bed, 'chr1\t1000\t3000\nchr1\t2500\t4000\nchr1\t4000\t4500\nchr2\t100\t130\nchr1\t10000\t12000\n');
  const b = await run({ target: { kind: 'bed', path: bed }, strand: 'forward' });
  assert.equal(b.bpTotal, 3500 + 2000 + 30);
  const chr1 = await perBase(h, b.id, 1, 'combined', 'chr1', 24_000);
  const scored = (v: Float64Array) => v.reduce<number[]>((acc, x, i) => (Number.isNaN(x) ? acc : (acc.push(i), acc)), []);
  const s1 = scored(chr1);
  assert.equal(s1.length, 5500);
  assert.ok(s1.every((i) => (i >= 1000 && i < 4500) || (i >= 10_000 && i < 12_000)), 'only BED bases are scored');
  assert.equal(scored(await perBase(h, b.id, 1, 'combined', 'chr2', 9000)).length, 30, 'a region shorter than the window is one window');
  const low = await h.call('scans.regions', { project: h.project, scanId: b.id, classIndex: 1, threshold: 0 });
  assert.deepEqual(low.regions.map((r) => [r.chrom, r.start, r.end]), [['chr1', 1000, 4500], ['chr1', 10_000, 12_000], ['chr2', 100, 130]], 'called regions stop at the BED gaps');

  // One chromosome by name; both strands, then each strand alone, with a model whose scores vary.
  const sharp = await h.call('models.importFolder', { project: h.project, path: await writeKmerClassifier(join(h.dir, 'sharp'), { seed: 6, initializerRange: 0.5 }), name: 'sharp' });
  base.modelId = sharp.id;
  const both = await run({ target: { kind: 'chrom', chrom: 'chr2' }, strand: 'both', combine: 'mean' });
  assert.equal(both.bpTotal, 9000);
  const fwd = await run({ target: { kind: 'chrom', chrom: 'chr2' }, strand: 'forward' });
  const rev = await run({ target: { kind: 'chrom', chrom: 'chr2' }, strand: 'reverse' });
  const bothF = await perBase(h, both.id, 1, 'forward', 'chr2', 9000);
  const bothR = await perBase(h, both.id, 1, 'reverse', 'chr2', 9000);
  const bothC = await perBase(h, both.id, 1, 'combined', 'chr2', 9000);
  const onlyF = await perBase(h, fwd.id, 1, 'combined', 'chr2', 9000);
  const onlyR = await perBase(h, rev.id, 1, 'combined', 'chr2', 9000);
  assert.ok(!onlyF.some(Number.isNaN), 'every base of chr2 is scored');
  // Batches differ (one strand vs both): the same windows agree to float32 rounding.
  assert.ok(maxDiff(onlyF, bothF) < 1e-5, `forward-only vs both's forward: ${maxDiff(onlyF, bothF)}`);
  assert.ok(maxDiff(onlyR, bothR) < 1e-5, `reverse-only vs both's reverse: ${maxDiff(onlyR, bothR)}`);
  t.diagnostic(`forward-only scores ${Math.min(...onlyF).toFixed(4)}..${Math.max(...onlyF).toFixed(4)}; |forward - reverse| up to ${maxDiff(onlyF, onlyR).toFixed(4)}`);
  assert.ok(maxDiff(onlyF, onlyR) > 0.01, 'the reverse complement scores differently');
  const mean = bothF.map((x, i) => (x + bothR[i]!) / 2);
  assert.ok(maxDiff(bothC, mean) < 1e-5, 'combined = mean of the strands');
  await assert.rejects(h.call('scans.track', { project: h.project, scanId: fwd.id, classIndex: 1, strand: 'reverse' }), /no reverse track for class 1 \(per-strand tracks exist for strand "both"\)/);
  const at = await h.call('scans.scoreAt', { project: h.project, scanId: rev.id, chrom: 'chr2', position: 4321 });
  assert.equal(at.perClass[0]!.forward, null, 'a reverse-only scan has no forward score');
  assert.ok(Math.abs(at.perClass[0]!.reverse! - onlyR[4321]!) < 1e-7);

  // Three classes: every class gets its tracks; the classes' mean probabilities sum to 1 per base.
  const three = await h.call('models.importFolder', { project: h.project, path: await writeKmerClassifier(join(h.dir, 'clf3'), { numLabels: 3, seed: 8, initializerRange: 0.5 }), name: 'three' });
  const { scanId } = await h.call('scans.start', { ...base, modelId: three.id, target: { kind: 'region', chrom: 'chr1', start: 5000, end: 8000 }, strand: 'both', combine: 'mean' });
  const m = await waitForScan(h.ctx, h.project, scanId);
  assert.equal(m.state, 'done', m.error ?? '');
  assert.deepEqual(m.classesOfInterest, [0, 1, 2]);
  assert.equal(m.thresholds.length, 3);
  const per = await Promise.all([0, 1, 2].map((k) => perBase(h, scanId, k, 'combined', 'chr1', 24_000)));
  let worst = 0;
  for (let i = 5000; i < 8000; i++) worst = Math.max(worst, Math.abs(per[0]![i]! + per[1]![i]! + per[2]![i]! - 1));
  assert.ok(worst < 1e-5, `class scores sum to 1 within ${worst}`);
  assert.ok(Number.isNaN(per[0]![4999]!) && Number.isNaN(per[0]![8000]!), 'nothing outside the region');
  assert.equal(integrity(h.project), 'ok');
});

test('a cancelled scan stores nothing; a genome moved since import is refused by name', { timeout: 300_000 }, async (t) => {
  const h = await scanHarness(t, { chr1: 400_000 });
  const { scanId, jobId } = await h.call('scans.start', { project: h.project, modelId: h.modelId, window: 60, strand: 'both', backend: 'wasm' });
  await h.until(jobId, (p) => (p.step ?? 0) >= 100_000, 120_000);
  await h.call('jobs.cancel', { project: h.project, jobId });
  const s = await waitForScan(h.ctx, h.project, scanId);
  assert.equal(s.state, 'cancelled');
  assert.ok(s.bpDone < 400_000);
  assert.equal(s.storedBytes, 0);
  await assert.rejects(h.call('scans.track', { project: h.project, scanId, classIndex: 1 }), /Scan \d+ is cancelled: its tracks exist once it is done/);
  assert.equal(integrity(h.project), 'ok');
  await h.call('scans.remove', { project: h.project, scanId });
  assert.deepEqual(await h.call('scans.list', { project: h.project }), []);

  renameSync(h.fasta, `${h.fasta}.moved`);
  await assert.rejects(h.call('scans.start', { project: h.project, modelId: h.modelId, window: 60, backend: 'wasm' }), (e: Error) => {
    assert.match(e.message, /Genome "toy" cannot be read: .*genome\.fa.*Relocate it/);
    return true;
  });
  assert.deepEqual(await h.call('scans.list', { project: h.project }), [], 'nothing stored');
});
