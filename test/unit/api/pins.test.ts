// Loci pinned for reports (issue 14): genomeView.pins.* through dispatch (stored in the .loci file,
// kept when the file is copied and reopened, clear errors naming what is wrong with a locus), and
// `loci pin add|list|remove` in-process through runCli, as bin/loci.js runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../main/cli/run';
import { harness } from './helpers';
import { bases, CHR1, rejection, wrap, writeGenome } from './data-helpers';

async function setup(t: { after(fn: () => void): void }) {
  const h = harness(t);
  const project = (await h.call('projects.create', { name: 'Pins', path: join(h.dir, 'pins.loci') })).path;
  const g = await h.call('genomes.import', { project, path: writeGenome(h.dir), name: 'Toy' });
  return { h, project, genomeId: g.id };
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { io: { out: (s) => void (stdout += s + '\n'), err: (s) => void (stderr += s + '\n') }, env: {} });
  return { code, stdout, stderr };
}

test('genomeView.pins: add with a note, list oldest first, remove; stored in the project file', async (t) => {
  const { h, project, genomeId } = await setup(t);
  assert.deepEqual(await h.call('genomeView.pins.list', { project }), []);
  const a = await h.call('genomeView.pins.add', { project, chrom: 'chr1', start: 1000, end: 2000, note: '  the promoter the model misses  ' });
  assert.deepEqual({ ...a, createdAt: undefined }, { id: 1, genomeId, chrom: 'chr1', start: 1000, end: 2000, note: 'the promoter the model misses', createdAt: undefined });
  const b = await h.call('genomeView.pins.add', { project, genomeId, chrom: 'chr2', start: 0, end: 1 });
  assert.equal(b.note, '');
  assert.deepEqual((await h.call('genomeView.pins.list', { project, genomeId })).map((p) => p.id), [1, 2]);
  const info = await h.call('projects.info', { path: project });
  assert.ok(Date.parse(info.modifiedAt) >= Date.parse(a.createdAt), 'a pin is a change to the project');

  // One portable file: a copy opened elsewhere has the same pins.
  h.ctx.projects.close(project);
  const copy = join(h.dir, 'copy.loci');
  copyFileSync(project, copy);
  assert.deepEqual(await h.call('genomeView.pins.list', { project: copy }), await h.call('genomeView.pins.list', { project }));

  assert.deepEqual(await h.call('genomeView.pins.remove', { project, id: 1 }), { ok: true });
  assert.deepEqual((await h.call('genomeView.pins.list', { project })).map((p) => p.id), [2]);
  const gone = await rejection(h.call('genomeView.pins.remove', { project, id: 1 }));
  assert.equal(gone.code, 'not_found');
  assert.match(gone.message, /^No pin with id 1 in /);
});

test('genomeView.pins.add refuses a bad locus, naming the problem (in 1-based coordinates)', async (t) => {
  const { h, project } = await setup(t);
  const cases: [{ chrom: string; start: number; end: number; note?: string }, RegExp][] = [
    [{ chrom: 'chrZ', start: 0, end: 10 }, /^Cannot pin chrZ: Genome "Toy" has no sequence named 'chrZ' \(it has 2: chr1, chr2\)$/],
    [{ chrom: 'chr1', start: CHR1.length - 10, end: CHR1.length + 5 }, /^Cannot pin chr1:29,991-30,005: end 30005 is beyond the end of 'chr1' \(30,000 bp\)$/],
    [{ chrom: 'chr1', start: 500, end: 400 }, /^Cannot pin chr1:501-400: the start is after the end/],
    [{ chrom: 'chr1', start: 500, end: 500 }, /^Cannot pin chr1:501-500: the start is after the end/],
    [{ chrom: 'chr1', start: 1, end: 2, note: 'two\nlines' }, /A pin note is one line/],
    [{ chrom: 'chr1', start: 1, end: 2, note: 'x'.repeat(501) }, /A pin note is at most 500 characters/],
    [{ chrom: 'chr1', start: -1, end: 2 }, /Positions start at 0/],
  ];
  for (const [input, message] of cases) {
    const e = await rejection(h.call('genomeView.pins.add', { project, ...input }));
    assert.equal(e.code, 'invalid_input', JSON.stringify(input));
    assert.match(e.message, message, JSON.stringify(input));
  }
  assert.deepEqual(await h.call('genomeView.pins.list', { project }), [], 'nothing stored');
  // Two genomes: say which one.
  const other = join(h.dir, 'other.fa');
  writeFileSync(other, `>chr1\n${wrap(bases(2000, 9))}`);
  await h.call('genomes.import', { project, path: other, name: 'Other' });
  const which = await rejection(h.call('genomeView.pins.add', { project, chrom: 'chr1', start: 0, end: 10 }));
  assert.match(which.message, /The project has 2 genomes: say which one/);
  const missing = await rejection(h.call('genomeView.pins.list', { project, genomeId: 99 }));
  assert.equal(missing.code, 'not_found');
});

test('loci pin add/list/remove: 1-based loci with separators, --json, mistakes exit 2, bad loci exit 1', async (t) => {
  const { h, project } = await setup(t);
  h.ctx.projects.close(project);
  const p = ['--project', project, '--data-dir', join(h.dir, 'cli-data')];

  const add = await cli(['pin', 'add', '--locus', 'chr1:1,001-2,000', '--note', 'strong peak', ...p]);
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /^Pin 1: chr1:1,001-2,000 \(strong peak\); run reports show it/m);
  const json = await cli(['pin', 'add', '-l', 'chr2:5-5', '--json', ...p]);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), { ...JSON.parse(json.stdout), id: 2, chrom: 'chr2', start: 4, end: 5, note: '' });
  const list = await cli(['pin', 'list', ...p]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^ID +GENOME +LOCUS +PINNED +NOTE$/m);
  assert.match(list.stdout, /^1 +1 +chr1:1,001-2,000 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +strong peak$/m);
  assert.match(list.stdout, /^2 +1 +chr2:5-5 /m);

  const usage: [string[], RegExp][] = [
    [['pin', 'add', ...p], /loci pin add needs --locus CHR:START-END/],
    [['pin', 'add', '--locus', 'chr1:2000-1000', ...p], /"chr1:2000-1000": START must be at least 1 and END at least START \(1-based, inclusive\)/],
    [['pin', 'add', '--locus', 'chr1', ...p], /write the region as CHROM:START-END/],
    [['pin', 'remove', 'one', ...p], /A pin id is a whole number, got "one"/],
  ];
  for (const [args, message] of usage) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const unknown = await cli(['pin', 'add', '--locus', 'chrZ:1-10', ...p]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^loci: Cannot pin chrZ: Genome "Toy" has no sequence named 'chrZ'/);
  const past = await cli(['pin', 'add', '--locus', 'chr2:11,990-12,010', ...p]);
  assert.equal(past.code, 1);
  assert.match(past.stderr, /^loci: Cannot pin chr2:11,990-12,010: end 12010 is beyond the end of 'chr2' \(12,000 bp\)/);

  const rm = await cli(['pin', 'remove', '2', ...p]);
  assert.deepEqual([rm.code, rm.stdout.trim()], [0, 'Removed pin 2']);
  const again = await cli(['pin', 'remove', '2', ...p]);
  assert.equal(again.code, 1);
  assert.match((await cli(['pin', 'list', '--json', ...p])).stdout, /"id": 1/);
  assert.equal(JSON.parse((await cli(['pin', 'list', '--json', ...p])).stdout).length, 1);
});
