// The end-of-run verdict: whether a finished run learned anything, said plainly, with what to try.
// A run that predicts one class for every test example, or ranks no better than a coin, looks like
// any other in the numbers alone (MCC 0.000 is easy to overlook). Used by the run dashboard and the
// CLI's `runs show` alike.

export interface VerdictInput {
  mcc: number;
  auroc: number | null;
  /** confusion[trueClass][predictedClass] */
  confusion: number[][];
}

export interface RunVerdict {
  /** Short headline, e.g. "The model learned nothing useful". */
  title: string;
  /** What is wrong, one sentence each. */
  findings: string[];
  /** What to try, one sentence each. */
  advice: string[];
}

/** |MCC| and |AUROC - 0.5| below this are "at chance" (a 0.05 margin; 416 test examples give AUROC noise of about ±0.03). */
export const CHANCE_MARGIN = 0.05;

/**
 * Undefined when the run learned something; otherwise the findings (one class predicted, at chance)
 * and advice fitted to the run's mode.
 */
export function judgeRun(test: VerdictInput, classNames: readonly string[], mode: 'full' | 'lora' | 'probe'): RunVerdict | undefined {
  const columns = classNames.map((_, j) => test.confusion.reduce((a, row) => a + (row[j] ?? 0), 0));
  const total = columns.reduce((a, b) => a + b, 0);
  const used = columns.map((n, j) => [n, j] as const).filter(([n]) => n > 0);
  const findings: string[] = [];
  if (total > 0 && used.length === 1 && classNames.length > 1) {
    findings.push(`It predicted one class, “${classNames[used[0]![1]]}”, for all ${total.toLocaleString('en-US')} test examples.`);
  }
  const mccChance = Math.abs(test.mcc) < CHANCE_MARGIN;
  const aurocChance = test.auroc === null || Math.abs(test.auroc - 0.5) < CHANCE_MARGIN;
  if (mccChance && aurocChance) {
    findings.push(`Its test scores are at chance level: MCC ${test.mcc.toFixed(3)}${test.auroc !== null ? `, AUROC ${test.auroc.toFixed(2)} (0.5 is a coin toss)` : ''}.`);
  }
  if (findings.length === 0) return undefined;
  const advice = [
    'Train longer: more epochs or steps (a few hundred steps is often too few to move off the majority class).',
    mode === 'full' ? 'Try a higher learning rate (e.g. 1e-4 instead of 3e-5) for a small model, or LoRA for a large one.' : mode === 'lora' ? 'Try a higher learning rate (LoRA often wants 1e-4 to 5e-4) or full fine-tuning.' : 'A linear probe only fits a head on frozen embeddings: try LoRA or full fine-tuning, or a model adapted to this genome.',
    'Check the dataset: balanced classes, labels that differ in sequence (not just in position), and enough examples per class.',
  ];
  return { title: 'This run did not learn to tell the classes apart', findings, advice };
}
