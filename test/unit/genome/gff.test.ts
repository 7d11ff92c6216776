import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { listGffTypes, readGff, startSites } from '../../../main/genome/gff';
import { InputError } from '../../../main/genome/errors';
import { gzip, tempDir } from './helpers';

const tmp = tempDir();
after(() => tmp.cleanup());

const gff = [
  '##gff-version 3',
  '##sequence-region chr1 1 1000',
  'chr1\tsrc\tgene\t100\t200\t.\t+\t.\tID=g1;Name=alpha',
  'chr1\tsrc\tCDS\t110\t190\t.\t+\t0\tID=c1;Parent=g1',
  'chr1\tsrc\tgene\t300\t450\t.\t-\t.\tID=g2;Name=beta%3Bx',
  'chr1\tsrc\tCDS\t310\t440\t.\t-\t0\tID=c2;Parent=g2',
  'chr1\tsrc\ttRNA\t1\t1\t3.5\t?\t.\tID=t1',
  '###',
  '##FASTA',
  '>chr1',
  'ACGT',
].join('\n');

test('GFF3 1-based closed coordinates become 0-based half-open', async () => {
  const f = tmp.file('a.gff3', gff);
  const r = await readGff(f, { chromSizes: { chr1: 1000 } });
  assert.equal(r.errorCount, 0, r.summary);
  assert.deepEqual(r.features.map((x) => [x.type, x.start, x.end, x.strand, x.id]), [
    ['gene', 99, 200, '+', 'g1'],
    ['CDS', 109, 190, '+', 'c1'],
    ['gene', 299, 450, '-', 'g2'],
    ['CDS', 309, 440, '-', 'c2'],
    ['tRNA', 0, 1, '?', 't1'],
  ]);
  assert.equal(r.features[2]!.name, 'beta;x'); // %-escapes decoded by @gmod/gff
  assert.equal(r.features[4]!.score, 3.5);
  assert.deepEqual(r.features[1]!.attributes.Parent, ['g1']);
});

test('type filter and type counts', async () => {
  const f = tmp.file('b.gff3.gz', gzip(gff));
  const r = await readGff(f, { types: ['CDS'] });
  assert.deepEqual(r.features.map((x) => x.id), ['c1', 'c2']);
  assert.deepEqual(r.typeCounts, { gene: 2, CDS: 2, tRNA: 1 });
  assert.deepEqual(await listGffTypes(f), [{ type: 'CDS', count: 2 }, { type: 'gene', count: 2 }, { type: 'tRNA', count: 1 }]);
});

test('start sites: + feature at its start, - feature at its end; unknown strand skipped', async () => {
  const r = await readGff(tmp.file('c.gff3', gff), { types: ['gene', 'tRNA'] });
  assert.deepEqual(startSites(r.features).map((p) => [p.chrom, p.start, p.end, p.strand, p.name]), [
    ['chr1', 99, 100, '+', 'alpha'], // GFF3 position 100 = 0-based 99
    ['chr1', 449, 450, '-', 'beta;x'], // GFF3 position 450 (the end) = 0-based 449
  ]);
});

test('bad GFF3 lines are collected with file and line', async () => {
  const f = tmp.file('bad.gff3', [
    '##gff-version 3',
    'chr1\tsrc\tgene\t10\t5\t.\t+\t.\tID=a', // 2: start > end
    'chr1\tsrc\tgene\tx\t5\t.\t+\t.\tID=b', // 3: non-numeric
    'chr1 src gene 1 5 . + . ID=c', // 4: spaces
    '1\tsrc\tgene\t1\t5\t.\t+\t.\tID=d', // 5: absent chromosome (suggest chr1)
    'chr1\tsrc\tgene\t900\t1200\t.\t+\t.\tID=e', // 6: beyond the end
    'chr1\tsrc\tgene\t0\t5\t.\t+\t.\tID=f', // 7: 0-based start
    'chr1\tsrc\tgene\t1\t5\t.\tx\t.\tID=g', // 8: bad strand
    'chr1\tsrc\tgene\t1\t5\t.\t+\t.\tID=ok',
  ].join('\n'));
  const r = await readGff(f, { chromSizes: { chr1: 1000 } });
  assert.deepEqual(r.features.map((x) => x.id), ['ok']);
  assert.deepEqual(r.errors.map((e) => [e.line, e.code]), [
    [2, 'bad-range'], [3, 'bad-coordinate'], [4, 'too-few-columns'], [5, 'unknown-chromosome'], [6, 'beyond-chromosome'], [7, 'bad-coordinate'], [8, 'bad-field'],
  ]);
  for (const e of r.errors) assert.ok(e.message.startsWith(`${f}:${e.line}: `), e.message);
  assert.match(r.errors[2]!.message, /tabs, not spaces/);
  assert.match(r.errors[5]!.message, /GFF3 positions start at 1/);
  assert.deepEqual(r.chromMapping?.mapping, { '1': 'chr1' });
});

test('a GFF3 whose every line is bad says why, per kind of problem with its lines, not just "no features" (issue 9)', async () => {
  const f = tmp.file('spaces.gff3', ['##gff-version 3', 'chr1 src gene 1 5 . + . ID=a', 'chr1 src gene 7 9 . + . ID=b', 'chr1,src,gene', 'chr1 src gene 20 30 . - . ID=c'].join('\n'));
  await assert.rejects(readGff(f), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.line, 2);
    assert.equal(e.code, 'too-few-columns');
    assert.equal(
      e.message,
      `${f}:2: no line could be read as a GFF3 feature: 3 × expected 9 tab-separated columns, found 1 (GFF3 columns are separated by tabs, not spaces) (lines 2, 3, 5); ` +
        '1 × expected 9 tab-separated columns, found 1 (line 4)',
    );
    return true;
  });
  // Comments only: still "no feature lines".
  const g = tmp.file('comments.gff3', '##gff-version 3\n# nothing\n');
  await assert.rejects(readGff(g), /holds no GFF3 feature lines/);
});
