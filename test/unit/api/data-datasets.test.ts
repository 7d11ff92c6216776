// datasets.* and tables.preview through dispatch: a build from regions (block split, GC-matched
// negatives, RC augmentation), examples, export, all-or-nothing storage, and labelled tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countOf, type DatasetSpec } from '../../../shared/contract/data';
import { harness, type Harness } from './helpers';
import { bases, counts, rejection, writeGenome, writeSites } from './data-helpers';

async function withRegions(t: { after(fn: () => void): void }) {
  const h = harness(t);
  const project = (await h.call('projects.create', { name: 'Data', path: join(h.dir, 'data.loci') })).path;
  const genome = await h.call('genomes.import', { project, path: writeGenome(h.dir) });
  const set = await h.call('regions.import', { project, path: writeSites(h.dir), genomeId: genome.id, name: 'site' });
  return { h, project, genome, set };
}

const blocks = { kind: 'blocks', fractions: { train: 0.8, dev: 0.1, test: 0.1 }, blockSize: 3000 } as const;

test('datasets.build from regions: block split, GC-matched negatives, RC copies, stored with sequences', async (t) => {
  const { h, project, genome, set } = await withRegions(t);
  const spec: DatasetSpec = {
    source: 'regions',
    genomeId: genome.id,
    regionSets: [{ id: set.id }],
    window: { mode: 'centred', length: 100 },
    negatives: { strategy: 'gc-matched', ratio: 1, margin: 50 },
    split: blocks,
    rcAugment: true,
    seed: 7,
  };
  const ds = await h.call('datasets.build', { project, name: 'sites vs background', spec });
  assert.equal(ds.source, 'regions');
  assert.equal(ds.genomeId, genome.id);
  assert.deepEqual(ds.classes, ['background', 'site']);
  const { train, dev, test: tst } = ds.splits;
  assert.equal(train.sequences + dev.sequences + tst.sequences, ds.total);
  assert.ok(dev.sequences > 0 && tst.sequences > 0, 'blocks give held-out dev and test windows');
  assert.equal(train.augmented * 2, train.sequences, 'every train window has its RC copy');
  assert.equal(dev.augmented, 0);
  assert.equal(train.lengthMin, 100);
  assert.equal(train.lengthMax, 100);
  const positives = Object.values(ds.splits).reduce((a, s) => a + (s.classCounts.site ?? 0), 0) - train.augmented / 2;
  assert.equal(positives, 58);
  assert.equal(ds.negatives?.strategy, 'gc-matched');
  assert.ok(ds.negatives!.made > 0);
  assert.equal((ds.provenance.spec as { seed: number }).seed, 7);
  assert.equal((ds.provenance.genome as { sha256: string }).sha256, genome.checksum);
  assert.equal(counts(project).dataset_items, ds.total);

  const got = await h.call('datasets.get', { project, id: ds.id, examples: 2 });
  assert.deepEqual(got.summary, ds);
  assert.deepEqual(got.examples.map((e) => e.split), ['train', 'train', 'dev', 'dev', 'test', 'test']);
  const ex = got.examples[0]!;
  assert.equal(ex.sequence.length, 100);
  assert.equal(ex.chrom, 'chr1');
  // The stored sequence is the genome's (reverse-complemented on '-').
  const chr1 = bases(30_000, 1);
  const rc = (s: string) => [...s].reverse().map((c) => ({ A: 'T', C: 'G', G: 'C', T: 'A' })[c]).join('');
  assert.equal(ex.strand === '-' ? rc(ex.sequence) : ex.sequence, chr1.slice(ex.start!, ex.end!));

  // Same spec and seed: the same dataset.
  const again = await h.call('datasets.build', { project, name: 'again', spec });
  assert.deepEqual(again.splits, ds.splits);
  assert.deepEqual((await h.call('datasets.list', { project })).map((d) => d.name), ['sites vs background', 'again']);
  const dup = await rejection(h.call('datasets.build', { project, name: 'again', spec }));
  assert.equal(dup.code, 'conflict');

  const out = join(h.dir, 'export');
  const csv = await h.call('datasets.export', { project, datasetId: ds.id, format: 'csv', dir: out });
  assert.deepEqual(csv.files.map((f) => f.slice(out.length + 1)), ['train.csv', 'dev.csv', 'test.csv', 'manifest.json']);
  const trainCsv = readFileSync(join(out, 'train.csv'), 'utf8').trim().split('\n');
  assert.equal(trainCsv[0], 'sequence,label');
  assert.equal(trainCsv.length - 1, train.sequences);
  assert.match(trainCsv[1]!, /^[ACGT]{100},[01]$/);
  // Existing files are never replaced silently (issue 9): refused, nothing written; replaced on request.
  const before = readFileSync(join(out, 'train.csv'), 'utf8');
  const again2 = await rejection(h.call('datasets.export', { project, datasetId: ds.id, format: 'csv', dir: out }));
  assert.equal(again2.code, 'conflict');
  assert.match(again2.message, /already holds train\.csv, dev\.csv, test\.csv, manifest\.json/);
  writeFileSync(join(out, 'train.csv'), 'mine\n');
  const bedRefused = await rejection(h.call('datasets.export', { project, datasetId: ds.id, format: 'bed', dir: out }));
  assert.match(bedRefused.message, /manifest\.json/);
  assert.equal(existsSync(join(out, 'dataset.bed')), false, 'a refused export writes nothing');
  await h.call('datasets.export', { project, datasetId: ds.id, format: 'csv', dir: out, overwrite: true });
  assert.equal(readFileSync(join(out, 'train.csv'), 'utf8'), before);
  const bed = await h.call('datasets.export', { project, datasetId: ds.id, format: 'bed', dir: out, overwrite: true });
  assert.equal(bed.skipped, train.augmented);
  assert.equal(readFileSync(join(out, 'dataset.bed'), 'utf8').trim().split('\n').length, ds.total - train.augmented);

  await h.call('datasets.remove', { project, id: again.id });
  assert.equal(counts(project).dataset_items, ds.total);
});

test('a failed build leaves the project unchanged: bad parameters, and a failure while saving', async (t) => {
  const { h, project, genome, set } = await withRegions(t);
  const base = { source: 'regions' as const, genomeId: genome.id, regionSets: [{ id: set.id }], window: { mode: 'centred' as const, length: 100 } };
  const before = counts(project);

  const badChrom = await rejection(h.call('datasets.build', { project, name: 'x', spec: { ...base, split: { kind: 'chromosomes' as const, test: ['chr9'] } } }));
  assert.equal(badChrom.code, 'invalid_input');
  assert.match(badChrom.message, /chromosome 'chr9' listed for test is not in the genome/);

  const badFractions = await rejection(h.call('datasets.build', { project, name: 'x', spec: { ...base, split: { kind: 'random' as const, fractions: { train: 0.5, dev: 0.1, test: 0.1 } } } }));
  assert.equal(badFractions.code, 'invalid_input');
  assert.deepEqual(badFractions.issues?.map((i) => i.message), ['train + dev + test must add up to 1']);

  // A failure in the middle of writing the items (as a full disk would): nothing is kept.
  const db = h.ctx.projects.get(project);
  db.exec(`CREATE TEMP TRIGGER fail_midway BEFORE INSERT ON dataset_items WHEN (SELECT count(*) FROM dataset_items) >= 20 BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
  const failed = await rejection(h.call('datasets.build', { project, name: 'x', spec: { ...base, split: blocks } }));
  assert.match(failed.message, /disk full/);
  db.exec('DROP TRIGGER fail_midway');
  assert.deepEqual(counts(project), before);
});

function gueFolder(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('tables: preview, a GUE-style folder, one table split at random, and bad tables', async (t) => {
  const h = harness(t);
  const project = (await h.call('projects.create', { name: 'Tables', path: join(h.dir, 't.loci') })).path;
  const rows = (n: number, seed: number) => Array.from({ length: n }, (_, i) => `${bases(20 + (i % 5), seed + i)},${i % 2}`).join('\n');
  const dir = gueFolder(join(h.dir, 'gue'), { 'train.csv': `sequence,label\n${rows(40, 1)}\n`, 'dev.csv': `sequence,label\n${rows(6, 100)}\n`, 'test.csv': `sequence,label\n${rows(8, 200)}\n` });

  const preview = await h.call('tables.preview', { project, path: join(dir, 'train.csv') });
  assert.equal(preview.format, 'csv');
  assert.deepEqual(preview.classes, ['0', '1']);
  assert.deepEqual(preview.classCounts, { 0: 20, 1: 20 });
  assert.equal(preview.count, 40);
  assert.equal(preview.lengthMin, 20);
  assert.equal(preview.lengthMax, 24);
  assert.equal(preview.rows[0]!.line, 2);

  const ds = await h.call('datasets.build', { project, name: 'gue', spec: { source: 'tables', dir } });
  assert.deepEqual([ds.splits.train.sequences, ds.splits.dev.sequences, ds.splits.test.sequences], [40, 6, 8]);
  assert.deepEqual(ds.splits.dev.classCounts, { 0: 3, 1: 3 });
  const got = await h.call('datasets.get', { project, id: ds.id, examples: 1 });
  assert.deepEqual(got.examples[0], { split: 'train', label: '0', chrom: null, start: null, end: null, strand: null, origin: 'imported', sequence: bases(20, 1) });

  const one = await h.call('datasets.build', { project, name: 'one', spec: { source: 'table', path: join(dir, 'train.csv'), fractions: { train: 0.5, dev: 0.25, test: 0.25 }, seed: 3 } });
  assert.deepEqual([one.splits.train.sequences, one.splits.dev.sequences, one.splits.test.sequences], [20, 10, 10]);

  const before = counts(project);
  const noLabel = gueFolder(join(h.dir, 'nolabel'), { 'train.csv': `sequence,score\n${bases(20, 1)},0.5\n` });
  let err = await rejection(h.call('datasets.build', { project, name: 'bad', spec: { source: 'tables', dir: noLabel } }));
  assert.equal(err.code, 'bad_file');
  assert.equal(err.line, 1);
  assert.match(err.message, /train\.csv:1: no label column/);

  const unknown = gueFolder(join(h.dir, 'unknown'), { 'train.csv': `sequence,label\n${rows(4, 1)}\n`, 'test.csv': `sequence,label\n${bases(20, 9)},0\n${bases(20, 8)},2\n` });
  err = await rejection(h.call('datasets.build', { project, name: 'bad', spec: { source: 'tables', dir: unknown } }));
  assert.match(err.message, /test\.csv:3: unknown label '2' \(the classes are: 0, 1\)/);

  const noFolder = await rejection(h.call('datasets.build', { project, name: 'bad', spec: { source: 'tables', dir: join(h.dir, 'nowhere') } }));
  assert.match(noFolder.message, /no train\.csv/);
  assert.deepEqual(counts(project), before);
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

test('a cancelled build changes nothing; a paused one is stored when it is resumed and finishes', async (t) => {
  const { h, project, genome } = await withRegions(t);
  // The first site three times: two duplicate windows left out, said so in the warnings.
  const sites = readFileSync(writeSites(h.dir, 'dups.bed'), 'utf8').split('\n');
  writeFileSync(join(h.dir, 'dups.bed'), [...sites.slice(0, 2), sites[1], sites[1], ...sites.slice(2)].join('\n'));
  const set = await h.call('regions.import', { project, path: join(h.dir, 'dups.bed'), genomeId: genome.id, name: 'site' });
  const spec: DatasetSpec = { source: 'regions', genomeId: genome.id, regionSets: [{ id: set.id }], window: { mode: 'centred', length: 100 }, negatives: { strategy: 'gc-matched' }, split: blocks };
  const before = counts(project);

  const cancelled = stopWhenRunning(h, project, 'dataset-build', 'jobs.cancel');
  const err = await rejection(h.call('datasets.build', { project, name: 'd', spec }));
  assert.equal(err.code, 'cancelled');
  assert.equal(err.message, 'Cancelled — nothing was changed');
  const job = await h.call('jobs.get', { project, jobId: await cancelled });
  assert.equal(job.state, 'cancelled');
  assert.equal(existsSync(job.checkpointDir!), false);
  assert.deepEqual(counts(project), before);

  const paused = stopWhenRunning(h, project, 'dataset-build', 'jobs.pause');
  const perr = await rejection(h.call('datasets.build', { project, name: 'd', spec }));
  assert.equal(perr.code, 'cancelled');
  assert.match(perr.message, /^Paused — nothing was changed yet; resume job job-\S+ to finish it$/);
  assert.deepEqual(counts(project), before);
  // Resumed (from the Jobs page or `loci jobs resume`): nobody waits on a request, the result is still stored.
  const jobId = await paused;
  const stored = new Promise<void>((resolve) => h.ctx.bus.on('project.changed', (e) => e.what === 'datasets' && resolve()));
  await h.call('jobs.resume', { project, jobId });
  await stored;
  const [ds] = await h.call('datasets.list', { project });
  assert.equal(ds?.name, 'd');
  assert.ok(ds.warnings.includes('Windows left out: 2 duplicate windows'), ds.warnings.join('\n'));
  assert.equal(counts(project).dataset_items, ds.total);
  assert.equal((await h.call('jobs.get', { project, jobId })).state, 'done');
});

/** Resolves when job `jobId` reaches `state` (heard on the bus). */
function untilState(h: Harness, jobId: string, state: string): Promise<void> {
  return new Promise((resolve) => {
    const off = h.ctx.bus.on('job.progress', (e) => {
      if (e.jobId === jobId && e.state === state) {
        off();
        resolve();
      }
    });
  });
}

test('issue 9 defect 1: a build paused and resumed twice is stored once when it finishes', async (t) => {
  const { h, project, genome, set } = await withRegions(t);
  const spec: DatasetSpec = { source: 'regions', genomeId: genome.id, regionSets: [{ id: set.id }], window: { mode: 'centred', length: 100 }, negatives: { strategy: 'gc-matched' }, split: blocks };
  const before = counts(project);
  const first = stopWhenRunning(h, project, 'dataset-build', 'jobs.pause');
  assert.equal((await rejection(h.call('datasets.build', { project, name: 'twice', spec }))).code, 'cancelled');
  const jobId = await first;
  // Resumed, paused again while running, and resumed again, all within a few seconds; nobody waits on a request.
  const second = stopWhenRunning(h, project, 'dataset-build', 'jobs.pause');
  const pausedAgain = untilState(h, jobId, 'paused');
  await h.call('jobs.resume', { project, jobId });
  await second;
  await pausedAgain;
  assert.deepEqual(counts(project), before);
  const done = untilState(h, jobId, 'done');
  await h.call('jobs.resume', { project, jobId });
  await done;
  const job = await h.call('jobs.get', { project, jobId });
  assert.equal(job.state, 'done');
  const list = await h.call('datasets.list', { project });
  assert.deepEqual(list.map((d) => d.name), ['twice']);
  assert.equal(counts(project).dataset_items, list[0]!.total);
  assert.equal(existsSync(job.checkpointDir!), false, 'the job folder (and its result file) is removed once stored');
});

test('counts in warnings agree with their nouns', () => {
  assert.equal(countOf(1, 'duplicate window'), '1 duplicate window');
  assert.equal(countOf(2, 'duplicate window'), '2 duplicate windows');
  assert.equal(countOf(3, 'window crosses a sequence end'), '3 windows cross a sequence end');
  assert.equal(countOf(1, 'window crosses a sequence end'), '1 window crosses a sequence end');
  assert.equal(countOf(2, 'dev window overlaps train'), '2 dev windows overlap train');
  assert.equal(countOf(2, 'region on a sequence not in the genome'), '2 regions on a sequence not in the genome');
  assert.equal(countOf(4337, 'start site'), '4,337 start sites');
  assert.equal(countOf(2, 'sequence shorter than the window'), '2 sequences shorter than the window');
  assert.equal(countOf(1200, 'too many N'), '1,200 with too many N');
  assert.equal(countOf(2, 'same window with different labels'), '2 (same window with different labels)');
});
