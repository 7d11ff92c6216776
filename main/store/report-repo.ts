// Reports in a project's `reports` table (migration 7): the whole HTML of each, the runs it covers
// and what it says is missing. Listing never reads the HTML.
import type { Db } from './project-file';

export interface ReportRow {
  id: number;
  kind: 'run' | 'comparison';
  title: string;
  runIds: number[];
  notes: string[];
  sizeBytes: number;
  createdAt: string;
}

interface RawReport {
  id: number;
  kind: 'run' | 'comparison';
  title: string;
  run_ids: string;
  notes: string;
  size: number;
  created_at: string;
}

const COLUMNS = 'id, kind, title, run_ids, notes, length(CAST(html AS BLOB)) AS size, created_at';

function fromRaw(r: RawReport): ReportRow {
  return { id: r.id, kind: r.kind, title: r.title, runIds: JSON.parse(r.run_ids) as number[], notes: JSON.parse(r.notes) as string[], sizeBytes: r.size, createdAt: r.created_at };
}

export function insertReport(db: Db, r: { kind: ReportRow['kind']; title: string; runIds: number[]; notes: string[]; html: string; createdAt: string }): number {
  return Number(
    db.prepare('INSERT INTO reports (kind, title, run_ids, notes, html, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(r.kind, r.title, JSON.stringify(r.runIds), JSON.stringify(r.notes), r.html, r.createdAt).lastInsertRowid,
  );
}

/** Newest first. */
export function listReportRows(db: Db): ReportRow[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM reports ORDER BY id DESC`).all() as RawReport[]).map(fromRaw);
}

export function getReportRow(db: Db, id: number): ReportRow | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM reports WHERE id = ?`).get(id) as RawReport | undefined;
  return r && fromRaw(r);
}

export function reportHtml(db: Db, id: number): string | undefined {
  return (db.prepare('SELECT html FROM reports WHERE id = ?').get(id) as { html: string } | undefined)?.html;
}

export function deleteReportRow(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM reports WHERE id = ?').run(id).changes > 0;
}
