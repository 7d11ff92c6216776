// Job kinds, registered by name in the worker process: `registerJobKind('finetune', handler)`.
// A handler does the long work; it reports progress, writes log lines, watches `signal`, and when
// the signal fires it saves a checkpoint in `checkpointDir` and returns (or throws): the runner
// then marks the job cancelled or paused, and a resumed job starts a new worker with the same
// checkpointDir, where the handler finds the checkpoint and continues from it.
import { ApiError } from '../../shared/contract/errors';
import { describeIssues, type JobKind } from './kind';
import type { JobReport, LogLevel, StopReason } from './protocol';

export interface JobContext<P = unknown> {
  jobId: string;
  params: P;
  /** A folder that belongs to this job and survives resumes; it exists when the handler starts. */
  checkpointDir: string;
  /** 1 on the first run, 2 on the first resume, ... */
  attempt: number;
  /** Fires on cancel, pause, or when Loci quits; `stopReason(signal)` says which. */
  signal: AbortSignal;
  /** Progress for the UI; call as often as you like (it is rate-limited). */
  report(progress: JobReport): void;
  log(line: string, level?: LogLevel): void;
}

export type JobHandler<P = unknown> = (ctx: JobContext<P>) => Promise<unknown> | unknown;

/** A handler, or a function that loads one on first use (keeps heavy modules out of other jobs' workers). */
type Entry = { handler: JobHandler } | { load: () => Promise<JobHandler> };

// Kept on globalThis so a module named in LOCI_JOB_MODULES that imports this file from the sources
// registers into the same table as the bundled worker (dist/main/worker.js) reads.
const KEY = Symbol.for('loci.jobKinds');
const kinds: Map<string, Entry> = ((globalThis as Record<symbol, unknown>)[KEY] as Map<string, Entry> | undefined) ?? new Map<string, Entry>();
(globalThis as Record<symbol, unknown>)[KEY] = kinds;

/**
 * Registers a kind's handler, by name or (preferred) by its protocol (./kind): then the params are
 * checked before the handler runs, and what it returns before it counts as done.
 */
export function registerJobKind<P>(kind: string | JobKind<P, unknown>, handler: JobHandler<P>): void {
  const name = typeof kind === 'string' ? kind : kind.kind;
  if (kinds.has(name)) throw new Error(`Job kind "${name}" is registered twice`);
  kinds.set(name, { handler: checked(kind, handler) as JobHandler });
}

/** Registers a kind whose module is imported only when a job of that kind runs. */
export function registerLazyJobKind<P>(kind: string | JobKind<P, unknown>, load: () => Promise<JobHandler<P>>): void {
  const name = typeof kind === 'string' ? kind : kind.kind;
  if (kinds.has(name)) throw new Error(`Job kind "${name}" is registered twice`);
  kinds.set(name, { load: async () => checked(kind, await load()) as JobHandler });
}

function checked<P>(kind: string | JobKind<P, unknown>, handler: JobHandler<P>): JobHandler<P> {
  if (typeof kind === 'string') return handler;
  return async (ctx) => {
    const params = kind.params.safeParse(ctx.params);
    if (!params.success) {
      throw new ApiError({ code: 'invalid_input', message: `The ${kind.kind} job's parameters do not fit this Loci: ${describeIssues(params.error)}` });
    }
    const value = await handler({ ...ctx, params: params.data });
    if (ctx.signal.aborted) return value;
    const result = kind.result.safeParse(value);
    if (!result.success) throw new Error(`The ${kind.kind} job returned a result that does not fit its protocol: ${describeIssues(result.error)}`);
    return result.data;
  };
}

export function registeredJobKinds(): string[] {
  return [...kinds.keys()].sort();
}

export async function jobHandler(kind: string): Promise<JobHandler> {
  const entry = kinds.get(kind);
  if (!entry) {
    const known = registeredJobKinds();
    throw new Error(`This Loci has no job kind "${kind}"${known.length ? ` (it knows: ${known.join(', ')})` : ''}`);
  }
  return 'handler' in entry ? entry.handler : entry.load();
}

/** Why the job's signal fired: cancel, pause or interrupt (default cancel). */
export function stopReason(signal: AbortSignal): StopReason {
  const r: unknown = signal.reason;
  return r === 'pause' || r === 'interrupt' ? r : 'cancel';
}

/** Throws the signal's reason if it has fired: a convenient check between steps. */
export function throwIfStopped(signal: AbortSignal): void {
  if (signal.aborted) throw new JobStopped(stopReason(signal));
}

/** What a handler may throw after checkpointing on stop (any throw after the signal fired counts the same). */
export class JobStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`stopped (${reason})`);
    this.name = 'JobStopped';
  }
}
