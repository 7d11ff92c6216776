// Annotation rows and their change log (migration 7). A change stores the rows it touched as they
// were (`before`) and as it left them (`after`); applying one side sets exactly those rows to that
// side (a row absent from it is deleted), so undo = apply `before`, redo = apply `after`, and a
// change is its own inverse with the sides swapped. The caller wraps each change in a transaction.
import type { Db } from './project-file';

export interface AnnotationRow {
  id: number;
  genomeId: number;
  chrom: string;
  start: number;
  end: number;
  label: string;
  note: string;
  source: string;
  scanId: number | null;
  runId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ChangeRow {
  id: number;
  genomeId: number;
  kind: 'add' | 'update' | 'remove' | 'import';
  description: string;
  before: AnnotationRow[];
  after: AnnotationRow[];
  undone: boolean;
  createdAt: string;
}

const COLUMNS = 'id, genome_id AS genomeId, chrom, start, "end", label, note, source, scan_id AS scanId, run_id AS runId, created_at AS createdAt, updated_at AS updatedAt';

export function getAnnotation(db: Db, id: number): AnnotationRow | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM annotations WHERE id = ?`).get(id) as AnnotationRow | undefined;
}

/** The rows of these ids that exist (in id order); chunked below SQLite's variable limit. */
export function getAnnotations(db: Db, ids: readonly number[]): AnnotationRow[] {
  const out: AnnotationRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    out.push(...(db.prepare(`SELECT ${COLUMNS} FROM annotations WHERE id IN (${part.map(() => '?').join(',')})`).all(...part) as AnnotationRow[]));
  }
  return out.sort((a, b) => a.id - b.id);
}

export function insertAnnotation(db: Db, a: Omit<AnnotationRow, 'id'> & { id?: number }): number {
  return Number(
    db
      .prepare('INSERT INTO annotations (id, genome_id, chrom, start, "end", label, note, source, scan_id, run_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(a.id ?? null, a.genomeId, a.chrom, a.start, a.end, a.label, a.note, a.source, a.scanId, a.runId, a.createdAt, a.updatedAt).lastInsertRowid,
  );
}

/** Sets the rows of `touched` ids to `target`: rows absent from target are deleted, the others written as they are there. */
export function applyRows(db: Db, touched: readonly number[], target: readonly AnnotationRow[]): void {
  const keep = new Set(target.map((r) => r.id));
  const del = db.prepare('DELETE FROM annotations WHERE id = ?');
  for (const id of touched) if (!keep.has(id)) del.run(id);
  const upsert = db.prepare(
    `INSERT INTO annotations (id, genome_id, chrom, start, "end", label, note, source, scan_id, run_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET genome_id = excluded.genome_id, chrom = excluded.chrom, start = excluded.start, "end" = excluded."end", label = excluded.label,
       note = excluded.note, source = excluded.source, scan_id = excluded.scan_id, run_id = excluded.run_id, created_at = excluded.created_at, updated_at = excluded.updated_at`,
  );
  for (const a of target) upsert.run(a.id, a.genomeId, a.chrom, a.start, a.end, a.label, a.note, a.source, a.scanId, a.runId, a.createdAt, a.updatedAt);
}

export interface AnnotationQuery {
  labels?: readonly string[] | undefined;
  chrom?: string | undefined;
  start?: number | undefined;
  end?: number | undefined;
  text?: string | undefined;
}

const ORDER: Record<string, string> = {
  position: 'chrom, start, "end", id',
  changed: 'updated_at DESC, id DESC',
  created: 'created_at DESC, id DESC',
  class: 'label, chrom, start, id',
};

function where(genomeId: number, q: AnnotationQuery): { sql: string; args: unknown[] } {
  const parts = ['genome_id = ?'];
  const args: unknown[] = [genomeId];
  if (q.labels && q.labels.length) {
    parts.push(`label IN (${q.labels.map(() => '?').join(',')})`);
    args.push(...q.labels);
  }
  if (q.chrom !== undefined) {
    parts.push('chrom = ?');
    args.push(q.chrom);
  }
  if (q.end !== undefined) {
    parts.push('start < ?');
    args.push(q.end);
  }
  if (q.start !== undefined) {
    parts.push('"end" > ?');
    args.push(q.start);
  }
  if (q.text) {
    parts.push("(instr(lower(label), ?) > 0 OR instr(lower(note), ?) > 0)");
    args.push(q.text.toLowerCase(), q.text.toLowerCase());
  }
  return { sql: parts.join(' AND '), args };
}

export function queryAnnotations(db: Db, genomeId: number, q: AnnotationQuery, sort: string, limit: number, offset: number): { rows: AnnotationRow[]; total: number } {
  const w = where(genomeId, q);
  const total = (db.prepare(`SELECT count(*) AS n FROM annotations WHERE ${w.sql}`).get(...w.args) as { n: number }).n;
  const rows = db.prepare(`SELECT ${COLUMNS} FROM annotations WHERE ${w.sql} ORDER BY ${ORDER[sort] ?? ORDER.position} LIMIT ? OFFSET ?`).all(...w.args, limit, offset) as AnnotationRow[];
  return { rows, total };
}

/** Every annotation of a genome in position order (conflicts, export, retraining). */
export function allAnnotations(db: Db, genomeId: number, q: AnnotationQuery = {}): AnnotationRow[] {
  const w = where(genomeId, q);
  return db.prepare(`SELECT ${COLUMNS} FROM annotations WHERE ${w.sql} ORDER BY ${ORDER.position}`).all(...w.args) as AnnotationRow[];
}

/** Class -> count, and the first id using it (classes only annotations use are listed in order of first use). */
export function labelCounts(db: Db, genomeId: number): { label: string; count: number; firstId: number }[] {
  return db.prepare('SELECT label, count(*) AS count, min(id) AS firstId FROM annotations WHERE genome_id = ? GROUP BY label ORDER BY firstId').all(genomeId) as { label: string; count: number; firstId: number }[];
}

// ---------- the change log ----------

interface RawChange {
  id: number;
  genome_id: number;
  kind: ChangeRow['kind'];
  description: string;
  before: string;
  after: string;
  undone: number;
  created_at: string;
}

const fromRaw = (r: RawChange): ChangeRow => ({
  id: r.id,
  genomeId: r.genome_id,
  kind: r.kind,
  description: r.description,
  before: JSON.parse(r.before) as AnnotationRow[],
  after: JSON.parse(r.after) as AnnotationRow[],
  undone: r.undone === 1,
  createdAt: r.created_at,
});

/** Records a change; the changes that were undone can no longer be redone (a new branch of history). */
export function insertChange(db: Db, c: Omit<ChangeRow, 'id' | 'undone'>): number {
  db.prepare('DELETE FROM annotation_changes WHERE genome_id = ? AND undone = 1').run(c.genomeId);
  return Number(
    db
      .prepare('INSERT INTO annotation_changes (genome_id, kind, description, before, after, undone, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)')
      .run(c.genomeId, c.kind, c.description, JSON.stringify(c.before), JSON.stringify(c.after), c.createdAt).lastInsertRowid,
  );
}

/** The change undo would revert: the newest one not undone. */
export function lastDone(db: Db, genomeId: number): ChangeRow | undefined {
  const r = db.prepare('SELECT * FROM annotation_changes WHERE genome_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1').get(genomeId) as RawChange | undefined;
  return r && fromRaw(r);
}

/** The change redo would re-apply: the oldest undone one. */
export function firstUndone(db: Db, genomeId: number): ChangeRow | undefined {
  const r = db.prepare('SELECT * FROM annotation_changes WHERE genome_id = ? AND undone = 1 ORDER BY id ASC LIMIT 1').get(genomeId) as RawChange | undefined;
  return r && fromRaw(r);
}

export function markUndone(db: Db, id: number, undone: boolean): void {
  db.prepare('UPDATE annotation_changes SET undone = ? WHERE id = ?').run(undone ? 1 : 0, id);
}

/** Summaries (no row snapshots): done newest first, undone next-to-redo first. */
export function listChanges(db: Db, genomeId: number, undone: boolean, limit: number): (Omit<ChangeRow, 'before' | 'after'> & { count: number })[] {
  const rows = db
    .prepare(
      `SELECT id, genome_id, kind, description, undone, created_at, max(json_array_length(before), json_array_length(after)) AS count FROM annotation_changes WHERE genome_id = ? AND undone = ? ORDER BY id ${undone ? 'ASC' : 'DESC'} LIMIT ?`,
    )
    .all(genomeId, undone ? 1 : 0, limit) as (Omit<RawChange, 'before' | 'after'> & { count: number })[];
  return rows.map((r) => ({ id: r.id, genomeId: r.genome_id, kind: r.kind, description: r.description, undone: r.undone === 1, createdAt: r.created_at, count: r.count }));
}
