// Interpretation runs in a project file (migration 7, see migrations.ts): a `runs` row of kind 'ism'
// or 'variants' (params: what it was started with; metrics: what it measured), its ISM table in
// `ism_tables` (float32 blob) or its scored variants in `variant_effects`. Only the serving process
// writes these.
import type { Db } from './project-file';
import type { RunStateName } from './run-repo';

export type InterpretKind = 'ism' | 'variants';
export const INTERPRET_KINDS: readonly InterpretKind[] = ['ism', 'variants'];

export interface InterpretParams {
  name: string;
  runId: number | null;
  modelName: string;
  genomeId: number;
  genomeName: string;
  classIndex: number;
  className: string;
  window: number;
  batchSize: number;
  backendPreference: string;
  /** ISM: the region (0-based, half-open). */
  region?: { chrom: string; start: number; end: number };
  /** Variants: the VCF's path, or null for typed variants. */
  vcfPath?: string | null;
  /** Variants: the input's header lines (for the output VCF). */
  vcfHeader?: string[];
  /** The run's own folder under the data directory (inputs for the job). */
  folder: string;
}

export interface SkippedRecord {
  line: number;
  chrom: string;
  pos: number;
  ref: string;
  alt: string;
  reason: string;
}

export interface InterpretFigures {
  backend?: string | null;
  runtimeSeconds?: number | null;
  /** Positions (ISM) or alleles (variants) to score, and scored so far. */
  total?: number;
  done?: number;
  /** Forward passes run (both strands). */
  sequences?: number;
  skipped?: SkippedRecord[];
  error?: string | null;
}

export interface InterpretRow {
  id: number;
  kind: InterpretKind;
  state: RunStateName;
  modelId: number | null;
  jobId: string | null;
  params: InterpretParams;
  metrics: InterpretFigures;
  createdAt: string;
  endedAt: string | null;
}

interface Raw {
  id: number;
  kind: InterpretKind;
  state: RunStateName;
  model_id: number | null;
  job_id: string | null;
  params: string;
  metrics: string;
  created_at: string;
  ended_at: string | null;
}

const COLUMNS = 'id, kind, state, model_id, job_id, params, metrics, created_at, ended_at';
const KINDS_SQL = "kind IN ('ism', 'variants')";

function fromRaw(r: Raw): InterpretRow {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    modelId: r.model_id,
    jobId: r.job_id,
    params: JSON.parse(r.params) as InterpretParams,
    metrics: JSON.parse(r.metrics) as InterpretFigures,
    createdAt: r.created_at,
    endedAt: r.ended_at,
  };
}

export function insertInterpretation(db: Db, r: { kind: InterpretKind; modelId: number; params: InterpretParams; metrics: InterpretFigures; createdAt: string }): number {
  return Number(
    db
      .prepare("INSERT INTO runs (kind, state, model_id, params, metrics, checkpoint_path, created_at) VALUES (?, 'queued', ?, ?, ?, ?, ?)")
      .run(r.kind, r.modelId, JSON.stringify(r.params), JSON.stringify(r.metrics), r.params.folder, r.createdAt).lastInsertRowid,
  );
}

export function getInterpretation(db: Db, id: number): InterpretRow | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM runs WHERE id = ? AND ${KINDS_SQL}`).get(id) as Raw | undefined;
  return r && fromRaw(r);
}

export function interpretationByJob(db: Db, jobId: string): InterpretRow | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM runs WHERE job_id = ? AND ${KINDS_SQL}`).get(jobId) as Raw | undefined;
  return r && fromRaw(r);
}

/** Newest first. */
export function listInterpretations(db: Db): InterpretRow[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM runs WHERE ${KINDS_SQL} ORDER BY id DESC`).all() as Raw[]).map(fromRaw);
}

export function updateInterpretation(db: Db, id: number, patch: { state?: RunStateName; jobId?: string; endedAt?: string | null; startedAt?: string; metrics?: InterpretFigures }): void {
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
  if (patch.metrics !== undefined) {
    const row = db.prepare('SELECT metrics FROM runs WHERE id = ?').get(id) as { metrics: string } | undefined;
    set('metrics = ?', JSON.stringify({ ...(row ? (JSON.parse(row.metrics) as InterpretFigures) : {}), ...patch.metrics }));
  }
  if (sets.length === 0) return;
  db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ? AND ${KINDS_SQL}`).run(...args, id);
}

/** The run and its table (ON DELETE CASCADE). */
export function deleteInterpretation(db: Db, id: number): void {
  db.prepare(`DELETE FROM runs WHERE id = ? AND ${KINDS_SQL}`).run(id);
}

// ---------- ISM tables ----------

export interface IsmArrays {
  refForward: Float32Array;
  refReverse: Float32Array;
  deltaForward: Float32Array;
  deltaReverse: Float32Array;
}

export function putIsmTable(db: Db, runId: number, t: { chrom: string; start: number; end: number; refBases: string } & { [K in keyof IsmArrays]: ArrayLike<number> }): void {
  const L = t.end - t.start;
  const data = new Float32Array(10 * L);
  data.set(t.refForward, 0);
  data.set(t.refReverse, L);
  data.set(t.deltaForward, 2 * L);
  data.set(t.deltaReverse, 6 * L);
  db.prepare('INSERT OR REPLACE INTO ism_tables (run_id, chrom, start, "end", ref_bases, data) VALUES (?, ?, ?, ?, ?, ?)').run(runId, t.chrom, t.start, t.end, t.refBases, Buffer.from(data.buffer));
}

export function getIsmTable(db: Db, runId: number): ({ chrom: string; start: number; end: number; refBases: string } & IsmArrays) | undefined {
  const r = db.prepare('SELECT chrom, start, "end" AS e, ref_bases, data FROM ism_tables WHERE run_id = ?').get(runId) as { chrom: string; start: number; e: number; ref_bases: string; data: Buffer } | undefined;
  if (!r) return undefined;
  const L = r.e - r.start;
  // Copy out of the Buffer: its byteOffset need not be a multiple of 4.
  const all = new Float32Array(new Uint8Array(r.data).buffer);
  if (all.length !== 10 * L) throw new Error(`ISM table of run ${runId}: ${all.length} values stored, ${10 * L} expected`);
  return { chrom: r.chrom, start: r.start, end: r.e, refBases: r.ref_bases, refForward: all.subarray(0, L), refReverse: all.subarray(L, 2 * L), deltaForward: all.subarray(2 * L, 6 * L), deltaReverse: all.subarray(6 * L, 10 * L) };
}

// ---------- variant effects ----------

export interface VariantEffectRow {
  idx: number;
  line: number;
  chrom: string;
  pos: number;
  vid: string;
  ref: string;
  alt: string;
  qual: string;
  filter: string;
  info: string;
  refFw: number;
  refRc: number;
  altFw: number;
  altRc: number;
  diff: number;
  log2fc: number;
}

export function putVariantEffects(db: Db, runId: number, rows: Iterable<VariantEffectRow>): void {
  const ins = db.prepare('INSERT INTO variant_effects (run_id, idx, line, chrom, pos, vid, ref, alt, qual, filter, info, ref_fw, ref_rc, alt_fw, alt_rc, diff, log2fc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of rows) ins.run(runId, r.idx, r.line, r.chrom, r.pos, r.vid, r.ref, r.alt, r.qual, r.filter, r.info, r.refFw, r.refRc, r.altFw, r.altRc, r.diff, r.log2fc);
}

export type VariantSort = 'index' | 'position' | 'diff' | 'absDiff' | 'log2fc';
const ORDER: Record<VariantSort, string> = { index: 'idx', position: 'chrom, pos, idx', diff: 'diff', absDiff: 'abs(diff)', log2fc: 'log2fc' };

const VARIANT_COLUMNS = 'idx, line, chrom, pos, vid, ref, alt, qual, filter, info, ref_fw AS refFw, ref_rc AS refRc, alt_fw AS altFw, alt_rc AS altRc, diff, log2fc';

export function countVariantEffects(db: Db, runId: number): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM variant_effects WHERE run_id = ?').get(runId) as { n: number }).n;
}

/** One page, sorted (ties by input order). */
export function variantEffectsPage(db: Db, runId: number, o: { sort: VariantSort; descending: boolean; offset: number; limit: number }): VariantEffectRow[] {
  const dir = o.descending ? 'DESC' : 'ASC';
  const order = ORDER[o.sort].split(', ').map((c) => `${c} ${dir}`).join(', ');
  return db.prepare(`SELECT ${VARIANT_COLUMNS} FROM variant_effects WHERE run_id = ? ORDER BY ${order}, idx LIMIT ? OFFSET ?`).all(runId, o.limit, o.offset) as VariantEffectRow[];
}

/** Every row in input order (exports). */
export function* allVariantEffects(db: Db, runId: number): Generator<VariantEffectRow> {
  yield* db.prepare(`SELECT ${VARIANT_COLUMNS} FROM variant_effects WHERE run_id = ? ORDER BY idx`).iterate(runId) as Iterable<VariantEffectRow>;
}
