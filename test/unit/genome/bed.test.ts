import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readBed } from '../../../main/genome/bed';
import { InputError } from '../../../main/genome/errors';
import { gzip, tempDir } from './helpers';

const tmp = tempDir();
after(() => tmp.cleanup());
const genome = new Map([['chr1', 1000], ['chr2', 500], ['chrM', 100]]);

test('BED3 to BED12 with track/browser/comment lines and a header; name, score, strand kept', async () => {
  const f = tmp.file('ok.bed', [
    'browser position chr1:1-100',
    'track name=peaks description="test"',
    '# a comment',
    'chrom\tchromStart\tchromEnd\tname\tscore\tstrand',
    'chr1\t0\t100',
    'chr1\t10\t20\tpeak1\t5.5\t-',
    'chr2\t100\t200\tgene1\t0\t+\t110\t190\t0\t2\t10,20,\t0,80,',
    '',
    'chrM\t99\t100\tlast\t.\t.',
  ].join('\r\n'));
  const r = await readBed(f, { chromSizes: genome });
  assert.equal(r.errorCount, 0, r.summary);
  assert.deepEqual(r.header, ['chrom', 'chromStart', 'chromEnd', 'name', 'score', 'strand']);
  assert.equal(r.columns, 12);
  assert.deepEqual(r.records.map((x) => [x.chrom, x.start, x.end, x.name, x.score, x.strand, x.line]), [
    ['chr1', 0, 100, undefined, undefined, undefined, 5],
    ['chr1', 10, 20, 'peak1', 5.5, '-', 6],
    ['chr2', 100, 200, 'gene1', 0, '+', 7],
    ['chrM', 99, 100, 'last', undefined, '.', 9],
  ]);
  assert.deepEqual(r.records[2]!.extra?.blockSizes, [10, 20]);
  assert.equal(r.records[2]!.extra?.thickStart, 110);
});

test('gzipped BED', async () => {
  const f = tmp.file('ok.bed.gz', gzip('chr1\t5\t10\n'));
  const r = await readBed(f);
  assert.deepEqual(r.records.map((x) => [x.chrom, x.start, x.end]), [['chr1', 5, 10]]);
});

test('bad lines are collected (not only the first), each with file and line, with a summary', async () => {
  const f = tmp.file('bad.bed', [
    'chr1\t10', // 1: too few columns
    'chr1\tten\t20', // 2: non-numeric start
    'chr1\t-5\t20', // 3: negative
    'chr1\t50\t40', // 4: start > end
    'chr1\t900\t1001', // 5: beyond the end
    'chrZ\t1\t2', // 6: absent chromosome
    'chr1\t1\t2\tx\t0\t*', // 7: bad strand
    'chr1,1,2', // 8: comma-separated
    'chr1\t1.5\t2', // 9: not whole
    'chr1\t1\t2', // 10: fine
  ].join('\n'));
  const r = await readBed(f, { chromSizes: genome });
  assert.equal(r.records.length, 1);
  assert.equal(r.errorCount, 9);
  const byLine = new Map(r.errors.map((e) => [e.line, e]));
  const expect: [number, string, RegExp][] = [
    [1, 'too-few-columns', /expected at least 3 columns \(chrom, start, end\), found 2/],
    [2, 'bad-coordinate', /start 'ten' is not a whole number/],
    [3, 'bad-coordinate', /start is negative \(-5\)/],
    [4, 'bad-range', /start 50 is after end 40/],
    [5, 'beyond-chromosome', /end 1001 is beyond the end of 'chr1' \(1,000 bp\)/],
    [6, 'unknown-chromosome', /chromosome 'chrZ' is not in the genome/],
    [7, 'bad-field', /strand/],
    [8, 'too-few-columns', /comma-separated/],
    [9, 'bad-coordinate', /'1.5' is not a whole number/],
  ];
  for (const [line, code, re] of expect) {
    const e = byLine.get(line);
    assert.ok(e instanceof InputError, `line ${line}`);
    assert.equal(e.code, code);
    assert.ok(e.message.startsWith(`${f}:${line}: `), e.message);
    assert.match(e.message, re);
  }
  assert.match(r.summary, /^9 problems in .*bad\.bed .*over 10 lines/);
});

test('maxErrors caps the list but not the count', async () => {
  const f = tmp.file('many.bed', Array.from({ length: 50 }, () => 'chr1\tx\t1').join('\n'));
  const r = await readBed(f, { maxErrors: 5 });
  assert.equal(r.errors.length, 5);
  assert.equal(r.errorCount, 50);
  assert.match(r.summary, /first 5 listed/);
});

test('absent chromosomes: Ensembl names against a UCSC genome get a renaming suggestion', async () => {
  const f = tmp.file('ensembl.bed', '1\t0\t10\nMT\t5\t6\n2\t1\t2\nweird\t1\t2\n');
  const r = await readBed(f, { chromSizes: genome });
  assert.equal(r.errorCount, 4);
  assert.match(r.errors[0]!.message, /ensembl\.bed:1: chromosome '1' is not in the genome \(the genome has 'chr1'/);
  assert.deepEqual(r.chromMapping?.mapping, { '1': 'chr1', MT: 'chrM', '2': 'chr2' });
  assert.deepEqual(r.chromMapping?.unmapped, ['weird']);
  assert.match(r.summary, /Ensembl\/NCBI-style/);
  // Accepting the mapping fixes it
  const again = await readBed(f, { chromSizes: genome, rename: r.chromMapping!.mapping });
  assert.equal(again.records.length, 3);
  assert.equal(again.records[1]!.chrom, 'chrM');
});

test('UCSC names against an Ensembl genome', async () => {
  const f = tmp.file('ucsc.bed', 'chr1\t0\t10\nchrM\t0\t1\n');
  const r = await readBed(f, { chromSizes: { '1': 100, MT: 50 } });
  assert.deepEqual(r.chromMapping?.mapping, { chr1: '1', chrM: 'MT' });
  assert.match(r.chromMapping!.description, /UCSC-style/);
});

test('empty and binary BED files are file-level InputErrors', async () => {
  const empty = tmp.file('empty.bed', '');
  await assert.rejects(readBed(empty), (e: unknown) => e instanceof InputError && e.code === 'empty-file' && e.message.startsWith(`${empty}: `));
  const onlyComments = tmp.file('comments.bed', '# nothing\ntrack name=x\n');
  await assert.rejects(readBed(onlyComments), /no BED lines/);
  const bin = tmp.file('bin.bed', Buffer.from([0, 1, 2, 3, 0, 0, 255, 10]));
  await assert.rejects(readBed(bin), (e: unknown) => e instanceof InputError && e.code === 'binary-file');
});

test('abort and progress on the text readers', async () => {
  const f = tmp.file('long.bed', Array.from({ length: 20_000 }, (_, i) => `chr1\t${i}\t${i + 1}`).join('\n'));
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(readBed(f, { signal: ac.signal }), { name: 'AbortError' });
  const seen: [number, number][] = [];
  const r = await readBed(f, { onProgress: (d, t) => seen.push([d, t]) });
  assert.equal(r.records.length, 20_000);
  assert.deepEqual(seen.at(-1), [seen.at(-1)![1], seen.at(-1)![1]]);
  assert.ok(seen.at(-1)![1] > 200_000);
});
