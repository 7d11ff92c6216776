// The job-result mechanism: how a finished job's result gets into its project exactly once, whoever
// started or resumed the job (the app, `loci serve`, a `loci` command) and whatever process died
// in between.
//
// How it works:
// - The worker never writes the project. Its handler leaves large output as files in the job's
//   folder (checkpointDir, kept across resumes) and returns a small JSON value; the worker writes
//   that value to done.json (atomically) before it tells the runner it is done (./worker-main).
// - The runner that owns the job (./runner) then stores it: the kind's `prepare` (async, outside
//   any transaction: hashing a model folder, writing a model card), then ONE `BEGIN IMMEDIATE`
//   transaction that checks the job is still `running` and still this runner's, calls the kind's
//   `commit` (the domain rows), and marks the job `done` with the value `commit` returned. A job is
//   `done` only once its result is stored; two processes that both try serialize on the write
//   lock and the second finds the job done already and does nothing.
// - If the serving process dies before that commit, the job stays `running` with a dead owner. The
//   next Loci to look at the project (open, jobs.list, resume) sees done.json, claims the job and
//   stores it; a job resumed after it was marked interrupted or failed finds done.json at launch
//   and is stored without running its worker again. Without done.json it is interrupted and a
//   resume runs the worker again (its result has not been stored, so nothing is doubled).
// - A store that throws marks the job `failed` with the reason (an ApiError also goes to the job's
//   failure.json, so the caller gets its code, file and issues); resuming it tries storing again.
//
// Adding a job kind (scan, report, gue ...):
// 1. A protocol file beside the kind's code, e.g. main/scan/protocol.ts:
//      export const scanKind = defineJobKind({ kind: 'scan', device: true, params: ScanParams,
//        result: ScanResult, files: { result: 'scores.bin' } });
//    It imports zod, shared/ and ./kind only (never the engine): the serving side imports it.
// 2. The worker module: `registerLazyJobKind(scanKind, async () => handler)` (or registerJobKind),
//    imported from ./kinds.ts. The handler reads `ctx.params` (already checked against the
//    protocol), reports progress, honours `ctx.signal` (checkpoint and return or throw when it
//    fires), writes its files into `ctx.checkpointDir` and returns a value that fits `result`.
// 3. The store, in the kind's service (main/api/<domain>.ts), when the services are created:
//      registerResultStore(ctx, scanKind, { prepare?, commit, stored?, discard? });
//    `commit(db, job, prepared)` is synchronous and runs inside the transaction: write the rows
//    and return the JSON value the job row keeps as its result (e.g. { scanId }). Start jobs with
//    startJob(ctx, project, scanKind, params) and wait with waitForJob (./index.ts).
import { describeIssues, type JobKind } from './kind';
import { getJob, updateJob } from './store';
import type { JobInfo } from '../../shared/contract/jobs';
import type { Db } from '../store/project-file';

/** A job whose handler finished: its checked params and the value its handler returned. */
export interface FinishedJob<P = unknown, R = unknown> extends JobInfo {
  params: P;
  result: R;
}

export interface ResultStore<P = unknown, R = unknown, Prepared = unknown> {
  /**
   * Work outside the transaction (async file work). It may run more than once for one job (a crash
   * before the commit, two processes racing), so it must be idempotent.
   */
  prepare?(job: FinishedJob<P, R>): Promise<Prepared> | Prepared;
  /** Writes the result into the project; runs inside the one transaction that marks the job done. Returns the job row's result. */
  commit(db: Db, job: FinishedJob<P, R>, prepared: Prepared): unknown;
  /** After the commit, before anyone waiting hears of it: tidy up (remove a result file) and announce. Best effort. */
  stored?(job: JobInfo): Promise<void> | void;
  /** The job was cancelled for good: remove what it made. Best effort. */
  discard?(job: JobInfo): Promise<void> | void;
}

export interface KindEntry {
  kind: JobKind;
  store: ResultStore;
}

// Per host (an app context): the serving side registers its stores when its services are created.
const registries = new WeakMap<object, Map<string, KindEntry>>();

/** Registers how `kind`'s results are stored in this host (one store per kind). */
export function registerResultStore<P, R, Prepared>(host: object, kind: JobKind<P, R>, store: ResultStore<P, R, Prepared>): void {
  let map = registries.get(host);
  if (!map) registries.set(host, (map = new Map()));
  map.set(kind.kind, { kind: kind as JobKind, store: store as ResultStore });
}

export function resultStoreOf(host: object, kind: string): KindEntry | undefined {
  return registries.get(host)?.get(kind);
}

/** The handler's value as the protocol's result type, or an error naming what does not fit. */
export function checkResult(entry: KindEntry | undefined, job: JobInfo, value: unknown): FinishedJob {
  if (!entry) return { ...job, result: value };
  const parsed = entry.kind.result.safeParse(value);
  if (!parsed.success) throw new Error(`the ${job.kind} job's result does not fit its protocol: ${describeIssues(parsed.error)}`);
  return { ...job, result: parsed.data };
}

/**
 * The one transaction: if job `finished.id` is still running and owned by `owner`, commits its
 * result through `store` and marks it done. Returns whether this call stored it.
 */
export function commitResult(db: Db, owner: string, finished: FinishedJob, store: ResultStore | undefined, prepared: unknown, now: string): boolean {
  return db
    .transaction(() => {
      const current = getJob(db, finished.project, finished.id);
      if (!current || current.state !== 'running' || current.runnerId !== owner) return false;
      const value = store ? store.commit(db, finished, prepared) : finished.result;
      updateJob(db, finished.id, { state: 'done', fraction: 1, etaSeconds: 0, result: value ?? null, message: 'Finished', error: null, endedAt: now, workerPid: null, requested: null }, now, 'running');
      return true;
    })
    .immediate();
}
