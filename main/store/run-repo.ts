// Fine-tuning runs in a project's `runs` and `run_metrics` tables (schema v1; no migration needed):
// `params` holds what the run was started with (name, settings, class names, the dataset and model
// names at the time, the run folder), `metrics` the figures it produced (test metrics, most-wrong
// examples, throughput, best checkpoint, backend, error). Curves are one row per (run, name, step)
// in run_metrics, names "train.loss", "dev.mcc", ... Only the serving process writes these.
import type { Db } from './project-file';

export type RunStateName = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface RunParams {
  name: string;
  settings: Record<string, unknown>;
  classNames: string[];
  datasetName: string;
  modelName: string;
  /** Where the run keeps its examples file (data.json) and anything else of its own. */
  folder: string;
  /** Where the fine-tuned model is written. */
  outDir: string;
}

export interface RunFigures {
  backend?: string | null;
  bestStep?: number | null;
  bestDevLoss?: number | null;
  steps?: number | null;
  totalSteps?: number | null;
  test?: unknown;
  mostWrong?: unknown[];
  mostConfident?: unknown[];
  throughput?: { tokensPerSecond: number | null; secondsPerEpoch: number | null };
  error?: string | null;
  stoppedEarly?: boolean;
}

export interface RunRow {
  id: number;
  kind: string;
  state: RunStateName;
  modelId: number | null;
  datasetId: number | null;
  outputModelId: number | null;
  jobId: string | null;
  params: RunParams;
  metrics: RunFigures;
  checkpointPath: string | null;
  startedAt: string | null;
  endedAt: string | null;
  createdAt: string;
}

interface RawRun {
  id: number;
  kind: string;
  state: RunStateName;
  model_id: number | null;
  dataset_id: number | null;
  output_model_id: number | null;
  job_id: string | null;
  params: string;
  metrics: string;
  checkpoint_path: string | null;
  started_at: string | null;
  ended_at: string | null;
  created_at: string;
}

function fromRaw(r: RawRun): RunRow {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    modelId: r.model_id,
    datasetId: r.dataset_id,
    outputModelId: r.output_model_id,
    jobId: r.job_id,
    params: JSON.parse(r.params) as RunParams,
    metrics: JSON.parse(r.metrics) as RunFigures,
    checkpointPath: r.checkpoint_path,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    createdAt: r.created_at,
  };
}

export function insertRun(db: Db, r: { kind: string; state: RunStateName; modelId: number; datasetId: number; params: RunParams; checkpointPath: string; createdAt: string }): number {
  return Number(
    db
      .prepare('INSERT INTO runs (kind, state, model_id, dataset_id, params, checkpoint_path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(r.kind, r.state, r.modelId, r.datasetId, JSON.stringify(r.params), r.checkpointPath, r.createdAt).lastInsertRowid,
  );
}

export function getRunRow(db: Db, id: number): RunRow | undefined {
  const r = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RawRun | undefined;
  return r && fromRaw(r);
}

export function runByJob(db: Db, jobId: string): RunRow | undefined {
  const r = db.prepare('SELECT * FROM runs WHERE job_id = ?').get(jobId) as RawRun | undefined;
  return r && fromRaw(r);
}

/** Runs of a kind, newest first. */
export function listRunRows(db: Db, kind: string): RunRow[] {
  return (db.prepare('SELECT * FROM runs WHERE kind = ? ORDER BY id DESC').all(kind) as RawRun[]).map(fromRaw);
}

export interface RunPatch {
  state?: RunStateName;
  jobId?: string;
  outputModelId?: number | null;
  startedAt?: string | null;
  endedAt?: string | null;
  /** Merged into the stored figures. */
  metrics?: RunFigures;
}

export function updateRun(db: Db, id: number, patch: RunPatch): void {
  const sets: string[] = [];
  const args: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`${column} = ?`);
    args.push(value);
  };
  if (patch.state !== undefined) set('state', patch.state);
  if (patch.jobId !== undefined) set('job_id', patch.jobId);
  if (patch.outputModelId !== undefined) set('output_model_id', patch.outputModelId);
  if (patch.startedAt !== undefined) set('started_at', patch.startedAt);
  if (patch.endedAt !== undefined) set('ended_at', patch.endedAt);
  if (patch.metrics !== undefined) {
    sets.push('metrics = json_patch(metrics, ?)');
    args.push(JSON.stringify(patch.metrics));
  }
  if (sets.length === 0) return;
  db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
}

export function deleteRunRow(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
}

// ---------- curves ----------

export interface MetricPoint {
  name: string;
  step: number;
  value: number;
}

/** Adds (or replaces) curve points in one transaction. */
export function putMetrics(db: Db, runId: number, points: readonly MetricPoint[]): void {
  if (points.length === 0) return;
  const ins = db.prepare('INSERT OR REPLACE INTO run_metrics (run_id, name, step, value) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const p of points) if (Number.isFinite(p.value)) ins.run(runId, p.name, p.step, p.value);
  })();
}

/** A resumed run redoes the steps after its checkpoint: their old points go. */
export function dropMetricsAfter(db: Db, runId: number, step: number): void {
  db.prepare('DELETE FROM run_metrics WHERE run_id = ? AND step > ?').run(runId, step);
}

export function runMetrics(db: Db, runId: number): MetricPoint[] {
  return db.prepare('SELECT name, step, value FROM run_metrics WHERE run_id = ? ORDER BY step, name').all(runId) as MetricPoint[];
}
