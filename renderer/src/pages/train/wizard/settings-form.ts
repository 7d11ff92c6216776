// The settings step's form: what the inputs hold (numbers, or '' while a field is being typed or
// left on "automatic"), how it becomes the contract's TrainingSettings, and which input each of the
// API's field-level issues belongs to.
import type { MethodInput } from '../../../../../shared/contract';
import type { FinetuneMode, TrainingSettings } from '../../../../../shared/contract/training';

type Num = number | string;
export type SettingsInput = NonNullable<MethodInput<'training.start'>['settings']>;

export interface SettingsForm {
  name: string;
  mode: FinetuneMode;
  lengthBy: 'epochs' | 'steps';
  epochs: Num;
  maxSteps: Num;
  lr: Num;
  batchSize: Num;
  accumulate: Num;
  /** '' = automatic (the service's default). */
  warmupSteps: Num;
  weightDecay: Num;
  evalEvery: Num;
  maxLength: Num;
  classWeights: TrainingSettings['classWeights'];
  /** '' = off. */
  earlyStoppingPatience: Num;
  seed: Num;
  loraRank: Num;
  loraAlpha: Num;
  loraDropout: Num;
  probePooling: 'pooler' | 'cls' | 'mean';
  backend: TrainingSettings['backend'];
}

export type FormField = Exclude<keyof SettingsForm, 'mode' | 'lengthBy' | 'classWeights' | 'probePooling' | 'backend'> | 'backend' | 'classWeights';

/** The API issue path ("settings.lora.rank") of each input. */
export const issuePaths: Record<FormField, string> = {
  name: 'name',
  epochs: 'settings.epochs',
  maxSteps: 'settings.maxSteps',
  lr: 'settings.lr',
  batchSize: 'settings.batchSize',
  accumulate: 'settings.accumulate',
  warmupSteps: 'settings.warmupSteps',
  weightDecay: 'settings.weightDecay',
  evalEvery: 'settings.evalEvery',
  maxLength: 'settings.maxLength',
  classWeights: 'settings.classWeights',
  earlyStoppingPatience: 'settings.earlyStoppingPatience',
  seed: 'settings.seed',
  loraRank: 'settings.lora.rank',
  loraAlpha: 'settings.lora.alpha',
  loraDropout: 'settings.lora.dropout',
  backend: 'settings.backend',
};

/** Inputs inside the collapsed "Advanced" section, so an error there opens it. */
export const advancedFields: readonly FormField[] = ['accumulate', 'warmupSteps', 'weightDecay', 'evalEvery', 'maxLength', 'classWeights', 'earlyStoppingPatience', 'seed', 'loraRank', 'loraAlpha', 'loraDropout', 'backend'];

export function formFromDefaults(d: TrainingSettings): SettingsForm {
  return {
    name: '',
    mode: d.mode,
    lengthBy: d.maxSteps !== undefined ? 'steps' : 'epochs',
    epochs: d.epochs,
    maxSteps: d.maxSteps ?? '',
    lr: d.lr,
    batchSize: d.batchSize,
    accumulate: d.accumulate,
    warmupSteps: d.warmupSteps ?? '',
    weightDecay: d.weightDecay,
    evalEvery: d.evalEvery ?? '',
    maxLength: d.maxLength ?? '',
    classWeights: d.classWeights,
    earlyStoppingPatience: d.earlyStoppingPatience ?? '',
    seed: d.seed,
    loraRank: d.lora?.rank ?? 8,
    loraAlpha: d.lora?.alpha ?? 16,
    loraDropout: d.lora?.dropout ?? 0.05,
    probePooling: d.probe?.pooling ?? 'pooler',
    backend: d.backend,
  };
}

/** The settings a model's defaults decide (training.modelDefaults), as form fields: applied when the model is chosen. */
export function formFromModelDefaults(d: TrainingSettings): Pick<SettingsForm, 'lengthBy' | 'epochs' | 'maxSteps' | 'lr' | 'batchSize' | 'warmupSteps' | 'weightDecay' | 'evalEvery'> {
  const f = formFromDefaults(d);
  return { lengthBy: f.lengthBy, epochs: f.epochs, maxSteps: f.maxSteps, lr: f.lr, batchSize: f.batchSize, warmupSteps: f.warmupSteps, weightDecay: f.weightDecay, evalEvery: f.evalEvery };
}

const isSet = (v: Num): v is number => typeof v === 'number' && Number.isFinite(v);

/** Required inputs left empty: said here, before asking the Node side. */
export function missingFields(f: SettingsForm): Partial<Record<FormField, string>> {
  const out: Partial<Record<FormField, string>> = {};
  const required: FormField[] = ['lr', 'batchSize', 'accumulate', 'weightDecay', 'seed', f.lengthBy === 'epochs' ? 'epochs' : 'maxSteps'];
  if (f.mode === 'lora') required.push('loraRank', 'loraAlpha', 'loraDropout');
  for (const k of required) if (!isSet(f[k as keyof SettingsForm] as Num)) out[k] = 'Enter a number';
  return out;
}

/** The form as the contract's settings; the service validates the values (and says what is wrong). */
export function settingsFromForm(f: SettingsForm): SettingsInput {
  const num = (v: Num) => (isSet(v) ? v : undefined);
  return {
    mode: f.mode,
    lr: num(f.lr),
    batchSize: num(f.batchSize),
    accumulate: num(f.accumulate),
    ...(f.lengthBy === 'epochs' ? { epochs: num(f.epochs) } : { maxSteps: num(f.maxSteps) }),
    ...(isSet(f.warmupSteps) && { warmupSteps: f.warmupSteps }),
    weightDecay: num(f.weightDecay),
    ...(isSet(f.evalEvery) && { evalEvery: f.evalEvery }),
    ...(isSet(f.maxLength) && { maxLength: f.maxLength }),
    classWeights: f.classWeights,
    earlyStoppingPatience: isSet(f.earlyStoppingPatience) ? f.earlyStoppingPatience : null,
    seed: num(f.seed),
    ...(f.mode === 'lora' && { lora: { rank: num(f.loraRank), alpha: num(f.loraAlpha), dropout: num(f.loraDropout) } }),
    ...(f.mode === 'probe' && { probe: { pooling: f.probePooling } }),
    backend: f.backend,
  };
}
