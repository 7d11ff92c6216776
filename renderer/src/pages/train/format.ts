// How run figures read on the Train page.
import type { RunSummary } from '../../../../shared/contract/training';
import { formatLr, MODE_LABELS } from '../../../../shared/run-settings';

export type RunState = RunSummary['state'];

export const stateColor: Record<RunState, string> = {
  queued: 'gray',
  running: 'blue',
  paused: 'yellow',
  done: 'teal',
  failed: 'red',
  cancelled: 'gray',
  interrupted: 'orange',
};

export const modeLabel = MODE_LABELS;

/** States a run can still move on from by itself. */
export const liveStates: ReadonlySet<RunState> = new Set(['queued', 'running']);
/** States the contract's `training.resume` accepts. */
export const resumableStates: ReadonlySet<RunState> = new Set(['paused', 'interrupted', 'failed']);

/** A metric in [-1, 1] or [0, 1] with three decimals; a dash when there is none. */
export function metric(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits);
}

export function loss(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v < 0.01 ? v.toExponential(2) : v.toFixed(4);
}

/** 75 -> "1 min 15 s", 5400 -> "1 h 30 min". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return `${h} h${m ? ` ${m} min` : ''}`;
}

export function rate(tokensPerSecond: number | null | undefined): string {
  if (tokensPerSecond === null || tokensPerSecond === undefined) return '—';
  return `${Math.round(tokensPerSecond).toLocaleString()} tok/s`;
}

export const lr = formatLr;
