// The wizard's class-weight default (issue 10's walk): a dataset whose training classes are 2 to 1
// or more starts with balanced class weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SKEW_FOR_BALANCED, classSkew } from '../../../shared/class-weights';

test('class skew: the commonest class over the rarest', () => {
  // The wizard's default dataset on E. coli genes: 3,606 genes, 448 background windows.
  assert.ok(classSkew({ gene: 3606, background: 448 }) >= SKEW_FOR_BALANCED);
  assert.equal(classSkew({ motif: 60, background: 60 }), 1);
  assert.ok(classSkew({ a: 30, b: 20 }) < SKEW_FOR_BALANCED);
  assert.equal(classSkew({ a: 10, b: 0 }), Infinity, 'a missing class is not something weights can fix');
  assert.equal(classSkew({ only: 10 }), 1);
});
