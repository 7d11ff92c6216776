// Chromosome-name mapping suggestions and grouped problems (issue 10, point 1).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readBed } from '../../../main/genome/bed';
import { readGff } from '../../../main/genome/gff';
import { suggestChromMapping } from '../../../main/genome/chroms';
import { tempDir } from './helpers';

const tmp = tempDir();
after(() => tmp.cleanup());

const gffLine = (chrom: string, type: string, start: number, end: number, name: string) => `${chrom}\tRefSeq\t${type}\t${start}\t${end}\t.\t+\t.\tID=${name};Name=${name}`;

test('one genome sequence and one chromosome name in the file: suggest mapping one onto the other', async () => {
  const genome = new Map([['K-12-MG1655', 10_000]]);
  const f = tmp.file('ncbi.gff', ['##gff-version 3', gffLine('NC_000913.3', 'gene', 190, 255, 'thrL'), gffLine('NC_000913.3', 'CDS', 190, 255, 'thrL'), gffLine('NC_000913.3', 'gene', 337, 2799, 'thrA')].join('\n'));
  const r = await readGff(f, { chromSizes: genome });
  assert.equal(r.features.length, 0);
  assert.equal(r.errorCount, 3);
  assert.deepEqual(r.chromMapping?.mapping, { 'NC_000913.3': 'K-12-MG1655' });
  assert.match(r.chromMapping!.description, /only chromosome 'NC_000913.3'.*one sequence, 'K-12-MG1655'/);
  assert.deepEqual(r.unknownChroms, ['NC_000913.3']);
  // Identical problems fold into one group that counts every line.
  assert.equal(r.errorGroups.length, 1);
  assert.equal(r.errorGroups[0]!.count, 3);
  assert.deepEqual(r.errorGroups[0]!.lines, [2, 3, 4]);
  assert.match(r.errorGroups[0]!.problem, /chromosome 'NC_000913.3' is not in the genome \(the genome's only sequence is 'K-12-MG1655'/);
  // With the mapping applied everything reads, in GFF's 1-based coordinates turned into BED's.
  const again = await readGff(f, { chromSizes: genome, rename: r.chromMapping!.mapping });
  assert.equal(again.errorCount, 0);
  assert.deepEqual(again.features.map((x) => [x.chrom, x.start, x.end]), [['K-12-MG1655', 189, 255], ['K-12-MG1655', 189, 255], ['K-12-MG1655', 336, 2799]]);
  assert.deepEqual(again.unknownChroms, []);
});

test('no one-to-one suggestion when the file also uses a genome name or names two chromosomes', async () => {
  const genome = new Map([['seqA', 1000]]);
  assert.equal(suggestChromMapping(['other'], genome, 1), undefined);
  assert.equal(suggestChromMapping(['x', 'y'], genome, 0), undefined);
  const two = new Map([['seqA', 1000], ['seqB', 1000]]);
  assert.equal(suggestChromMapping(['x'], two, 0), undefined);
  const f = tmp.file('mixed.bed', 'seqA\t1\t10\nplasmid\t1\t10\nplasmid\t5\t9\n');
  const r = await readBed(f, { chromSizes: genome });
  assert.equal(r.chromMapping, undefined);
  assert.deepEqual(r.unknownChroms, ['plasmid']);
  assert.equal(r.errorGroups[0]!.count, 2);
});

test('accessions match with and without their version; known aliases still win', () => {
  const genome = new Map([['NC_000913.3', 100], ['NC_000914.1', 50], ['chrM', 16]]);
  const m = suggestChromMapping(['NC_000913', 'NC_000914.2', 'MT', 'nope'], genome);
  assert.deepEqual(m?.mapping, { NC_000913: 'NC_000913.3', 'NC_000914.2': 'NC_000914.1', MT: 'chrM' });
  assert.deepEqual(m?.unmapped, ['nope']);
  const ucsc = suggestChromMapping(['chr1', 'chrM'], new Map([['1', 10], ['MT', 5]]));
  assert.deepEqual(ucsc?.mapping, { chr1: '1', chrM: 'MT' });
  assert.match(ucsc!.description, /UCSC-style/);
});

test('different problems stay apart and every problem is counted in the groups, also past the listing limit', async () => {
  const genome = new Map([['chr1', 1000]]);
  const lines = [];
  for (let i = 0; i < 150; i++) lines.push('chrX\t1\t10');
  lines.push('chr1\t20\t10', 'chr1\t1\t5000');
  const r = await readBed(tmp.file('many.bed', lines.join('\n')), { chromSizes: genome });
  assert.equal(r.errorCount, 152);
  assert.equal(r.errors.length, 100);
  assert.deepEqual(r.errorGroups.map((g) => g.count), [150, 1, 1]);
  assert.equal(r.errorGroups.reduce((a, g) => a + g.count, 0), r.errorCount);
  assert.deepEqual(r.errorGroups[0]!.lines, [1, 2, 3, 4, 5]);
});

test('a GFF3 that states another length for the chromosome is flagged as probably another assembly', async () => {
  const genome = new Map([['K-12-MG1655', 4_639_675]]);
  const head = (len: number) => ['##gff-version 3', `##sequence-region NC_000913.3 1 ${len}`, gffLine('NC_000913.3', 'gene', 190, 255, 'thrL')].join('\n');
  // The demo genome (U00096.2 length) against NCBI's NC_000913.3: the suggestion stands, with a warning.
  const other = await readGff(tmp.file('other.gff', head(4_641_652)), { chromSizes: genome });
  assert.deepEqual(other.chromMapping?.mapping, { 'NC_000913.3': 'K-12-MG1655' });
  assert.match(other.assemblyWarning ?? '', /the file says 'NC_000913\.3' is 4,641,652 bp but the genome's 'K-12-MG1655' is 4,639,675 bp: probably another assembly/);
  // Still said once the names are mapped: the positions are the question, not the names.
  const renamed = await readGff(tmp.file('other.gff', head(4_641_652)), { chromSizes: genome, rename: { 'NC_000913.3': 'K-12-MG1655' } });
  assert.equal(renamed.errorCount, 0);
  assert.match(renamed.assemblyWarning ?? '', /probably another assembly/);
  // The same length: no warning.
  const same = await readGff(tmp.file('same.gff', head(4_639_675)), { chromSizes: genome });
  assert.equal(same.assemblyWarning, undefined);
  assert.deepEqual(same.chromMapping?.mapping, { 'NC_000913.3': 'K-12-MG1655' });
});
