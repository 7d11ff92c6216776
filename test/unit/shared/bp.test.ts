// One way to show a length (issue 10): exact "4,641,652 bp" everywhere; the short form only for
// live progress, never rounding into the wrong unit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBp, formatBpRange, formatBpShort } from '../../../shared/bp';

test('a length is shown exact, with the same separators whatever the locale', () => {
  assert.equal(formatBp(4_641_652), '4,641,652 bp');
  assert.equal(formatBp(231_984), '231,984 bp');
  assert.equal(formatBp(1), '1 bp');
  assert.equal(formatBp(0), '0 bp');
});

test('a span of lengths says one length when they agree', () => {
  assert.equal(formatBpRange(200, 200), '200 bp');
  assert.equal(formatBpRange(70, 1_300), '70–1,300 bp');
});

test('the short form picks the largest unit the rounded value reaches, exact below 10 kb', () => {
  assert.equal(formatBpShort(4_641_652), '4.64 Mb');
  assert.equal(formatBpShort(48_000), '48 kb');
  assert.equal(formatBpShort(12_345), '12.3 kb');
  assert.equal(formatBpShort(9_999), '9,999 bp');
  assert.equal(formatBpShort(999_999), '1 Mb', 'not "1,000 kb"');
  assert.equal(formatBpShort(3_100_000_000), '3.1 Gb');
  assert.equal(formatBpShort(0), '0 bp');
});
