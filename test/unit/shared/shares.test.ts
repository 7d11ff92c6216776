// Split shares that add to 100% (issue 10, point 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentShares } from '../../../shared/shares';

test('whole percentages of a split always add to 100', () => {
  assert.deepEqual(percentShares([8, 1, 1]), [80, 10, 10]);
  assert.deepEqual(percentShares([1, 1, 1]), [34, 33, 33]);
  assert.deepEqual(percentShares([5, 5, 5, 5, 5, 5, 5]).reduce((a, b) => a + b, 0), 100);
  for (const parts of [[3330, 418, 418], [2, 1, 0], [417, 416, 416], [1, 0, 0]]) {
    assert.equal(percentShares(parts).reduce((a, b) => a + b, 0), 100, parts.join('/'));
  }
  assert.deepEqual(percentShares([0, 0, 0]), [0, 0, 0]);
  // Plain rounding would give 81/10/10 = 101 here.
  assert.deepEqual(percentShares([805, 98, 97]), [80, 10, 10]);
});
