// genomeView.* through dispatch on small generated files: the reference registered by id and served
// by byte range, per-window features of region sets and datasets (checked against a brute-force
// overlap), the locus search, track files by reference with bad files refused, and the settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRegisteredFile } from '../../../main/transport/files';
import { parseLocus, trackFormatOf } from '../../../main/api/genome-view';
import { harness } from './helpers';
import { CHR1, CHR2, rejection, writeGenome, writeSites } from './data-helpers';

async function setup(t: { after(fn: () => void): void }) {
  const h = harness(t);
  const project = (await h.call('projects.create', { name: 'View', path: join(h.dir, 'view.loci') })).path;
  const g = await h.call('genomes.import', { project, path: writeGenome(h.dir), name: 'Toy' });
  const set = await h.call('regions.import', { project, path: writeSites(h.dir), genomeId: g.id, name: 'sites' });
  return { h, project, genomeId: g.id, setId: set.id };
}

async function body(stream: NodeJS.ReadableStream | null): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream ?? []) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

test('genomeView.reference registers the FASTA and its .fai by id; a byte range reads the right bases', async (t) => {
  const { h, project, genomeId } = await setup(t);
  const none = await rejection(h.call('genomeView.reference', { project: (await h.call('projects.create', { name: 'Empty', path: join(h.dir, 'e.loci') })).path }));
  assert.match(none.message, /has no genome yet/);
  const ref = await h.call('genomeView.reference', { project });
  assert.equal(ref.genomeId, genomeId);
  assert.deepEqual(ref.chromosomes, [{ name: 'chr1', length: CHR1.length }, { name: 'chr2', length: CHR2.length }]);
  assert.equal(ref.compressedIndexFileId, null);
  assert.doesNotMatch(JSON.stringify(ref), /\//, 'no path reaches the renderer');
  const fai = await readRegisteredFile(h.ctx.files, ref.indexFileId, undefined);
  const [, , offset] = (await body(fai.body)).split('\n')[0]!.split('\t').map(Number);
  // chr1's bases 0..9 are the 10 bytes at its offset (60 bases a line).
  const slice = await readRegisteredFile(h.ctx.files, ref.fastaFileId, `bytes=${offset!}-${offset! + 9}`);
  assert.equal(slice.status, 206);
  assert.equal(await body(slice.body), CHR1.slice(0, 10));
});

test('genomeView.features returns exactly the features overlapping a window, for region sets and datasets', async (t) => {
  const { h, project, genomeId, setId } = await setup(t);
  const all = await h.call('genomeView.features', { project, source: { kind: 'regionSet', id: setId }, chrom: 'chr1', start: 0, end: CHR1.length });
  // writeSites puts 1-bp sites every 700 bp from 500.
  const expected = [];
  for (let p = 500; p < CHR1.length - 500; p += 700) expected.push(p);
  assert.deepEqual(all.features.map((f) => f.start), expected);
  for (const [start, end] of [[0, 1], [500, 501], [499, 500], [1199, 1201], [10_000, 12_345]] as const) {
    const got = await h.call('genomeView.features', { project, source: { kind: 'regionSet', id: setId }, chrom: 'chr1', start, end });
    assert.deepEqual(got.features.map((f) => f.start), expected.filter((p) => p < end && p + 1 > start), `window ${start}-${end}`);
  }
  const cut = await h.call('genomeView.features', { project, source: { kind: 'regionSet', id: setId }, chrom: 'chr1', start: 0, end: CHR1.length, limit: 3 });
  assert.equal(cut.features.length, 3);
  assert.equal(cut.truncated, true);
  assert.equal(all.features[0]!.name, 'site1');

  const ds = await h.call('datasets.build', {
    project,
    name: 'Sites',
    spec: { source: 'regions', genomeId, regionSets: [{ id: setId, label: 'site' }], window: { mode: 'centred', length: 200 }, negatives: { strategy: 'random', ratio: 1, margin: 50 }, split: { kind: 'random', fractions: { train: 0.6, dev: 0.2, test: 0.2 } }, seed: 1 },
  });
  const items = await h.call('genomeView.features', { project, source: { kind: 'dataset', id: ds.id }, chrom: 'chr1', start: 1000, end: 5000 });
  assert.ok(items.features.length > 0);
  for (const f of items.features) {
    assert.ok(f.start < 5000 && f.end > 1000);
    assert.ok(f.split && ['train', 'dev', 'test'].includes(f.split));
    assert.ok(f.label === 'site' || f.label === 'background');
  }
  // Long features reach into a window from far to its left.
  const tracks = await h.call('genomeView.tracks', { project, genomeId });
  assert.deepEqual(tracks.regionSets.map((s) => s.name), ['sites']);
  assert.deepEqual(tracks.datasets.map((d) => [d.name, d.classes]), [['Sites', ds.classes]]);
  assert.equal((await rejection(h.call('genomeView.features', { project, source: { kind: 'regionSet', id: 99 }, chrom: 'chr1', start: 0, end: 10 }))).code, 'not_found');
});

test('genomeView.search: coordinates, chromosome names, feature names (exact then prefix); clear errors', async (t) => {
  const { h, project, genomeId } = await setup(t);
  const search = (query: string) => h.call('genomeView.search', { project, genomeId, query });
  assert.deepEqual((await search('chr1:1,001-2,000')).matches, [{ chrom: 'chr1', start: 1000, end: 2000, name: 'chr1:1,001-2,000', source: 'locus' }]);
  assert.deepEqual((await search('CHR2')).matches, [{ chrom: 'chr2', start: 0, end: CHR2.length, name: 'chr2', source: 'chromosome' }]);
  const site3 = (await search('site3')).matches;
  assert.deepEqual(site3[0], { chrom: 'chr1', start: 1900, end: 1901, name: 'site3', source: 'sites' });
  assert.deepEqual(site3.slice(1).map((m) => m.name).slice(0, 3), ['site30', 'site31', 'site32'], 'then names that start with it');
  assert.deepEqual((await search('nosuch')).matches, []);
  assert.match((await rejection(search('chrX:1-10'))).message, /No chromosome "chrX"/);
  assert.match((await rejection(search(`chr2:${CHR2.length + 5}-${CHR2.length + 10}`))).message, /past its end/);
  assert.deepEqual(parseLocus('chr1:5', new Map([['chr1', 10]])), { chrom: 'chr1', start: 4, end: 5 });
  assert.equal(parseLocus('chr1', new Map([['chr1', 10]])), null);
});

test('genomeView track files: by reference, formats by name and content, indexes required, missing files reported', async (t) => {
  const { h, project, genomeId } = await setup(t);
  assert.equal(trackFormatOf('/x/a.bigWig'), 'bigwig');
  assert.equal(trackFormatOf('/x/a.bedGraph.gz'), 'bedgraph');
  assert.equal(trackFormatOf('/x/a.gff'), 'gff3');
  assert.equal(trackFormatOf('/x/a.vcf'), undefined);
  const add = (path: string, extra: { indexPath?: string } = {}) => h.call('genomeView.addTrackFile', { project, genomeId, path, ...extra });
  const bg = join(h.dir, 'signal.bedgraph');
  writeFileSync(bg, 'chr1\t0\t100\t1.5\n');
  const f = await add(bg);
  assert.equal(f.format, 'bedgraph');
  assert.equal(f.problem, '');
  assert.ok(f.fileId);
  assert.equal(h.ctx.files.resolve(f.fileId), bg);

  const txt = join(h.dir, 'notes.txt');
  writeFileSync(txt, 'x');
  assert.match((await rejection(add(txt))).message, /not a track format the view reads/);
  assert.equal((await rejection(add(join(h.dir, 'none.bw')))).code, 'not_found');
  const fakeBw = join(h.dir, 'fake.bw');
  writeFileSync(fakeBw, 'hello');
  assert.match((await rejection(add(fakeBw))).message, /named like a bigWig file but is not one/);
  const bam = join(h.dir, 'reads.bam');
  writeFileSync(bam, Buffer.from([0x1f, 0x8b, 8, 4, 0, 0]));
  assert.match((await rejection(add(bam))).message, /no index next to it \(\.bai or \.csi\)/);
  writeFileSync(`${bam}.bai`, Buffer.from('BAI\x01'));
  const withIndex = await add(bam);
  assert.equal(withIndex.indexPath, `${bam}.bai`);
  assert.ok(withIndex.indexFileId);
  const plainGz = join(h.dir, 'peaks.bed.gz');
  writeFileSync(plainGz, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]));
  assert.match((await rejection(add(plainGz))).message, /not bgzip-compressed/);

  // A file moved away: listed with its problem and no id, not an error.
  const { renameSync } = await import('node:fs');
  renameSync(bg, `${bg}.moved`);
  const listed = (await h.call('genomeView.tracks', { project, genomeId })).files;
  assert.deepEqual(listed.map((x) => [x.format, x.fileId === null, /missing/.test(x.problem)]), [['bedgraph', true, true], ['bam', false, false]]);
  await h.call('genomeView.removeTrackFile', { project, id: f.id });
  assert.deepEqual((await h.call('genomeView.tracks', { project, genomeId })).files.map((x) => x.id), [withIndex.id]);
  assert.equal((await rejection(h.call('genomeView.removeTrackFile', { project, id: f.id }))).code, 'not_found');
});

test('genomeView.settings: defaults, locus and tracks kept per genome, the last genome remembered', async (t) => {
  const { h, project, genomeId } = await setup(t);
  assert.deepEqual(await h.call('genomeView.settings.get', { project }), { genomeId, locus: null, tracks: [] });
  await h.call('genomeView.settings.set', { project, genomeId, locus: 'chr2:101-200' });
  await h.call('genomeView.settings.set', { project, genomeId, tracks: [{ key: 'regionSet:1', visible: false, color: '#112233', height: 40 }] });
  assert.deepEqual(await h.call('genomeView.settings.get', { project }), { genomeId, locus: 'chr2:101-200', tracks: [{ key: 'regionSet:1', visible: false, color: '#112233', height: 40 }] });
  const dup = await rejection(h.call('genomeView.settings.set', { project, genomeId, tracks: [{ key: 'a', visible: true }, { key: 'a', visible: false }] }));
  assert.match(dup.message, /listed twice/);
  assert.equal((await rejection(h.call('genomeView.settings.set', { project, genomeId, tracks: [{ key: 'a', visible: true, color: 'red' }] }))).code, 'invalid_input');
  const other = join(h.dir, 'other.fa');
  writeFileSync(other, '>x\nACGTACGT\n');
  const g2 = await h.call('genomes.import', { project, path: other, name: 'Other' });
  await h.call('genomeView.settings.set', { project, genomeId: g2.id, locus: 'x:1-8' });
  assert.equal((await h.call('genomeView.settings.get', { project })).genomeId, g2.id, 'the genome shown last');
  assert.equal((await h.call('genomeView.settings.get', { project, genomeId })).locus, 'chr2:101-200');
  assert.equal((await h.call('genomeView.reference', { project })).genomeId, g2.id);
});
