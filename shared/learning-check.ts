// "Is this run learning?" from its dev evaluations, while it trains: a run whose dev MCC stays at 0
// and whose dev loss stays at the chance level (ln of the number of classes: what predicting the
// same probabilities for every example costs) or does not move, for several evaluations, is not
// learning; the warning says what to change. Used by the run dashboard and `loci finetune` (the
// end-of-run verdict is a separate thing, on the run page). Pure: no Node, no DOM.

export interface DevPoint {
  step: number;
  loss: number;
  mcc: number | null;
}

export interface LearningContext {
  numClasses: number;
  /** The run's peak learning rate. */
  lr: number;
  /** The model's parameters, when known (the advice differs for small and large models). */
  parameters?: number | null;
  /** Evaluations needed before judging (default 3). */
  minEvaluations?: number;
}

export interface LearningWarning {
  evaluations: number;
  /** ln(numClasses). */
  chanceLoss: number;
  bestLoss: number;
  /** One sentence: what is seen. */
  message: string;
  /** What to change, most likely first. */
  suggestions: string[];
}

/** |MCC| at or below this is "no better than chance". */
export const CHANCE_MCC = 0.05;

export function notLearning(dev: readonly DevPoint[], c: LearningContext): LearningWarning | null {
  const min = c.minEvaluations ?? 3;
  if (dev.length < min || c.numClasses < 2) return null;
  const chanceLoss = Math.log(c.numClasses);
  const recent = dev.slice(-min);
  const losses = dev.map((d) => d.loss);
  const bestLoss = Math.min(...losses);
  const mccAtChance = recent.every((d) => d.mcc === null || Math.abs(d.mcc) <= CHANCE_MCC) && recent.some((d) => d.mcc !== null);
  // At chance: within 5% of ln C. Flat: the whole dev curve moved less than 1% of ln C (an
  // imbalanced set's "always the majority class" sits below ln C but does not move either).
  const atChance = recent.every((d) => d.loss >= 0.95 * chanceLoss);
  const flat = Math.max(...losses) - bestLoss < 0.01 * chanceLoss;
  if (!mccAtChance || !(atChance || flat)) return null;
  const small = c.parameters !== null && c.parameters !== undefined && c.parameters < 50e6;
  const suggestions: string[] = [];
  if (c.lr < 1e-4 && small) suggestions.push(`Raise the learning rate: ${c.lr.toExponential(0)} suits ~100M-parameter models; small models like this one learn at 1e-3 (the setting validated for Loci's bundled models).`);
  else if (c.lr < 1e-4) suggestions.push(`Raise the learning rate (now ${c.lr.toExponential(0)}), e.g. to ${Math.min(1e-3, c.lr * 10).toExponential(0)}.`);
  else if (c.lr > 3e-3) suggestions.push(`Lower the learning rate (now ${c.lr.toExponential(0)}): too high a rate can also leave a model at chance.`);
  suggestions.push('Train for more steps: a short run may stop before the model leaves the chance level.');
  suggestions.push("If one class dominates the training set, set class weights to 'balanced'.");
  suggestions.push('Check the labels: if the classes do not differ in sequence, no setting will help (look at the dataset summary).');
  const message = `Not learning yet: after ${dev.length} dev evaluations the dev loss is ${atChance ? `at the chance level (${bestLoss.toFixed(3)}; chance is ${chanceLoss.toFixed(3)})` : `flat (${bestLoss.toFixed(3)})`} and the dev MCC is ${recent[recent.length - 1]!.mcc?.toFixed(3) ?? 'n/a'}.`;
  return { evaluations: dev.length, chanceLoss, bestLoss, message, suggestions };
}
