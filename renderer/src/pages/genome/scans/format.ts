// Words and numbers for scans, shared by the dialog, the list and the genome view.
import type { ScanInfo } from '../../../../../shared/contract/scans';
import { formatBp, formatBpShort } from '../../../../../shared/bp';
import { formatLocus } from '../../../../../shared/locus';

export function targetText(t: ScanInfo['target']): string {
  switch (t.kind) {
    case 'genome':
      return 'whole genome';
    case 'chrom':
      return t.chrom;
    case 'region':
      return formatLocus(t);
    case 'bed':
      return `regions in ${t.path.split(/[\\/]/).pop() ?? t.path}`;
  }
}

export function settingsText(s: ScanInfo['settings']): string {
  const strands = s.strand === 'both' ? `both strands (${s.combine})` : `${s.strand} strand`;
  return `window ${formatBp(s.window)} · stride ${formatBp(s.stride)} · ${strands} · ${s.workers} ${s.workers === 1 ? 'worker' : 'workers'}`;
}

export function runtimeText(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * A scan's live progress, short ("1.2 Mb of 4.64 Mb · 310 kb/s"), and the exact numbers for its
 * title (shared/bp.ts: a short form always comes with the exact one).
 */
export function progressText(bpDone: number, bpTotal: number, bpPerSecond?: number | null): { text: string; title: string } {
  const speed = bpPerSecond ? Math.round(bpPerSecond) : 0;
  return {
    text: `${formatBpShort(bpDone)} of ${formatBpShort(bpTotal)}${speed ? ` · ${formatBpShort(speed)}/s` : ''}`,
    title: `${formatBp(bpDone)} of ${formatBp(bpTotal)}${speed ? ` · ${formatBp(speed)}/s` : ''}`,
  };
}

export const scanStateColor: Record<string, string> = { done: 'teal', running: 'blue', queued: 'gray', paused: 'yellow', failed: 'red', cancelled: 'gray', interrupted: 'orange' };
