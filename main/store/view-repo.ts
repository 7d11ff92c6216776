// The genome view's rows: the user's track files (kind 'file' in `tracks`, kept by reference), the
// view settings per genome (`genome_view`), the loci pinned for reports (`pins`, migration 11), and
// per-window feature queries of region sets and dataset examples (the indexes of migration 5 make
// them cheap for any set size).
import type { Db } from './project-file';

export interface TrackFileRow {
  id: number;
  name: string;
  genomeId: number;
  format: string;
  path: string;
  indexPath: string | null;
  createdAt: string;
}

interface RawTrack {
  id: number;
  name: string;
  genome_id: number;
  format: string;
  path: string;
  index_path: string | null;
  created_at: string;
}

const fromRaw = (r: RawTrack): TrackFileRow => ({ id: r.id, name: r.name, genomeId: r.genome_id, format: r.format, path: r.path, indexPath: r.index_path, createdAt: r.created_at });

export function insertTrackFile(db: Db, t: Omit<TrackFileRow, 'id'>): number {
  return Number(
    db
      .prepare("INSERT INTO tracks (name, kind, genome_id, path, format, index_path, created_at) VALUES (?, 'file', ?, ?, ?, ?, ?)")
      .run(t.name, t.genomeId, t.path, t.format, t.indexPath, t.createdAt).lastInsertRowid,
  );
}

export function listTrackFiles(db: Db, genomeId: number): TrackFileRow[] {
  return (db.prepare("SELECT id, name, genome_id, format, path, index_path, created_at FROM tracks WHERE kind = 'file' AND genome_id = ? ORDER BY id").all(genomeId) as RawTrack[]).map(fromRaw);
}

export function getTrackFile(db: Db, id: number): TrackFileRow | undefined {
  const r = db.prepare("SELECT id, name, genome_id, format, path, index_path, created_at FROM tracks WHERE kind = 'file' AND id = ?").get(id) as RawTrack | undefined;
  return r && fromRaw(r);
}

export function deleteTrackFile(db: Db, id: number): boolean {
  return db.prepare("DELETE FROM tracks WHERE kind = 'file' AND id = ?").run(id).changes > 0;
}

// ---------- settings ----------

/** The stored JSON; the service validates it with the contract's schema on the way out. */
export function readViewSettings(db: Db, genomeId: number): unknown {
  const r = db.prepare('SELECT settings FROM genome_view WHERE genome_id = ?').get(genomeId) as { settings: string } | undefined;
  return r ? (JSON.parse(r.settings) as unknown) : undefined;
}

export function writeViewSettings(db: Db, genomeId: number, settings: unknown): void {
  db.prepare('INSERT INTO genome_view (genome_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT(genome_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at').run(
    genomeId,
    JSON.stringify(settings),
    new Date().toISOString(),
  );
}

/** The genome whose view was used last, if any. */
export function lastViewedGenome(db: Db): number | undefined {
  const r = db.prepare('SELECT genome_id FROM genome_view ORDER BY updated_at DESC, genome_id DESC LIMIT 1').get() as { genome_id: number } | undefined;
  return r?.genome_id;
}

// ---------- pinned loci ----------

export interface PinRow {
  id: number;
  genomeId: number;
  chrom: string;
  /** 0-based, end excluded. */
  start: number;
  end: number;
  note: string;
  createdAt: string;
}

const PIN_COLUMNS = 'id, genome_id AS genomeId, chrom, start, "end", note, created_at AS createdAt';

export function insertPin(db: Db, p: Omit<PinRow, 'id'>): number {
  return Number(db.prepare('INSERT INTO pins (genome_id, chrom, start, "end", note, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(p.genomeId, p.chrom, p.start, p.end, p.note, p.createdAt).lastInsertRowid);
}

/** The pins of one genome (or of every genome), in the order they were made. */
export function listPins(db: Db, genomeId?: number): PinRow[] {
  return genomeId === undefined ? (db.prepare(`SELECT ${PIN_COLUMNS} FROM pins ORDER BY id`).all() as PinRow[]) : (db.prepare(`SELECT ${PIN_COLUMNS} FROM pins WHERE genome_id = ? ORDER BY id`).all(genomeId) as PinRow[]);
}

export function getPin(db: Db, id: number): PinRow | undefined {
  return db.prepare(`SELECT ${PIN_COLUMNS} FROM pins WHERE id = ?`).get(id) as PinRow | undefined;
}

export function deletePin(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM pins WHERE id = ?').run(id).changes > 0;
}

// ---------- features in a window ----------

export interface WindowQuery {
  chrom: string;
  start: number;
  end: number;
  /** Rows returned at most; one more is read to tell whether the answer was cut. */
  limit: number;
}

export interface RegionFeatureRow {
  chrom: string;
  start: number;
  end: number;
  name: string | null;
  score: number | null;
  strand: '+' | '-' | '.' | null;
}

export interface ExampleFeatureRow {
  chrom: string;
  start: number;
  end: number;
  strand: '+' | '-' | '.' | null;
  split: 'train' | 'dev' | 'test';
  label: string;
}

/**
 * Rows of `table` (keyed by `keyColumn`) overlapping [start, end) on chrom. The index is on
 * (key, chrom, start): bounding start from below by (query start - the longest feature) keeps the
 * scan to the window instead of the whole chromosome.
 */
function overlapping<T>(db: Db, table: string, keyColumn: string, columns: string, key: number, q: WindowQuery): { rows: T[]; truncated: boolean } {
  const longest = (db.prepare(`SELECT max("end" - start) AS n FROM ${table} WHERE ${keyColumn} = ? AND chrom = ?`).get(key, q.chrom) as { n: number | null }).n ?? 0;
  const rows = db
    .prepare(`SELECT ${columns} FROM ${table} WHERE ${keyColumn} = ? AND chrom = ? AND start >= ? AND start < ? AND "end" > ? ORDER BY start LIMIT ?`)
    .all(key, q.chrom, Math.max(0, q.start - longest), q.end, q.start, q.limit + 1) as T[];
  const truncated = rows.length > q.limit;
  return { rows: truncated ? rows.slice(0, q.limit) : rows, truncated };
}

export function regionSetFeatures(db: Db, setId: number, q: WindowQuery): { rows: RegionFeatureRow[]; truncated: boolean } {
  return overlapping<RegionFeatureRow>(db, 'regions', 'region_set_id', 'chrom, start, "end", name, score, strand', setId, q);
}

export function datasetFeatures(db: Db, datasetId: number, q: WindowQuery): { rows: ExampleFeatureRow[]; truncated: boolean } {
  return overlapping<ExampleFeatureRow>(db, 'dataset_items', 'dataset_id', 'chrom, start, "end", strand, split, label', datasetId, q);
}

export interface NamedRegionRow {
  chrom: string;
  start: number;
  end: number;
  name: string;
  setName: string;
}

/** Regions of a genome's sets named exactly `query` (any case), then those whose name starts with it. */
export function findRegionsByName(db: Db, genomeId: number, query: string, limit: number): NamedRegionRow[] {
  const sql = `SELECT r.chrom, r.start, r."end", r.name, s.name AS setName FROM regions r JOIN region_sets s ON s.id = r.region_set_id
    WHERE s.genome_id = ? AND r.name IS NOT NULL AND %WHERE% ORDER BY length(r.name), r.name, r.chrom, r.start LIMIT ?`;
  const exact = db.prepare(sql.replace('%WHERE%', 'r.name = ? COLLATE NOCASE')).all(genomeId, query, limit) as NamedRegionRow[];
  if (exact.length >= limit) return exact;
  const escaped = query.replace(/[\\%_]/g, (c) => `\\${c}`);
  const prefix = db.prepare(sql.replace('%WHERE%', "r.name LIKE ? ESCAPE '\\' AND r.name <> ? COLLATE NOCASE")).all(genomeId, `${escaped}%`, query, limit - exact.length) as NamedRegionRow[];
  return [...exact, ...prefix];
}
