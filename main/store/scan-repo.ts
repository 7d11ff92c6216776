// Genome scans in a project file (migration 5): a scan is a `runs` row of kind 'scan' (params: what
// it was started with; metrics: what it measured); each score track it made is a `tracks` row whose
// file (a bigWig) is stored in `track_chunks` in fixed-size pieces, read back by byte range. Only
// the serving process writes these.
import type { Db } from './project-file';
import type { RunStateName } from './run-repo';

export const SCAN_KIND = 'scan';
/** Bytes per stored chunk: igv.js asks for a few KB to a few hundred KB at a time. */
export const TRACK_CHUNK_SIZE = 64 * 1024;

export interface ScanThresholdRecord {
  classIndex: number;
  threshold: number;
  source: 'dev-mcc' | 'user' | 'default-0.5';
  devMcc: number | null;
}

export interface ScanParams {
  name: string;
  /** The fine-tuning run whose model is scanned, if any. */
  runId: number | null;
  modelName: string;
  genomeId: number;
  genomeName: string;
  target: Record<string, unknown> & { kind: string };
  classes: string[];
  classesOfInterest: number[];
  /** `workers` is absent in scans stored before it existed (they ran with 1). */
  settings: { window: number; stride: number; strand: 'forward' | 'reverse' | 'both'; combine: 'mean' | 'max'; aggregation: string; batchSize: number; workers?: number; minRegionLength: number };
  backendPreference: string;
  /** The scan's own folder under the data directory (intervals, dev set). */
  folder: string;
}

export interface ScanFigures {
  backend?: string | null;
  bpDone?: number;
  bpTotal?: number;
  runtimeSeconds?: number | null;
  thresholds?: ScanThresholdRecord[];
  error?: string | null;
}

export interface ScanRow {
  id: number;
  state: RunStateName;
  modelId: number | null;
  jobId: string | null;
  params: ScanParams;
  metrics: ScanFigures;
  createdAt: string;
  endedAt: string | null;
}

interface RawScan {
  id: number;
  state: RunStateName;
  model_id: number | null;
  job_id: string | null;
  params: string;
  metrics: string;
  created_at: string;
  ended_at: string | null;
}

function fromRaw(r: RawScan): ScanRow {
  return {
    id: r.id,
    state: r.state,
    modelId: r.model_id,
    jobId: r.job_id,
    params: JSON.parse(r.params) as ScanParams,
    metrics: JSON.parse(r.metrics) as ScanFigures,
    createdAt: r.created_at,
    endedAt: r.ended_at,
  };
}

const COLUMNS = 'id, state, model_id, job_id, params, metrics, created_at, ended_at';

export function insertScan(db: Db, r: { modelId: number; params: ScanParams; metrics: ScanFigures; createdAt: string }): number {
  return Number(
    db
      .prepare("INSERT INTO runs (kind, state, model_id, params, metrics, checkpoint_path, created_at) VALUES (?, 'queued', ?, ?, ?, ?, ?)")
      .run(SCAN_KIND, r.modelId, JSON.stringify(r.params), JSON.stringify(r.metrics), r.params.folder, r.createdAt).lastInsertRowid,
  );
}

export function getScanRow(db: Db, id: number): ScanRow | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM runs WHERE id = ? AND kind = ?`).get(id, SCAN_KIND) as RawScan | undefined;
  return r && fromRaw(r);
}

export function scanByJob(db: Db, jobId: string): ScanRow | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM runs WHERE job_id = ? AND kind = ?`).get(jobId, SCAN_KIND) as RawScan | undefined;
  return r && fromRaw(r);
}

/** Newest first. */
export function listScanRows(db: Db): ScanRow[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM runs WHERE kind = ? ORDER BY id DESC`).all(SCAN_KIND) as RawScan[]).map(fromRaw);
}

export function updateScan(db: Db, id: number, patch: { state?: RunStateName; jobId?: string; endedAt?: string | null; startedAt?: string; metrics?: ScanFigures }): void {
  const sets: string[] = [];
  const args: unknown[] = [];
  const set = (sql: string, value: unknown) => {
    sets.push(sql);
    args.push(value);
  };
  if (patch.state !== undefined) set('state = ?', patch.state);
  if (patch.jobId !== undefined) set('job_id = ?', patch.jobId);
  if (patch.endedAt !== undefined) set('ended_at = ?', patch.endedAt);
  if (patch.startedAt !== undefined) set('started_at = COALESCE(started_at, ?)', patch.startedAt);
  // Top-level keys replaced (json_patch would also drop keys set to null, e.g. error: null).
  if (patch.metrics !== undefined) {
    const row = db.prepare('SELECT metrics FROM runs WHERE id = ?').get(id) as { metrics: string } | undefined;
    set('metrics = ?', JSON.stringify({ ...(row ? (JSON.parse(row.metrics) as ScanFigures) : {}), ...patch.metrics }));
  }
  if (sets.length === 0) return;
  db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ? AND kind = ?`).run(...args, id, SCAN_KIND);
}

export function deleteScanRow(db: Db, id: number): void {
  db.prepare('DELETE FROM tracks WHERE run_id = ?').run(id);
  db.prepare('DELETE FROM runs WHERE id = ? AND kind = ?').run(id, SCAN_KIND);
}

// ---------- stored tracks ----------

export type TrackStrandName = 'combined' | 'forward' | 'reverse';

export interface TrackRow {
  id: number;
  name: string;
  runId: number | null;
  genomeId: number | null;
  classIndex: number;
  strand: TrackStrandName;
  sizeBytes: number;
  chunkSize: number;
  params: { min: number; max: number };
}

interface RawTrack {
  id: number;
  name: string;
  run_id: number | null;
  genome_id: number | null;
  class_index: number;
  strand: TrackStrandName;
  size_bytes: number;
  chunk_size: number;
  params: string;
}

function trackFromRaw(r: RawTrack): TrackRow {
  return {
    id: r.id,
    name: r.name,
    runId: r.run_id,
    genomeId: r.genome_id,
    classIndex: r.class_index,
    strand: r.strand,
    sizeBytes: r.size_bytes,
    chunkSize: r.chunk_size,
    params: JSON.parse(r.params) as TrackRow['params'],
  };
}

const TRACK_COLUMNS = 'id, name, run_id, genome_id, class_index, strand, size_bytes, chunk_size, params';

export function scanTracks(db: Db, scanId: number): TrackRow[] {
  return (db.prepare(`SELECT ${TRACK_COLUMNS} FROM tracks WHERE run_id = ? ORDER BY class_index, strand`).all(scanId) as RawTrack[]).map(trackFromRaw);
}

export function scanTrack(db: Db, scanId: number, classIndex: number, strand: TrackStrandName): TrackRow | undefined {
  const r = db.prepare(`SELECT ${TRACK_COLUMNS} FROM tracks WHERE run_id = ? AND class_index = ? AND strand = ?`).get(scanId, classIndex, strand) as RawTrack | undefined;
  return r && trackFromRaw(r);
}

export function storedBytes(db: Db, scanId: number): number {
  return (db.prepare('SELECT COALESCE(SUM(size_bytes), 0) AS n FROM tracks WHERE run_id = ?').get(scanId) as { n: number }).n;
}

/**
 * Stores a file's bytes as a track, chunk by chunk from `read` (so a large file never sits in memory
 * whole). Call inside a transaction: a failure leaves no partial track.
 */
export function insertTrack(
  db: Db,
  t: { name: string; scanId: number; genomeId: number; classIndex: number; strand: TrackStrandName; size: number; min: number; max: number; createdAt: string },
  read: (offset: number, length: number) => Buffer,
): number {
  const id = Number(
    db
      .prepare("INSERT INTO tracks (name, kind, genome_id, run_id, format, created_at, class_index, strand, size_bytes, chunk_size, params) VALUES (?, 'prediction', ?, ?, 'bigwig', ?, ?, ?, ?, ?, ?)")
      .run(t.name, t.genomeId, t.scanId, t.createdAt, t.classIndex, t.strand, t.size, TRACK_CHUNK_SIZE, JSON.stringify({ min: t.min, max: t.max })).lastInsertRowid,
  );
  const ins = db.prepare('INSERT INTO track_chunks (track_id, seq, data) VALUES (?, ?, ?)');
  for (let seq = 0, offset = 0; offset < t.size; seq++, offset += TRACK_CHUNK_SIZE) {
    ins.run(id, seq, read(offset, Math.min(TRACK_CHUNK_SIZE, t.size - offset)));
  }
  return id;
}

/** Reads bytes [start, end) of a stored track from the chunks that hold them. */
export function readTrackBytes(db: Db, track: Pick<TrackRow, 'id' | 'sizeBytes' | 'chunkSize'>, start: number, end: number): Buffer {
  const s = Math.max(0, start);
  const e = Math.min(track.sizeBytes, end);
  if (e <= s) return Buffer.alloc(0);
  const first = Math.floor(s / track.chunkSize);
  const last = Math.floor((e - 1) / track.chunkSize);
  const rows = db.prepare('SELECT seq, data FROM track_chunks WHERE track_id = ? AND seq BETWEEN ? AND ? ORDER BY seq').all(track.id, first, last) as { seq: number; data: Buffer }[];
  if (rows.length !== last - first + 1) throw new Error(`track ${track.id}: chunks ${first}..${last} are incomplete in the project file`);
  const out = Buffer.allocUnsafe(e - s);
  let written = 0;
  for (const r of rows) {
    const chunkStart = r.seq * track.chunkSize;
    const from = Math.max(s, chunkStart) - chunkStart;
    const to = Math.min(e, chunkStart + r.data.length) - chunkStart;
    written += r.data.copy(out, written, from, to);
  }
  if (written !== out.length) throw new Error(`track ${track.id}: stored chunks are shorter than its recorded size`);
  return out;
}

export function updateTrackParams(db: Db, trackId: number, params: TrackRow['params']): void {
  db.prepare('UPDATE tracks SET params = ? WHERE id = ?').run(JSON.stringify(params), trackId);
}
