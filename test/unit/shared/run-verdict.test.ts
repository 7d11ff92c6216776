// The end-of-run verdict (issue 10, point 4): said when a run predicts one class or is at chance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeRun } from '../../../shared/run-verdict';

const classes = ['background', 'CDS start'];

test('a run that predicts one class at chance gets both findings and advice for its mode', () => {
  // The runs: confusion 416/0, 416/0, MCC 0.000, AUROC 0.51.
  const v = judgeRun({ mcc: 0, auroc: 0.51, confusion: [[416, 0], [416, 0]] }, classes, 'probe');
  assert.ok(v);
  assert.equal(v.findings.length, 2);
  assert.match(v.findings[0]!, /one class, “background”, for all 832 test examples/);
  assert.match(v.findings[1]!, /chance level: MCC 0\.000, AUROC 0\.51/);
  assert.ok(v.advice.some((a) => /LoRA or full fine-tuning/.test(a)), 'a probe is told to try fine-tuning');
  const full = judgeRun({ mcc: 0, auroc: 0.51, confusion: [[416, 0], [416, 0]] }, classes, 'full');
  assert.ok(full!.advice.some((a) => /higher learning rate/.test(a)));
});

test('at chance without a single class, and one class alone, are each said', () => {
  const chance = judgeRun({ mcc: 0.01, auroc: 0.52, confusion: [[200, 216], [210, 206]] }, classes, 'full');
  assert.deepEqual(chance?.findings.length, 1);
  assert.match(chance!.findings[0]!, /chance/);
  // One class predicted but AUROC well above chance (the threshold is off, the ranking is not).
  const oneClass = judgeRun({ mcc: 0, auroc: 0.8, confusion: [[0, 416], [0, 416]] }, classes, 'full');
  assert.equal(oneClass?.findings.length, 1);
  assert.match(oneClass!.findings[0]!, /“CDS start”/);
});

test('a run that learned something gets no verdict', () => {
  assert.equal(judgeRun({ mcc: 0.62, auroc: 0.9, confusion: [[380, 36], [60, 356]] }, classes, 'full'), undefined);
  // Negative MCC far from 0 is not chance (labels swapped, say): no "learned nothing" verdict.
  assert.equal(judgeRun({ mcc: -0.4, auroc: 0.2, confusion: [[100, 316], [300, 116]] }, classes, 'full'), undefined);
});
