// genomes.* and regions.* through dispatch, on small generated files: import, statistics, moved and
// changed files, relocation, and every kind of bad input refused with file and line, the project unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, renameSync, truncateSync, utimesSync, writeFileSync, readFileSync } from 'node:fs';
import type { JobProgress } from '../../../shared/contract/events';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { harness, type Harness } from './helpers';
import { CHR1, CHR2, counts, rejection, wrap, writeGenome, writeSites } from './data-helpers';

async function setup(t: { after(fn: () => void): void }) {
  const h = harness(t);
  const project = (await h.call('projects.create', { name: 'Data', path: join(h.dir, 'data.loci') })).path;
  return { h, project };
}

test('genomes.import indexes a FASTA by reference with per-sequence statistics; list, get, remove', async (t) => {
  const { h, project } = await setup(t);
  const fasta = writeGenome(h.dir);
  const events: JobProgress[] = [];
  h.ctx.bus.on('job.progress', (e) => events.push(e));
  const g = await h.call('genomes.import', { project, path: fasta, name: 'Toy' });
  assert.equal(g.name, 'Toy');
  assert.equal(g.path, fasta);
  assert.equal(g.compression, 'none');
  assert.equal(g.status, 'ok');
  assert.equal(g.totalLength, CHR1.length + CHR2.length);
  assert.match(g.checksum, /^[0-9a-f]{64}$/);
  assert.deepEqual(g.sequences.map((s) => [s.name, s.length]), [['chr1', 30_000], ['chr2', 12_000]]);
  const gc = [...CHR1].filter((c) => c === 'G' || c === 'C').length / CHR1.length;
  assert.ok(Math.abs(g.sequences[0]!.gc - gc) < 1e-9);
  assert.equal(g.sequences[0]!.nFraction, 0);
  // It ran as a job (in a worker process): its events carry the job id a UI cancels with.
  assert.deepEqual([events[0]?.state, events.at(-1)?.state], ['queued', 'done']);
  assert.deepEqual(new Set(events.map((e) => `${e.kind} ${e.jobId} ${e.project}`)), new Set([`genome-index ${events[0]!.jobId} ${project}`]));
  const job = await h.call('jobs.get', { project, jobId: events[0]!.jobId });
  assert.equal(job.state, 'done');
  assert.equal(job.device, false);
  assert.equal(existsSync(job.checkpointDir!), false, "the job's folder is removed once its result is stored");
  // The index goes to the data dir's cache, not next to the user's file.
  assert.deepEqual((await h.call('genomes.list', { project })).map((x) => x.id), [g.id]);
  assert.equal((await h.call('projects.info', { path: project })).counts.genomes, 1);

  const again = await rejection(h.call('genomes.import', { project, path: fasta }));
  assert.equal(again.code, 'conflict');
  assert.match(again.message, /already in the project as "Toy"/);

  await h.call('genomes.remove', { project, id: g.id });
  assert.deepEqual(await h.call('genomes.list', { project }), []);
  assert.equal((await rejection(h.call('genomes.get', { project, id: g.id }))).code, 'not_found');
});

test('genomes.verify reports moved and changed files; relocate accepts only the same content', async (t) => {
  const { h, project } = await setup(t);
  const fasta = writeGenome(h.dir);
  const g = await h.call('genomes.import', { project, path: fasta });
  const moved = join(h.dir, 'elsewhere.fa');
  renameSync(fasta, moved);
  const v = await h.call('genomes.verify', { project, id: g.id });
  assert.equal(v.status, 'moved');
  assert.match(v.statusDetail, /no longer exists/);

  const impostor = join(h.dir, 'impostor.fa');
  writeFileSync(impostor, readFileSync(moved, 'utf8').replace('ACGT', 'TTTT'));
  const refused = await rejection(h.call('genomes.relocate', { project, id: g.id, newPath: impostor }));
  assert.equal(refused.code, 'conflict');
  assert.match(refused.message, /not the same file/);

  const relocated = await h.call('genomes.relocate', { project, id: g.id, newPath: moved });
  assert.equal(relocated.path, moved);
  assert.equal(relocated.status, 'ok');

  // Same size, new content and time: changed.
  writeFileSync(moved, readFileSync(impostor));
  utimesSync(moved, new Date(), new Date(Date.now() + 5000));
  const changed = await h.call('genomes.verify', { project, id: g.id });
  assert.equal(changed.status, 'changed');
});

test('a plain-gzip genome is decompressed once into the cache; a truncated one is refused', async (t) => {
  const { h, project } = await setup(t);
  const text = `>chr1\n${wrap(CHR1)}>chr2\n${wrap(CHR2)}`;
  const gz = join(h.dir, 'genome.fa.gz');
  writeFileSync(gz, gzipSync(text));
  const g = await h.call('genomes.import', { project, path: gz });
  assert.equal(g.compression, 'gzip');
  assert.equal(g.name, 'genome');
  assert.equal(g.totalLength, 42_000);

  const cut = join(h.dir, 'cut.fa.gz');
  const full = gzipSync(text.replace(/^>chr1/, '>other1').replace('>chr2', '>other2'));
  writeFileSync(cut, full.subarray(0, full.length >> 1));
  const err = await rejection(h.call('genomes.import', { project, path: cut }));
  assert.equal(err.code, 'bad_file');
  assert.equal(err.file, cut);
  assert.match(err.message, /truncated/);
  assert.equal(counts(project).genomes, 1);
});

test('bad FASTA files are refused naming the file and line; nothing is added', async (t) => {
  const { h, project } = await setup(t);
  const cases: Array<[string, string | Buffer, RegExp, number | undefined]> = [
    ['dup.fa', '>a\nACGT\n>b\nACGT\n>a\nAC\n', /duplicate/i, 5],
    ['emptyseq.fa', '>a\nACGT\n>b\n>c\nAC\n', /empty/i, 3],
    ['iupac.fa', '>a\nACGT\nACXT\n', /'X'|X/, 3],
    ['empty.fa', '', /empty \(0 bytes\)/, undefined],
    ['binary.fa', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 0, 0]), /binary/, undefined],
  ];
  // Each import is its own job (a worker process each); they do not need the device, so they run side by side.
  const errors = await Promise.all(
    cases.map(([name, content]) => {
      const path = join(h.dir, name);
      writeFileSync(path, content);
      return rejection(h.call('genomes.import', { project, path }));
    }),
  );
  for (const [i, [name, , problem, line]] of cases.entries()) {
    const path = join(h.dir, name);
    const err = errors[i]!;
    assert.equal(err.code, 'bad_file', name);
    assert.equal(err.file, path, name);
    assert.equal(err.line, line, `${name}: ${err.message}`);
    assert.match(err.message, problem, name);
    assert.ok(err.message.startsWith(path), `${name}: the message starts with the file: ${err.message}`);
  }
  assert.deepEqual(counts(project), { genomes: 0, region_sets: 0, regions: 0, datasets: 0, dataset_items: 0 });
});

test('regions.preview reads without writing; regions.import stores BED regions and GFF3 start sites', async (t) => {
  const { h, project } = await setup(t);
  const g = await h.call('genomes.import', { project, path: writeGenome(h.dir) });
  const bed = writeSites(h.dir);
  const preview = await h.call('regions.preview', { project, path: bed, genomeId: g.id });
  assert.equal(preview.format, 'bed');
  assert.equal(preview.errorCount, 0);
  assert.equal(preview.validCount, 58);
  // The track line is read but holds no record.
  assert.deepEqual([preview.linesRead, preview.dataLines, preview.otherLines], [59, 58, 1]);
  assert.deepEqual(preview.records[0], { chrom: 'chr1', start: 500, end: 501, name: 'site1', score: 0, strand: '+', line: 2 });
  assert.equal(counts(project).region_sets, 0);

  const set = await h.call('regions.import', { project, path: bed, genomeId: g.id, name: 'sites' });
  assert.equal(set.count, 58);
  assert.equal(set.format, 'bed');
  assert.match(set.checksum, /^[0-9a-f]{64}$/);
  assert.equal(counts(project).regions, 58);

  const gff = join(h.dir, 'genes.gff3');
  writeFileSync(
    gff,
    ['##gff-version 3', 'chr1\tsrc\tgene\t101\t400\t.\t+\t.\tID=g1;Name=alpha', 'chr1\tsrc\tCDS\t101\t400\t.\t+\t0\tID=c1;Parent=g1', 'chr2\tsrc\tgene\t1001\t2000\t.\t-\t.\tID=g2', ''].join('\n'),
  );
  const gp = await h.call('regions.preview', { project, path: gff, format: 'auto', genomeId: g.id });
  assert.equal(gp.format, 'gff3');
  assert.deepEqual(gp.gffTypes, [{ type: 'gene', count: 2, valid: 2 }, { type: 'CDS', count: 1, valid: 1 }]);
  // Lines on a chromosome the genome lacks: counted per type as lines, not as importable features,
  // and folded into one problem with its count (issue 10).
  const odd = join(h.dir, 'odd.gff3');
  writeFileSync(odd, ['##gff-version 3', 'chr1\tsrc\tgene\t101\t400\t.\t+\t.\tID=g1', ...Array.from({ length: 5 }, (_, i) => `plasmidX\tsrc\tgene\t${i + 1}\t${i + 50}\t.\t+\t.\tID=p${i}`), ''].join('\n'));
  const op = await h.call('regions.preview', { project, path: odd, genomeId: g.id });
  assert.equal(op.validCount, 1);
  assert.deepEqual(op.gffTypes, [{ type: 'gene', count: 6, valid: 1 }]);
  assert.equal(op.errorCount, 5);
  assert.deepEqual(op.errorGroups?.map((x) => [x.count, x.lines]), [[5, [3, 4, 5, 6, 7]]]);
  assert.match(op.errorGroups![0]!.problem, /chromosome 'plasmidX' is not in the genome/);
  assert.deepEqual(op.unknownChroms, ['plasmidX']);
  assert.deepEqual([gp.linesRead, gp.dataLines, gp.otherLines], [4, 3, 1], 'the ##gff-version line is not data');
  const starts = await h.call('regions.import', { project, path: gff, genomeId: g.id, name: 'gene starts', gffTypes: ['gene'], derive: 'start-sites' });
  assert.equal(starts.count, 2);
  assert.equal(starts.derive, 'start-sites');
  assert.deepEqual((await h.call('regions.list', { project })).map((s) => s.name), ['sites', 'gene starts']);
  await h.call('regions.remove', { project, id: set.id });
  assert.deepEqual(counts(project).regions, 2);
});

test('bad BED files are refused with their lines listed, and the project is unchanged', async (t) => {
  const { h, project } = await setup(t);
  const g = await h.call('genomes.import', { project, path: writeGenome(h.dir) });
  const write = (name: string, text: string) => {
    const p = join(h.dir, name);
    writeFileSync(p, text);
    return p;
  };
  const twoCols = write('two.bed', 'chr1\t10\t20\nchr1\t30\n');
  let err = await rejection(h.call('regions.import', { project, path: twoCols, genomeId: g.id, name: 'x' }));
  assert.equal(err.code, 'bad_file');
  assert.equal(err.line, 2);
  assert.match(err.message, new RegExp(`${twoCols}:2: expected at least 3 columns`));

  const letters = write('letters.bed', 'chr1\t10\t20\nchr1\tten\t20\nchr2\t5\t2x\n');
  err = await rejection(h.call('regions.import', { project, path: letters, genomeId: g.id, name: 'x' }));
  assert.match(err.message, /2 lines of letters\.bed have problems/);
  assert.match(err.message, /letters\.bed:2: start 'ten' is not a whole number/);
  assert.match(err.message, /letters\.bed:3: end '2x' is not a whole number/);

  const ensembl = write('ensembl.bed', '1\t10\t20\n2\t30\t40\n');
  err = await rejection(h.call('regions.import', { project, path: ensembl, genomeId: g.id, name: 'x' }));
  assert.match(err.message, /ensembl\.bed:1: chromosome '1' is not in the genome/);
  assert.match(err.message, /--rename 1=chr1,2=chr2/);
  const preview = await h.call('regions.preview', { project, path: ensembl, genomeId: g.id });
  assert.deepEqual(preview.chromMapping?.mapping, { 1: 'chr1', 2: 'chr2' });
  // With the renaming it imports.
  const renamed = await h.call('regions.import', { project, path: ensembl, genomeId: g.id, name: 'renamed', rename: { 1: 'chr1', 2: 'chr2' } });
  assert.equal(renamed.count, 2);

  const empty = write('empty.bed', '');
  err = await rejection(h.call('regions.import', { project, path: empty, genomeId: g.id, name: 'x' }));
  assert.equal(err.code, 'bad_file');
  assert.match(err.message, /empty/);

  // Tolerating bad lines leaves them out.
  const some = await h.call('regions.import', { project, path: letters, genomeId: g.id, name: 'tolerant', maxBadLines: 2 });
  assert.equal(some.count, 1);
  assert.deepEqual(counts(project).region_sets, 2);
});

test('a 0-byte index in the cache is rebuilt when the genome is read', async (t) => {
  const { h, project } = await setup(t);
  const fasta = writeGenome(h.dir);
  writeFileSync(fasta + '.fai', ''); // a broken index next to the user's file is ignored
  const g = await h.call('genomes.import', { project, path: fasta });
  const set = await h.call('regions.import', { project, path: writeSites(h.dir), genomeId: g.id, name: 'sites' });
  const { faiPath } = (await import('../../../main/store/data-repo')).getGenomeRow(h.ctx.projects.get(project), g.id)!;
  truncateSync(faiPath, 0);
  const ds = await h.call('datasets.build', {
    project,
    name: 'd',
    spec: { source: 'regions', genomeId: g.id, regionSets: [{ id: set.id }], window: { mode: 'centred', length: 50 }, negatives: { strategy: 'shuffled' }, split: { kind: 'random', fractions: { train: 0.8, dev: 0.1, test: 0.1 } } },
  });
  assert.ok(ds.total > 0);
  assert.ok(readFileSync(faiPath, 'utf8').startsWith('chr1\t30000\t'));
});

/** Asks for `verb` on the first job of `kind` as soon as its worker is running; resolves with the job id. */
function stopWhenRunning(h: Harness, project: string, kind: string, verb: 'jobs.cancel' | 'jobs.pause'): Promise<string> {
  return new Promise((resolve, reject) => {
    const off = h.ctx.bus.on('job.progress', (e) => {
      if (e.kind !== kind || e.state !== 'running') return;
      off();
      // Not from inside the runner's own emit: its worker process is being started right after it.
      setImmediate(() => h.call(verb, { project, jobId: e.jobId }).then(() => resolve(e.jobId), reject));
    });
  });
}

test('a cancelled genome or region import leaves the project, the cache and the job folder as they were', async (t) => {
  const { h, project } = await setup(t);
  const fasta = join(h.dir, 'big.fa');
  writeFileSync(fasta, `>chr1\n${wrap(CHR1.repeat(100))}>chr2\n${wrap(CHR2)}`);
  const stopped = stopWhenRunning(h, project, 'genome-index', 'jobs.cancel');
  const err = await rejection(h.call('genomes.import', { project, path: fasta }));
  assert.equal(err.code, 'cancelled');
  assert.equal(err.message, 'Cancelled — nothing was changed');
  const job = await h.call('jobs.get', { project, jobId: await stopped });
  assert.equal(job.state, 'cancelled');
  assert.equal(existsSync(job.checkpointDir!), false);
  assert.deepEqual(counts(project), { genomes: 0, region_sets: 0, regions: 0, datasets: 0, dataset_items: 0 });
  // The index may have reached the shared, content-addressed cache before the cancel did; no half-built one is left.
  const cache = join(h.ctx.dataDir, 'genomes');
  assert.deepEqual((existsSync(cache) ? readdirSync(cache) : []).filter((n) => n.startsWith('.')), [], 'no staging folder left in the genome cache');

  // Run to completion afterwards.
  const g = await h.call('genomes.import', { project, path: fasta });
  assert.equal(g.totalLength, CHR1.length * 100 + CHR2.length);

  const regionsStopped = stopWhenRunning(h, project, 'regions-read', 'jobs.cancel');
  const rerr = await rejection(h.call('regions.import', { project, path: writeSites(h.dir), genomeId: g.id, name: 'sites' }));
  assert.equal(rerr.code, 'cancelled');
  assert.equal((await h.call('jobs.get', { project, jobId: await regionsStopped })).state, 'cancelled');
  assert.deepEqual(counts(project), { genomes: 1, region_sets: 0, regions: 0, datasets: 0, dataset_items: 0 });
});
