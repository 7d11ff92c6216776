// A run's settings as people read them, one [label, value] row each: the run dashboard's Settings
// card and `loci runs show` print the same rows.
import type { TrainingSettings } from './contract/training';

export const MODE_LABELS = { full: 'Full fine-tuning', lora: 'LoRA', probe: 'Linear probe' } as const;

/** "3e-5" reads better than "0.00003"; three significant digits (a decayed 4.3478e-5 reads 4.35e-5). */
export function formatLr(v: number): string {
  const r = Number(v.toPrecision(3));
  return r >= 0.001 || r === 0 ? String(r) : r.toExponential();
}

export function settingsRows(s: TrainingSettings, backendUsed: string | null = null): Array<[string, string]> {
  const n = (v: number) => v.toLocaleString('en-US');
  return [
    ['Mode', MODE_LABELS[s.mode]],
    ['Length', s.mode === 'probe' ? 'one pass over the sequences (a linear probe has no epochs)' : s.maxSteps !== undefined ? `${n(s.maxSteps)} steps` : `${s.epochs} epoch${s.epochs === 1 ? '' : 's'}`],
    ['Batch size', s.accumulate > 1 ? `${s.batchSize} × ${s.accumulate} accumulated` : String(s.batchSize)],
    ['Learning rate', formatLr(s.lr)],
    ['Warm-up', s.warmupSteps !== undefined ? `${n(s.warmupSteps)} steps` : 'automatic'],
    ['Weight decay', String(s.weightDecay)],
    ['Evaluate every', s.evalEvery !== undefined ? `${n(s.evalEvery)} steps` : 'automatic'],
    ['Max tokens', s.maxLength !== undefined ? n(s.maxLength) : 'automatic (from the sequence lengths)'],
    ['Class weights', s.classWeights],
    ['Early stopping', s.earlyStoppingPatience === null ? 'off' : `after ${s.earlyStoppingPatience} evaluations without improvement`],
    ['Seed', String(s.seed)],
    ...(s.mode === 'lora' && s.lora ? ([['LoRA', `rank ${s.lora.rank}, alpha ${s.lora.alpha}, dropout ${s.lora.dropout}${s.lora.targets ? `, on ${s.lora.targets.join(', ')}` : ''}`]] as Array<[string, string]>) : []),
    ...(s.mode === 'probe' && s.probe ? ([['Probe input', s.probe.pooling]] as Array<[string, string]>) : []),
    ['Backend', s.backend === 'auto' ? `automatic${backendUsed ? ` (${backendUsed})` : ''}` : s.backend],
  ];
}
