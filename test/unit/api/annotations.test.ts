// annotations.* through dispatch on a small generated genome: add/edit/remove with undo and redo
// (also after the project is closed and reopened), bounds checks, conflicts, filters, and BED/GFF3
// import and export with per-line errors and nothing stored on error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harness } from './helpers';
import { CHR1, CHR2, rejection, writeGenome } from './data-helpers';
import { findConflicts } from '../../../main/api/annotations';
import type { AnnotationRow } from '../../../main/store/annotation-repo';

async function setup(t: { after(fn: () => void): void }) {
  const h = harness(t);
  const project = (await h.call('projects.create', { name: 'Ann', path: join(h.dir, 'ann.loci') })).path;
  const g = await h.call('genomes.import', { project, path: writeGenome(h.dir), name: 'Toy' });
  return { h, project, genomeId: g.id };
}

const positions = (list: { annotations: { chrom: string; start: number; end: number; label: string }[] }) => list.annotations.map((a) => `${a.label}@${a.chrom}:${a.start}-${a.end}`);

test('add, update and remove are each one change; undo and redo walk them back and forth, also after a reopen', async (t) => {
  const { h, project } = await setup(t);
  const a = await h.call('annotations.add', { project, chrom: 'chr1', start: 100, end: 200, label: 'enhancer', note: 'looks real' });
  assert.equal(a.annotation.label, 'enhancer');
  assert.match(a.annotation.color, /^#[0-9A-F]{6}$/i);
  assert.equal(a.state.undo?.description, 'Added enhancer at chr1:101-200');
  const b = await h.call('annotations.add', { project, chrom: 'chr2', start: 0, end: 50, label: 'promoter' });
  const u = await h.call('annotations.update', { project, id: a.annotation.id, label: 'silencer', end: 250 });
  assert.equal(u.annotation.end, 250);
  assert.match(u.change!.description, /class enhancer → silencer, bounds chr1:101-200 → chr1:101-250/);
  const same = await h.call('annotations.update', { project, id: a.annotation.id, note: 'looks real' });
  assert.equal(same.change, null, 'an edit that changes nothing is no change');
  await h.call('annotations.remove', { project, ids: [b.annotation.id] });
  assert.deepEqual(positions(await h.call('annotations.list', { project })), ['silencer@chr1:100-250']);

  // Undo the remove and the edit.
  await h.call('annotations.undo', { project });
  const undone = await h.call('annotations.undo', { project });
  assert.equal(undone.change?.kind, 'update');
  assert.deepEqual(positions(await h.call('annotations.list', { project })), ['enhancer@chr1:100-200', 'promoter@chr2:0-50']);
  const restored = (await h.call('annotations.list', { project })).annotations.find((x) => x.label === 'promoter')!;
  assert.equal(restored.id, b.annotation.id, 'undoing a removal brings back the same annotation');
  assert.equal(restored.createdAt, b.annotation.createdAt);

  // Close and reopen the project: the history is in the file.
  h.ctx.projects.close(project);
  const hist = await h.call('annotations.history', { project });
  assert.deepEqual(hist.done.map((c) => c.kind), ['add', 'add']);
  assert.deepEqual(hist.undone.map((c) => c.kind), ['update', 'remove']);
  const redo = await h.call('annotations.redo', { project });
  assert.equal(redo.change?.kind, 'update');
  assert.deepEqual(positions(await h.call('annotations.list', { project })), ['silencer@chr1:100-250', 'promoter@chr2:0-50']);

  // A new change drops what could be redone.
  await h.call('annotations.add', { project, chrom: 'chr1', start: 5, end: 6, label: 'x' });
  assert.equal((await h.call('annotations.history', { project })).undone.length, 0);
  assert.equal((await h.call('annotations.redo', { project })).change, null);
  for (let i = 0; i < 4; i++) await h.call('annotations.undo', { project });
  assert.equal((await h.call('annotations.list', { project })).total, 0);
  const none = await h.call('annotations.undo', { project });
  assert.equal(none.change, null);
  assert.equal(none.state.undo, null);
});

test('bounds are checked: absent chromosome, end <= start, past the end; nothing is stored', async (t) => {
  const { h, project } = await setup(t);
  assert.match((await rejection(h.call('annotations.add', { project, chrom: 'chrZ', start: 0, end: 10, label: 'a' }))).message, /no sequence named 'chrZ'/);
  assert.match((await rejection(h.call('annotations.add', { project, chrom: 'chr1', start: 10, end: 10, label: 'a' }))).message, /not after start/);
  assert.match((await rejection(h.call('annotations.add', { project, chrom: 'chr2', start: 0, end: CHR2.length + 1, label: 'a' }))).message, /beyond the end of 'chr2' \(12,000 bp\)/);
  assert.match((await rejection(h.call('annotations.add', { project, chrom: 'chr1', start: 0, end: 5, label: 'a;b' }))).message, /cannot hold/);
  const a = await h.call('annotations.add', { project, chrom: 'chr2', start: 0, end: CHR2.length, label: 'a' });
  assert.match((await rejection(h.call('annotations.update', { project, id: a.annotation.id, start: CHR2.length }))).message, /not after start/);
  assert.equal((await h.call('annotations.list', { project })).total, 1);
  assert.equal((await h.call('annotations.history', { project })).done.length, 1);
});

test('conflicts: overlapping annotations of different classes, found by a sweep equal to brute force', async (t) => {
  const { h, project } = await setup(t);
  await h.call('annotations.add', { project, chrom: 'chr1', start: 0, end: 100, label: 'a' });
  await h.call('annotations.add', { project, chrom: 'chr1', start: 50, end: 60, label: 'a' });
  await h.call('annotations.add', { project, chrom: 'chr1', start: 99, end: 120, label: 'b' });
  await h.call('annotations.add', { project, chrom: 'chr1', start: 120, end: 130, label: 'c' });
  await h.call('annotations.add', { project, chrom: 'chr2', start: 99, end: 120, label: 'c' });
  const c = await h.call('annotations.conflicts', { project });
  assert.equal(c.total, 1);
  assert.deepEqual([c.conflicts[0]!.a.label, c.conflicts[0]!.b.label, c.conflicts[0]!.overlap], ['a', 'b', 1]);

  // Random sets against brute force.
  let s = 7;
  const rnd = (n: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % n);
  for (let trial = 0; trial < 20; trial++) {
    const rows: AnnotationRow[] = Array.from({ length: 60 }, (_, i) => {
      const start = rnd(1000);
      return { id: i + 1, genomeId: 1, chrom: `c${rnd(2)}`, start, end: start + 1 + rnd(80), label: 'xyz'[rnd(3)]!, note: '', source: 'manual', scanId: null, runId: null, createdAt: '', updatedAt: '' };
    });
    const key = (p: [AnnotationRow, AnnotationRow]) => [Math.min(p[0].id, p[1].id), Math.max(p[0].id, p[1].id)].join('-');
    const brute: string[] = [];
    for (const a of rows) for (const b of rows) if (a.id < b.id && a.chrom === b.chrom && a.label !== b.label && a.start < b.end && b.start < a.end) brute.push(`${a.id}-${b.id}`);
    assert.deepEqual(findConflicts(rows).map(key).sort(), brute.sort());
  }
});

test('list filters by class, chromosome, window and text; sorts; classes carry the dataset classes first', async (t) => {
  const { h, project } = await setup(t);
  for (let i = 0; i < 30; i++) await h.call('annotations.add', { project, chrom: i % 2 ? 'chr2' : 'chr1', start: i * 100, end: i * 100 + 50, label: i % 3 ? 'b' : 'a', note: i === 7 ? 'Odd One' : '' });
  assert.equal((await h.call('annotations.list', { project, labels: ['a'] })).total, 10);
  assert.equal((await h.call('annotations.list', { project, chrom: 'chr2', labels: ['b'] })).total, 10);
  const win = await h.call('annotations.list', { project, chrom: 'chr1', start: 149, end: 401 });
  assert.deepEqual(win.annotations.map((a) => a.start), [200, 400]);
  assert.deepEqual((await h.call('annotations.list', { project, text: 'odd one' })).annotations.map((a) => a.start), [700]);
  const page = await h.call('annotations.list', { project, sort: 'changed', limit: 5, offset: 5 });
  assert.equal(page.annotations.length, 5);
  assert.equal(page.total, 30);
  const classes = await h.call('annotations.classes', { project });
  assert.deepEqual(classes.classes.map((c) => [c.name, c.count, c.inDataset]), [['a', 10, false], ['b', 20, false]]);
  assert.notEqual(classes.classes[0]!.color, classes.classes[1]!.color);
});

test('BED and GFF3 export, and import of either back, round-trip; itemRgb is the class colour', async (t) => {
  const { h, project } = await setup(t);
  await h.call('annotations.add', { project, chrom: 'chr1', start: 10, end: 20, label: 'enhancer', note: 'a; b=c' });
  await h.call('annotations.add', { project, chrom: 'chr2', start: 30, end: 45, label: 'promoter' });
  const classes = (await h.call('annotations.classes', { project })).classes;
  const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(',');
  const bed = await h.call('annotations.export', { project, format: 'bed', out: join(h.dir, 'out.bed') });
  assert.equal(bed.count, 2);
  const lines = readFileSync(bed.path, 'utf8').trim().split('\n');
  assert.match(lines[0]!, /^track name=.* itemRgb="On"$/);
  assert.deepEqual(lines[1]!.split('\t'), ['chr1', '10', '20', 'enhancer', '0', '.', '10', '20', rgb(classes[0]!.color)]);
  assert.deepEqual(lines[2]!.split('\t'), ['chr2', '30', '45', 'promoter', '0', '.', '30', '45', rgb(classes[1]!.color)]);
  const gff = await h.call('annotations.export', { project, format: 'gff3', out: join(h.dir, 'out.gff3') });
  const g = readFileSync(gff.path, 'utf8');
  assert.match(g, /^##gff-version 3\n/);
  assert.match(g, /chr1\tLoci\tregion\t11\t20\t\.\t\.\t\.\tID=annotation1;Name=enhancer;class=enhancer;color=#[0-9A-F]{6};Note=a%3B b%3Dc\n/);

  // Import both into a second project on the same genome.
  const other = (await h.call('projects.create', { name: 'B', path: join(h.dir, 'b.loci') })).path;
  await h.call('genomes.import', { project: other, path: writeGenome(h.dir, 'g2.fa'), name: 'Toy' });
  const unknown = await rejection(h.call('annotations.import', { project: other, path: bed.path }));
  assert.match(unknown.message, /out\.bed:2: unknown class 'enhancer'/);
  const imp = await h.call('annotations.import', { project: other, path: bed.path, newClasses: true });
  assert.equal(imp.added, 2);
  await h.call('annotations.import', { project: other, path: gff.path });
  const all = await h.call('annotations.list', { project: other });
  assert.deepEqual(positions(all), ['enhancer@chr1:10-20', 'enhancer@chr1:10-20', 'promoter@chr2:30-45', 'promoter@chr2:30-45']);
  assert.deepEqual(all.annotations.map((a) => a.note).sort(), ['', '', '', 'a; b=c'].sort());
  // One import is one undoable change.
  await h.call('annotations.undo', { project: other });
  assert.equal((await h.call('annotations.list', { project: other })).total, 2);
});

test('import: every bad line is reported with its number and nothing is stored', async (t) => {
  const { h, project } = await setup(t);
  await h.call('annotations.add', { project, chrom: 'chr1', start: 0, end: 5, label: 'enhancer' });
  const path = join(h.dir, 'bad.bed');
  writeFileSync(
    path,
    [
      'chr1\t100\t200\tenhancer',
      `chr1\t100\t${CHR1.length + 1}\tenhancer`, // past the end
      'chr1\t300\t300\tenhancer', // empty
      'chrQ\t1\t2\tenhancer', // absent chromosome
      'chr1\t1\t2\tmystery', // unknown class
      'chr1\t1\t2', // no class
      'chr1\t400\t300\tenhancer', // end before start
    ].join('\n') + '\n',
  );
  const err = await rejection(h.call('annotations.import', { project, path }));
  assert.equal(err.code, 'bad_file');
  assert.match(err.message, /6 line\(s\) of bad\.bed cannot be annotations/);
  for (const line of [2, 3, 4, 5]) assert.match(err.message, new RegExp(`bad\\.bed:${line}: `), `line ${line} is named`);
  assert.match(err.message, /and 1 more/);
  assert.equal((await h.call('annotations.list', { project })).total, 1, 'nothing was stored');
  assert.equal((await h.call('annotations.history', { project })).done.length, 1);
});
