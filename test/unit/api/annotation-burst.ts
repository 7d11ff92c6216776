// The burst of annotation edits of annotations-crash.test.ts: a deterministic op sequence (from
// the one PRNG), a model of what the annotations are after the first n ops, and, run as a script,
// a writer that applies the ops through the services and prints one line after each commit.
import { Rng } from '../../../main/datasets/prng';

export type BurstOp =
  | { kind: 'add'; chrom: string; start: number; end: number; label: string }
  | { kind: 'update'; pick: number; label: string; end: number }
  | { kind: 'remove'; pick: number };

export function burstOps(seed: number, n: number): BurstOp[] {
  const rng = new Rng(seed);
  const ops: BurstOp[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    const start = Math.floor(rng.next() * 11_000);
    if (i < 5 || r < 0.6) ops.push({ kind: 'add', chrom: rng.next() < 0.5 ? 'chr1' : 'chr2', start, end: start + 1 + Math.floor(rng.next() * 500), label: rng.next() < 0.5 ? 'enhancer' : 'promoter' });
    else if (r < 0.85) ops.push({ kind: 'update', pick: rng.next(), label: rng.next() < 0.5 ? 'enhancer' : 'silencer', end: 1 + Math.floor(rng.next() * 400) });
    else ops.push({ kind: 'remove', pick: rng.next() });
  }
  return ops;
}

export interface ModelRow {
  id: number;
  chrom: string;
  start: number;
  end: number;
  label: string;
}

/** The annotations after the first `n` ops; ids as SQLite gives them (largest rowid + 1). */
export function modelAfter(ops: readonly BurstOp[], n: number): Map<number, ModelRow> {
  const rows = new Map<number, ModelRow>();
  for (const op of ops.slice(0, n)) {
    if (op.kind === 'add') {
      const id = rows.size ? Math.max(...rows.keys()) + 1 : 1;
      rows.set(id, { id, chrom: op.chrom, start: op.start, end: op.end, label: op.label });
      continue;
    }
    const ids = [...rows.keys()].sort((a, b) => a - b);
    if (!ids.length) continue;
    const id = ids[Math.floor(op.pick * ids.length)]!;
    if (op.kind === 'remove') rows.delete(id);
    else {
      const row = rows.get(id)!;
      rows.set(id, { ...row, label: op.label, end: Math.min(row.start + op.end, row.chrom === 'chr1' ? 30_000 : 12_000) });
    }
  }
  return rows;
}

/** The op's input given the current rows (null: nothing to pick). */
export function opInput(op: BurstOp, rows: Map<number, ModelRow>): { method: 'annotations.add' | 'annotations.update' | 'annotations.remove'; input: Record<string, unknown> } | null {
  if (op.kind === 'add') return { method: 'annotations.add', input: { chrom: op.chrom, start: op.start, end: op.end, label: op.label } };
  const ids = [...rows.keys()].sort((a, b) => a - b);
  if (!ids.length) return null;
  const id = ids[Math.floor(op.pick * ids.length)]!;
  if (op.kind === 'remove') return { method: 'annotations.remove', input: { ids: [id] } };
  const row = rows.get(id)!;
  return { method: 'annotations.update', input: { id, label: op.label, end: Math.min(row.start + op.end, row.chrom === 'chr1' ? 30_000 : 12_000) } };
}
