// Plain-text output helpers shared by the commands.
import type { ProjectInfo } from '../../shared/contract/projects';
import { countOf } from '../../shared/contract/data';
import { formatBytes } from '../../shared/bytes';

/** Aligned "Label: value" lines. */
export function keyValues(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows.map(([k, v]) => `${(k + ':').padEnd(width)} ${v}`).join('\n');
}

export function projectDetails(p: ProjectInfo): string {
  const c = p.counts;
  return keyValues([
    ['Name', p.name],
    ['Path', p.path],
    ['Created', p.createdAt],
    ['Modified', p.modifiedAt],
    ['Schema', String(p.schemaVersion)],
    ...(p.readOnly ? [['Access', `read-only (${p.readOnlyReason ?? 'this Loci may not write it'}): you can look, not change`] as [string, string]] : []),
    ['Size', formatBytes(p.sizeBytes)],
    ['Contents', [countOf(c.genomes, 'genome'), countOf(c.datasets, 'dataset'), countOf(c.models, 'model'), countOf(c.runs, 'run')].join(', ')],
  ]);
}

/** Columns padded to the widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

export function printJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
