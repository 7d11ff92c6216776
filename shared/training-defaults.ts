// Fine-tuning defaults that come from the chosen model, with where each one comes from. DNABERT-2's
// protocol (lr 3e-5, batch 32, warm-up 50, 3 epochs, dev every 200 steps) is right for its
// 117M-parameter model and leaves Loci's ~1M-parameter models at chance (dev loss flat at ln 2), so:
//   1. a model whose config.json carries `loci_finetune_defaults` (Loci's bundled models: settings
//      validated on GUE dev sets, stated in the model card) uses those;
//   2. a from-scratch baseline uses the settings validated for small random-init encoders;
//   3. any other model gets defaults by its size: DNABERT-2's protocol from 50M parameters up
//      (DNABERT-2-117M, DNABERT's 86M 6-mer models, Nucleotide Transformer), a middle setting for
//      5-50M, and the small-model setting below 5M.
// Pure: no Node, no DOM (the services, the CLI, the GUE runner and the UI share it).

export interface ModelDefaultsInput {
  /** config.json as read. */
  config: Record<string, unknown>;
  parameters: number;
  /** The project's kind of model, when known. */
  kind?: 'bundled' | 'imported' | 'baseline' | 'finetuned';
  /** The model's name, for the source line. */
  name?: string;
}

/** The settings a model's defaults decide; everything else keeps the contract's defaults. */
export interface ModelTrainingDefaults {
  lr: number;
  batchSize: number;
  /** Either a fixed number of optimizer steps or epochs; maxSteps wins when set. */
  epochs: number;
  maxSteps?: number;
  warmupSteps?: number;
  evalEvery?: number;
  weightDecay: number;
}

export type DefaultField = keyof ModelTrainingDefaults;

export interface ResolvedModelDefaults {
  settings: ModelTrainingDefaults;
  /** Which rule chose them: 'model-card' | 'baseline' | 'size-large' | 'size-medium' | 'size-small'. */
  profile: 'model-card' | 'baseline' | 'size-large' | 'size-medium' | 'size-small';
  /** One line for people: where these defaults come from. */
  source: string;
  /** Per field, where its value comes from (the same line, or a note when a field fell back). */
  sources: Partial<Record<DefaultField, string>>;
}

/** DNABERT-2's GUE protocol (Zhou et al. 2023): for ~100M-parameter models. */
export const DNABERT2_PROTOCOL: ModelTrainingDefaults = { lr: 3e-5, batchSize: 32, epochs: 3, warmupSteps: 50, evalEvery: 200, weightDecay: 0.01 };

/**
 * Small encoders (under 5M parameters, pre-trained or not): validated on GUE dev sets with
 * loci-bpe-mini and its from-scratch twin (see docs/benchmarks.md): lr 1e-3 learns where 3e-5
 * stays at chance.
 */
export const SMALL_MODEL_DEFAULTS: ModelTrainingDefaults = { lr: 1e-3, batchSize: 32, epochs: 3, maxSteps: 600, warmupSteps: 30, evalEvery: 50, weightDecay: 0.01 };

/** 5-50M parameters: between the two (no model of that size was validated; a starting point). */
export const MEDIUM_MODEL_DEFAULTS: ModelTrainingDefaults = { lr: 2e-4, batchSize: 32, epochs: 3, warmupSteps: 50, evalEvery: 100, weightDecay: 0.01 };

export const LARGE_MODEL_PARAMETERS = 50e6;
export const SMALL_MODEL_PARAMETERS = 5e6;

/** The key in config.json that carries a model's validated fine-tuning defaults (HF-style snake_case). */
export const CONFIG_DEFAULTS_KEY = 'loci_finetune_defaults';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

/** config.json's loci_finetune_defaults ({lr, batch_size, epochs, max_steps, warmup_steps, eval_every, weight_decay, validated}); null when absent or unusable. */
export function cardDefaults(config: Record<string, unknown>): { settings: Partial<ModelTrainingDefaults>; validated: string | null } | null {
  const d = config[CONFIG_DEFAULTS_KEY];
  if (!d || typeof d !== 'object' || Array.isArray(d)) return null;
  const o = d as Record<string, unknown>;
  const settings: Partial<ModelTrainingDefaults> = {};
  const lr = num(o.lr);
  if (lr !== undefined && lr <= 1) settings.lr = lr;
  const batch = int(o.batch_size);
  if (batch) settings.batchSize = batch;
  const epochs = num(o.epochs);
  if (epochs !== undefined) settings.epochs = epochs;
  const steps = int(o.max_steps);
  if (steps) settings.maxSteps = steps;
  const warm = int(o.warmup_steps);
  if (warm !== undefined) settings.warmupSteps = warm;
  const every = int(o.eval_every);
  if (every) settings.evalEvery = every;
  const wd = typeof o.weight_decay === 'number' && o.weight_decay >= 0 && o.weight_decay <= 1 ? o.weight_decay : undefined;
  if (wd !== undefined) settings.weightDecay = wd;
  if (Object.keys(settings).length === 0) return null;
  return { settings, validated: typeof o.validated === 'string' && o.validated.trim() ? o.validated.trim() : null };
}

function millions(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M` : `${Math.round(n / 1e3)}k`;
}

/** The fine-tuning defaults of a model, and where they come from. */
export function modelTrainingDefaults(m: ModelDefaultsInput): ResolvedModelDefaults {
  const size = `${millions(m.parameters)} parameters`;
  const bySize = (): Omit<ResolvedModelDefaults, 'sources'> =>
    m.parameters >= LARGE_MODEL_PARAMETERS
      ? { settings: DNABERT2_PROTOCOL, profile: 'size-large', source: `DNABERT-2's fine-tuning protocol, for models of its size (${size})` }
      : m.parameters >= SMALL_MODEL_PARAMETERS
        ? { settings: MEDIUM_MODEL_DEFAULTS, profile: 'size-medium', source: `by size: a ${size} model (between Loci's small-model settings and DNABERT-2's protocol)` }
        : { settings: SMALL_MODEL_DEFAULTS, profile: 'size-small', source: `by size: a small model (${size}); settings validated on GUE dev sets for Loci's small models` };
  const card = cardDefaults(m.config);
  if (card) {
    const fallback = bySize();
    const settings: ModelTrainingDefaults = { ...fallback.settings, ...card.settings };
    // A card that sets epochs but not steps means epochs.
    if (card.settings.epochs !== undefined && card.settings.maxSteps === undefined) delete settings.maxSteps;
    const source = `${m.name ? `${m.name}'s` : "the model's"} card (config.json ${CONFIG_DEFAULTS_KEY}${card.validated ? `: ${card.validated}` : ''})`;
    const sources: ResolvedModelDefaults['sources'] = {};
    for (const k of Object.keys(settings) as DefaultField[]) sources[k] = k in card.settings ? source : fallback.source;
    return { settings, profile: 'model-card', source, sources };
  }
  const chosen =
    m.kind === 'baseline'
      ? { settings: SMALL_MODEL_DEFAULTS, profile: 'baseline' as const, source: `from-scratch baseline (${size}): settings validated on GUE dev sets for random-init encoders` }
      : bySize();
  const sources: ResolvedModelDefaults['sources'] = {};
  for (const k of Object.keys(chosen.settings) as DefaultField[]) sources[k] = chosen.source;
  return { ...chosen, sources };
}
