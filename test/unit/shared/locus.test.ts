// One locus format for people (issue 10, point 2): 1-based inclusive, thousands separators, strand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLocus, formatPosition } from '../../../shared/locus';

test('a stored BED interval is shown 1-based and inclusive, as IGV and UCSC show it', () => {
  // BED 236..436 (0-based, end excluded) is bases 237..436.
  assert.equal(formatLocus({ chrom: 'NC_000913.3', start: 236, end: 436, strand: '+' }), 'NC_000913.3:237-436 (+)');
  assert.equal(formatLocus({ chrom: 'chr1', start: 1_233, end: 5_678, strand: '-' }), 'chr1:1,234-5,678 (-)');
  // A 1-bp site: start and end coincide.
  assert.equal(formatLocus({ chrom: 'chrM', start: 0, end: 1 }), 'chrM:1-1');
  // No strand ('.', null, absent) shows no strand.
  assert.equal(formatLocus({ chrom: 'K-12-MG1655', start: 4_641_551, end: 4_641_652, strand: '.' }), 'K-12-MG1655:4,641,552-4,641,652');
  assert.equal(formatLocus({ chrom: 'c', start: 9, end: 10, strand: null }), 'c:10-10');
});

test('positions use the same separators whatever the locale', () => {
  assert.equal(formatPosition(1234567), '1,234,567');
  assert.equal(formatPosition(12), '12');
});
