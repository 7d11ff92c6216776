// Compare's bold "best" values (issue 10, point 8): a tie bolds every tied run, one value or all
// equal bolds none, and lower is better for losses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestIndices, type Row } from '../../../renderer/src/pages/train/best';

const row = (numbers: Array<number | null>, better: 'high' | 'low' = 'high', digits = 3): Row => ({ label: 'x', numbers, values: numbers.map((v) => (v === null ? '—' : v.toFixed(digits))), better });

test('a tie as shown bolds every tied run, not only the first', () => {
  assert.deepEqual([...bestIndices(row([0.71, 0.5, 0.71]))], [0, 2]);
  // Equal once rounded for display is a tie too.
  assert.deepEqual([...bestIndices(row([0.7104, 0.7101, 0.2]))], [0, 1]);
});

test('one value, or all equal, is nobody’s best; lower wins for losses', () => {
  assert.equal(bestIndices(row([0.7, null])).size, 0);
  assert.equal(bestIndices(row([0.5, 0.5])).size, 0);
  assert.deepEqual([...bestIndices(row([0.42, 0.31, null], 'low'))], [1]);
});
