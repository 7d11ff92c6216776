// loci annotations, in-process through runCli (the path bin/loci.js takes): add, list, edit,
// remove, undo/redo, conflicts, and export to BED checked by bedtools (skipped where absent) and
// imported back; a bad import names its lines and stores nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../main/cli/run';
import { harness } from '../unit/api/helpers';
import { writeGenome } from '../unit/api/data-helpers';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { io: { out: (s) => void (stdout += s + '\n'), err: (s) => void (stderr += s + '\n') }, env: {} });
  return { code, stdout, stderr };
}

test('loci annotations add/list/edit/remove/undo/redo/conflicts/export/import', async (t) => {
  const h = harness(t);
  const project = (await h.call('projects.create', { name: 'CLI ann', path: join(h.dir, 'a.loci') })).path;
  await h.call('genomes.import', { project, path: writeGenome(h.dir), name: 'Toy' });
  h.ctx.projects.close(project);
  const p = ['--project', project, '--data-dir', join(h.dir, 'cli-data')];

  const add = await cli(['annotations', 'add', 'chr1:1,001-2,000', '--class', 'enhancer', '--note', 'strong', ...p]);
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /^Annotation 1: enhancer at chr1:1,001-2,000$/m);
  assert.equal((await cli(['annotations', 'add', 'chr1:1,500-2,500', '--class', 'promoter', ...p])).code, 0);
  const conflicts = await cli(['annotations', 'conflicts', ...p]);
  assert.equal(conflicts.code, 1, 'conflicts exit 1 so scripts can stop before retraining');
  assert.match(conflicts.stdout, /enhancer .*promoter .*501/);
  const edit = await cli(['annotations', 'edit', '2', '--region', 'chr2:1-100', ...p]);
  assert.match(edit.stdout, /bounds chr1:1,500-2,500 → chr2:1-100/);
  assert.match((await cli(['annotations', 'conflicts', ...p])).stdout, /^No conflicts$/m);
  const list = await cli(['annotations', 'list', '--class', 'promoter', ...p]);
  assert.match(list.stdout, /^2 +chr2:1-100 +promoter +manual /m);
  assert.doesNotMatch(list.stdout, /enhancer/);

  const rm = await cli(['annotations', 'remove', '2', ...p]);
  assert.match(rm.stdout, /^Removed promoter at chr2:1-100/m);
  const undo = await cli(['annotations', 'undo', ...p]);
  assert.match(undo.stdout, /^Undid: Removed promoter at chr2:1-100$/m);
  assert.match(undo.stdout, /Redo: Removed promoter/);
  const redo = await cli(['annotations', 'redo', ...p]);
  assert.match(redo.stdout, /^Redid: Removed promoter/m);
  await cli(['annotations', 'undo', ...p]);

  const bed = join(h.dir, 'ann.bed');
  const ex = await cli(['annotations', 'export', bed, ...p]);
  assert.match(ex.stdout, /^Wrote 2 annotations to /m);
  const lines = readFileSync(bed, 'utf8').trim().split('\n');
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[1]!.split('\t').slice(0, 4), ['chr1', '1000', '2000', 'enhancer']);
  const bt = spawnSync('bedtools', ['sort', '-i', bed], { encoding: 'utf8' });
  if (bt.error) t.diagnostic('skipped the bedtools check: bedtools is not installed (apt-get install bedtools)');
  else {
    assert.equal(bt.status, 0, bt.stderr);
    assert.equal(bt.stdout.trim().split('\n').length, 2, 'bedtools reads both lines');
  }
  const gff = join(h.dir, 'ann.gff3');
  assert.equal((await cli(['annotations', 'export', gff, ...p])).code, 0);

  // Import them back (the classes are known now), then a bad file.
  const imp = await cli(['annotations', 'import', bed, ...p]);
  assert.equal(imp.code, 0, imp.stderr);
  assert.match(imp.stdout, /^Imported 2 annotations from ann\.bed/m);
  const bad = join(h.dir, 'bad.bed');
  writeFileSync(bad, 'chr1\t10\t20\tenhancer\nchr9\t1\t2\tenhancer\nchr1\t5\t5\tpromoter\nchr1\t1\t2\tnovel\n');
  const b = await cli(['annotations', 'import', bad, ...p]);
  assert.notEqual(b.code, 0);
  assert.match(b.stderr, /bad\.bed:2: /);
  assert.match(b.stderr, /bad\.bed:3: .*empty/);
  assert.match(b.stderr, /bad\.bed:4: unknown class 'novel'/);
  const json = await cli(['annotations', 'list', '--json', ...p]);
  assert.equal(JSON.parse(json.stdout).total, 4, 'the bad file stored nothing');
});
