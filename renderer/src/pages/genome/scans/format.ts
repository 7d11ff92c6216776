// Words and numbers for scans, shared by the dialog, the list and the genome view.
import type { ScanInfo } from '../../../../../shared/contract/scans';

export function targetText(t: ScanInfo['target']): string {
  switch (t.kind) {
    case 'genome':
      return 'whole genome';
    case 'chrom':
      return t.chrom;
    case 'region':
      return `${t.chrom}:${(t.start + 1).toLocaleString('en-US')}-${t.end.toLocaleString('en-US')}`;
    case 'bed':
      return `regions in ${t.path.split(/[\\/]/).pop() ?? t.path}`;
  }
}

export function settingsText(s: ScanInfo['settings']): string {
  const strands = s.strand === 'both' ? `both strands (${s.combine})` : `${s.strand} strand`;
  return `window ${s.window} bp · stride ${s.stride} bp · ${strands} · ${s.workers} ${s.workers === 1 ? 'worker' : 'workers'}`;
}

export function runtimeText(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function bpText(bp: number): string {
  if (bp >= 1e6) return `${(bp / 1e6).toFixed(bp >= 1e7 ? 0 : 1)} Mb`;
  if (bp >= 1e3) return `${(bp / 1e3).toFixed(bp >= 1e4 ? 0 : 1)} kb`;
  return `${bp} bp`;
}

export const scanStateColor: Record<string, string> = { done: 'teal', running: 'blue', queued: 'gray', paused: 'yellow', failed: 'red', cancelled: 'gray', interrupted: 'orange' };
