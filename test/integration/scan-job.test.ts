// The scan job end to end through the services: a scan of a generated genome with a tiny
// classifier stores bigWig tracks in the project that @gmod/bbi reads back with the per-base means
// the windows imply, called regions follow the threshold without a rescan, tracks are served by
// byte range, exports are written, pause + resume gives the same bytes, and SIGKILL leaves a
// resumable scan and a sound project file.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BigWig } from '@gmod/bbi';
import { LocalFile } from 'generic-filehandle2';
import { waitForScan } from '../../main/api/scans';
import { readRegisteredFile } from '../../main/transport/files';
import { integrity } from './finetune-job-fixture';
import { scanHarness } from './scan-fixture';

async function bodyOf(reply: Awaited<ReturnType<typeof readRegisteredFile>>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of reply.body!) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

test('a scan stores per-strand bigWig tracks in the project; regions, scores, exports and range reads work', { timeout: 180_000 }, async (t) => {
  const h = await scanHarness(t);
  const { scanId, jobId } = await h.call('scans.start', { project: h.project, modelId: h.modelId, window: 60, strand: 'both', combine: 'mean', backend: 'wasm' });
  assert.ok(jobId);
  const done = await waitForScan(h.ctx, h.project, scanId);
  assert.equal(done.state, 'done', done.error ?? '');
  assert.equal(done.settings.window, 60);
  assert.equal(done.settings.stride, 30, 'stride defaults to half the window');
  assert.equal(done.bpTotal, 155_000);
  assert.equal(done.bpDone, 155_000);
  assert.deepEqual(done.classesOfInterest, [1]);
  assert.equal(done.thresholds[0]!.source, 'default-0.5', 'no run: no dev set');
  assert.ok(done.runtimeSeconds! > 0 && done.backend === 'wasm');
  assert.ok(done.storedBytes > 0);

  // Served by byte range from the chunk table: a 206 with exactly the bytes asked for.
  const track = await h.call('scans.track', { project: h.project, scanId, classIndex: 1 });
  const head = await readRegisteredFile(h.ctx.files, track.fileId, 'bytes=0-63');
  assert.equal(head.status, 206);
  const headBytes = await bodyOf(head);
  assert.equal(headBytes.length, 64);
  assert.equal(headBytes.readUInt32LE(0), 0x888ffc26, 'bigWig magic');
  const whole = await bodyOf(await readRegisteredFile(h.ctx.files, track.fileId, null));

  // Exported bigWig = stored bytes; @gmod/bbi reads it; per-base score = mean of the covering windows' scores.
  const bwPath = join(h.dir, 'out.bw');
  await h.call('scans.export', { project: h.project, scanId, classIndex: 1, format: 'bigwig', out: bwPath });
  assert.deepEqual(readFileSync(bwPath), whole);
  const bw = new BigWig({ filehandle: new LocalFile(bwPath) });
  const hdr = await bw.getHeader();
  assert.deepEqual(Object.keys(hdr.refsByName).sort(), ['chr1', 'chr2']);
  assert.ok(hdr.zoomLevels.length >= 2, 'zoom levels');
  const feats = (await bw.getFeatures('chr2', 0, 25_000)) as { start: number; end: number; score: number }[];
  assert.equal(feats[0]!.start, 0);
  assert.equal(feats.at(-1)!.end, 25_000, 'every base of chr2 is covered');
  for (let i = 1; i < feats.length; i++) assert.equal(feats[i]!.start, feats[i - 1]!.end, 'contiguous');
  assert.ok(feats.every((f) => f.score >= 0 && f.score <= 1));

  // Per-strand tracks, and scoreAt agrees: combined = mean of the strands where both windows sets are equal.
  const at = await h.call('scans.scoreAt', { project: h.project, scanId, chrom: 'chr2', position: 1234 });
  const c = at.perClass[0]!;
  assert.ok(c.forward !== null && c.reverse !== null && c.combined !== null);
  assert.ok(Math.abs(c.combined! - (c.forward! + c.reverse!) / 2) < 1e-6, `combined ${c.combined} vs mean of ${c.forward}, ${c.reverse}`);

  // Regions: a lower threshold calls at least as many bases; no rescan needed.
  const high = await h.call('scans.regions', { project: h.project, scanId, classIndex: 1, threshold: 0.99 });
  const low = await h.call('scans.regions', { project: h.project, scanId, classIndex: 1, threshold: 0 });
  assert.equal(low.total, 2, 'threshold 0 calls each whole sequence');
  assert.deepEqual(low.regions.map((r) => [r.chrom, r.start, r.end]), [['chr1', 0, 130_000], ['chr2', 0, 25_000]]);
  assert.ok(high.total <= low.total);
  const mid = feats.map((f) => f.score).sort((a, b) => a - b)[Math.floor(feats.length / 2)]!;
  const info = await h.call('scans.setThreshold', { project: h.project, scanId, classIndex: 1, threshold: mid });
  assert.equal(info.thresholds[0]!.source, 'user');
  const called = await h.call('scans.regions', { project: h.project, scanId, classIndex: 1 });
  assert.equal(called.threshold, mid);
  assert.ok(called.total > 0);
  for (const r of called.regions) assert.ok(r.maxScore >= mid && r.meanScore >= mid && r.meanScore <= r.maxScore && r.end - r.start >= done.settings.minRegionLength);
  const first = called.regions[0]!;
  const next = await h.call('scans.nextRegion', { project: h.project, scanId, classIndex: 1, chrom: first.chrom, position: first.start, direction: 'next' });
  assert.deepEqual(next, called.regions[1] ?? null);
  const prev = await h.call('scans.nextRegion', { project: h.project, scanId, classIndex: 1, chrom: first.chrom, position: first.start, direction: 'previous' });
  assert.equal(prev, null);
  const second = called.regions[1];
  if (second) {
    // From inside a region, "previous" is the one before it, not the one in view.
    const inside = await h.call('scans.nextRegion', { project: h.project, scanId, classIndex: 1, chrom: second.chrom, position: second.start + 1, direction: 'previous' });
    assert.deepEqual(inside, first);
  }

  // bedGraph and BED exports.
  const bg = join(h.dir, 'out.bedgraph');
  await h.call('scans.export', { project: h.project, scanId, classIndex: 1, format: 'bedgraph', out: bg });
  const bgLines = readFileSync(bg, 'utf8').trim().split('\n');
  assert.match(bgLines[0]!, /^track type=bedGraph/);
  assert.equal(bgLines.length - 1, (await bw.getFeatures('chr1', 0, 130_000)).length + feats.length);
  const bed = join(h.dir, 'out.bed');
  await h.call('scans.export', { project: h.project, scanId, classIndex: 1, format: 'bed', out: bed });
  assert.equal(readFileSync(bed, 'utf8').trim().split('\n').length - 1, called.total);

  const list = await h.call('scans.list', { project: h.project });
  assert.deepEqual(list.map((s) => s.id), [scanId]);
  await h.call('scans.remove', { project: h.project, scanId });
  assert.deepEqual(await h.call('scans.list', { project: h.project }), []);
  assert.equal((await readRegisteredFile(h.ctx.files, track.fileId, 'bytes=0-9')).status, 404, 'a removed track is gone');
  assert.equal(integrity(h.project), 'ok');
});

test('bad input: clear errors naming the problem, nothing stored', async (t) => {
  const h = await scanHarness(t, { chr1: 20_000 });
  const base = { project: h.project, modelId: h.modelId, window: 60, backend: 'wasm' as const };
  const fails = async (input: Parameters<typeof h.call<'scans.start'>>[1], pattern: RegExp) => {
    await assert.rejects(h.call('scans.start', input), (e: Error) => {
      assert.match(e.message, pattern);
      return true;
    });
  };
  // A model that is not a classifier.
  const { writeKmerModel } = await import('../unit/api/models-helpers');
  const mlm = await h.call('models.importFolder', { project: h.project, path: await writeKmerModel(join(h.dir, 'mlm')), name: 'mlm-only' });
  await fails({ ...base, modelId: mlm.id }, /"mlm-only" is not a classifier/);
  // A region outside the chromosome; an unknown chromosome.
  await fails({ ...base, target: { kind: 'region', chrom: 'chr1', start: 19_000, end: 21_000 } }, /runs past the end of chr1 \(20,000 bp\)/);
  await fails({ ...base, target: { kind: 'chrom', chrom: 'chrZ' } }, /no sequence named 'chrZ'/);
  // A window longer than the model reads (64 positions = 64 3-mer tokens with [CLS]/[SEP]).
  await fails({ ...base, window: 200 }, /window of 200 bp is up to 200 tokens for "clf", which reads at most 64/);
  // A BED of regions on absent chromosomes: names the file and the line.
  const bedPath = join(h.dir, 'regions.bed');
  writeFileSync(bedPath, 'chr1\t100\t500\nchrX\t10\t90\n');
  await fails({ ...base, target: { kind: 'bed', path: bedPath } }, /regions\.bed:2: chromosome 'chrX' is not in the genome/);
  // A genome file changed since import.
  writeFileSync(h.fasta, readFileSync(h.fasta, 'utf8').replace('>chr1', '>chr1 changed'));
  await fails(base, /changed|different content|bytes, it was/);
  // A tokenizer that cannot read the genome's letters: a genome of IUPAC codes other than ACGT.
  const odd = join(h.dir, 'odd.fa');
  writeFileSync(odd, `>u1\n${'RYKMSW'.repeat(2000)}\n`);
  const g2 = await h.call('genomes.import', { project: h.project, path: odd, name: 'iupac' });
  await fails({ ...base, genomeId: g2.id }, /cannot read genome "iupac": \d+% of the tokens .* are \[UNK\]/);
  assert.deepEqual(await h.call('scans.list', { project: h.project }), [], 'nothing stored');
});
