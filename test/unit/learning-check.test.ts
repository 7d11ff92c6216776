// The during-training "not learning" check: fires on a dev curve flat at chance, stays quiet on one
// that learns, on too few evaluations, and on a slow start that leaves chance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notLearning, type DevPoint } from '../../shared/learning-check';

const pts = (xs: [number, number | null][]): DevPoint[] => xs.map(([loss, mcc], i) => ({ step: (i + 1) * 50, loss, mcc }));

test('a dev curve flat at ln 2 with MCC 0 is not learning; a small model at lr 3e-5 is told to raise it', () => {
  const w = notLearning(pts([[0.6934, 0], [0.6931, 0], [0.6932, 0.01]]), { numClasses: 2, lr: 3e-5, parameters: 1.07e6 });
  assert.ok(w);
  assert.equal(w.evaluations, 3);
  assert.match(w.message, /at the chance level \(0\.693; chance is 0\.693\)/);
  assert.match(w.suggestions[0]!, /Raise the learning rate: 3e-5 .* 1e-3/);
});

test('quiet before enough evaluations, when the model learns, and when the loss leaves chance', () => {
  assert.equal(notLearning(pts([[0.6934, 0], [0.6931, 0]]), { numClasses: 2, lr: 3e-5 }), null);
  assert.equal(notLearning(pts([[0.69, 0.1], [0.6, 0.3], [0.5, 0.45]]), { numClasses: 2, lr: 1e-3 }), null);
  // MCC still 0 but the loss fell well below chance and moves: give it time.
  assert.equal(notLearning(pts([[0.69, 0], [0.62, 0], [0.58, 0.02]]), { numClasses: 2, lr: 1e-3 }), null);
});

test('an imbalanced set stuck on the majority class: loss below ln C but flat, MCC 0', () => {
  const w = notLearning(pts([[0.3251, 0], [0.3249, 0], [0.325, 0], [0.3252, 0]]), { numClasses: 2, lr: 1e-3, parameters: 1e6 });
  assert.ok(w);
  assert.match(w.message, /flat \(0\.325\)/);
  assert.ok(w.suggestions.some((s) => /balanced/.test(s)));
  assert.ok(!w.suggestions.some((s) => /Raise the learning rate/.test(s)));
});

test('three classes: chance is ln 3; a large model at 3e-5 is told to raise the rate tenfold', () => {
  const w = notLearning(pts([[1.0986, 0], [1.0985, 0], [1.0987, 0]]), { numClasses: 3, lr: 3e-5, parameters: 117e6 });
  assert.ok(w);
  assert.match(w.suggestions[0]!, /now 3e-5\), e\.g\. to 3e-4/);
});
