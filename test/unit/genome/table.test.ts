import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readLabelledSequences, splitDelimited } from '../../../main/genome/table';
import { InputError } from '../../../main/genome/errors';
import { tempDir } from './helpers';

const tmp = tempDir();
after(() => tmp.cleanup());

test('splitDelimited handles quotes and doubled quotes', () => {
  assert.deepEqual(splitDelimited('a,"b,c","d""e",', ','), ['a', 'b,c', 'd"e', '']);
  assert.deepEqual(splitDelimited('x\ty', '\t'), ['x', 'y']);
  assert.match(String(splitDelimited('"abc', ',')), /not closed/);
});

test('GUE-style CSV with a header: integer labels, class list and indices', async () => {
  const f = tmp.file('train.csv', 'sequence,label\nACGTN,1\n"acgt",0\nGGCC,1\n');
  const r = await readLabelledSequences(f);
  assert.equal(r.format, 'csv');
  assert.deepEqual(r.header, ['sequence', 'label']);
  assert.deepEqual(r.classes, ['0', '1']);
  assert.deepEqual(r.records.map((x) => [x.sequence, x.label, x.labelIndex, x.line]), [
    ['ACGTN', '1', 1, 2],
    ['acgt', '0', 0, 3], // case kept
    ['GGCC', '1', 1, 4],
  ]);
  assert.deepEqual(r.classCounts, { '0': 1, '1': 2 });
});

test('TSV without a header, string labels, multi-class; reordered columns by name', async () => {
  const f = tmp.file('x.tsv', 'ACGT\tpromoter\nGGGG\tenhancer\nTTTT\tother\nAAAA\tpromoter\n');
  const r = await readLabelledSequences(f);
  assert.equal(r.header, undefined);
  assert.deepEqual(r.classes, ['enhancer', 'other', 'promoter']);
  assert.deepEqual(r.records.map((x) => x.labelIndex), [2, 0, 1, 2]);
  const g = tmp.file('y.csv', 'id,class,seq\nr1,b,ACGT\nr2,a,CCCC\n');
  const r2 = await readLabelledSequences(g);
  assert.deepEqual(r2.records.map((x) => [x.sequence, x.label]), [['ACGT', 'b'], ['CCCC', 'a']]);
});

test('a given class list fixes the order and rejects unknown labels with file and line', async () => {
  const f = tmp.file('c.csv', 'sequence,label\nACGT,yes\nACGT,no\nACGT,maybe\n');
  const r = await readLabelledSequences(f, { classes: ['no', 'yes'] });
  assert.deepEqual(r.records.map((x) => x.labelIndex), [1, 0]);
  assert.equal(r.errors.length, 1);
  const e = r.errors[0]!;
  assert.equal(e.code, 'unknown-label');
  assert.equal(e.message, `${f}:4: unknown label 'maybe' (the classes are: no, yes)`);
});

test('missing label column: with a header, and without', async () => {
  const f = tmp.file('nolabel.csv', 'sequence,name\nACGT,a\n');
  await assert.rejects(readLabelledSequences(f), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.equal(e.code, 'missing-column');
    assert.equal(e.line, 1);
    assert.equal(e.message, `${f}:1: no label column: the header has 'sequence', 'name'; name one 'label' or choose it`);
    return true;
  });
  const g = tmp.file('onecol.csv', 'ACGT\nGGGG\n');
  await assert.rejects(readLabelledSequences(g), (e: unknown) => e instanceof InputError && e.code === 'missing-column' && e.message.startsWith(`${g}:1: no label column`));
});

test('non-IUPAC in a sequence, short rows, empty sequences: collected per line', async () => {
  const f = tmp.file('bad.csv', 'sequence,label\nACGT,1\nACXT,0\nACGT\n,1\n"unclosed,1\n');
  const r = await readLabelledSequences(f);
  assert.equal(r.records.length, 1);
  assert.deepEqual(r.errors.map((e) => [e.line, e.code]), [[3, 'invalid-character'], [4, 'too-few-columns'], [5, 'empty-sequence'], [6, 'bad-field']]);
  assert.equal(r.errors[0]!.message, `${f}:3: 'X' is not a nucleotide code (allowed: ACGTURYSWKMBDHVN in upper or lower case) at position 3 of the sequence`);
});

test('rows with more or fewer fields than the header (or the first row) are line-numbered errors (issue 9)', async () => {
  const f = tmp.file('width.csv', 'sequence,label\nACGT,1\nACGT,0,extra\nGGCC,1\nAC,GT,0\n');
  const r = await readLabelledSequences(f);
  assert.deepEqual(r.records.map((x) => x.line), [2, 4]);
  assert.deepEqual(r.errors.map((e) => [e.line, e.code]), [[3, 'bad-field'], [5, 'bad-field']]);
  assert.equal(r.errors[0]!.message, `${f}:3: expected 2 fields as in the header on line 1, found 3 (a field holding a comma must be in double quotes)`);
  // No header: the first row sets the width.
  const g = tmp.file('width.tsv', 'ACGT\t1\nACGT\t0\tx\tx\nGG\t1\n');
  const t = await readLabelledSequences(g);
  assert.deepEqual(t.errors.map((e) => e.message), [`${g}:2: expected 2 fields as on line 1, the first, found 4`]);
  assert.equal(t.records.length, 2);
});

test('FASTA with labels in headers: label= and |label forms, multi-line sequences', async () => {
  const f = tmp.file('l.fa', '>s1 label=promoter\nACGT\nAC\n>s2|enhancer\nGGGG\n>s3 desc class=promoter\nTT\n>s4 nolabel\nAA\n>s5|x\nACGTACZT\n');
  const r = await readLabelledSequences(f);
  assert.equal(r.format, 'fasta');
  assert.deepEqual(r.records.map((x) => [x.id, x.sequence, x.label, x.line]), [
    ['s1', 'ACGTAC', 'promoter', 1],
    ['s2', 'GGGG', 'enhancer', 4],
    ['s3', 'TT', 'promoter', 6],
  ]);
  assert.deepEqual(r.classes, ['enhancer', 'promoter']);
  assert.deepEqual(r.errors.map((e) => [e.line, e.column, e.code]), [[8, undefined, 'missing-column'], [11, 7, 'invalid-character']]);
});

test('empty table file', async () => {
  const f = tmp.file('empty.csv', '');
  await assert.rejects(readLabelledSequences(f), (e: unknown) => e instanceof InputError && e.code === 'empty-file');
});
