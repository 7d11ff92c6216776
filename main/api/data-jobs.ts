// Genome imports, region imports and dataset builds as jobs (main/jobs). The heavy part (reading,
// hashing and indexing a FASTA; checking a BED/GFF3; extracting windows and drawing negatives)
// runs in a worker process, so the serving process's event loop stays free for the UI and a
// cancel takes effect at once. The worker leaves its result as JSON lines in the job's folder;
// the job-result mechanism (main/jobs/results.ts) stores it in the project, once, in the
// transaction that marks the job done, whoever started or resumed the job. A cancelled, failed or
// interrupted job leaves the project as it was.
//
// Here: the store for a data kind (reads the result file inside that transaction, removes the
// job's folder once stored or cancelled) and runDataJob, which starts a job and turns how it
// ended into the record or the error its caller gets.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JobInfo } from '../../shared/contract/jobs';
import { ApiError } from '../../shared/contract/errors';
import { registerResultStore, startJob, waitForJob, type JobKind } from '../jobs/index';
import type { FinishedJob } from '../jobs/results';
import type { Db } from '../store/project-file';
import type { AppContext } from './context';
import { readFailure, readJsonLines } from './data-support';

/** A finished job's result file: its header line, then its rows (read lazily, once). */
export interface DataJobResult {
  header: unknown;
  rows: Iterable<unknown>;
}

export const NOTHING_CHANGED = 'nothing was changed';

/**
 * Registers how a data kind's result is stored: `commit` runs inside the transaction that marks the
 * job done, with the result file's header and its rows (streamed: a million windows are never all
 * in memory); it returns the job's stored result (e.g. { genomeId }).
 */
export function registerDataJob<P, R>(
  ctx: AppContext,
  kind: JobKind<P, R, { result: string }>,
  what: 'genomes' | 'regions' | 'datasets',
  commit: (db: Db, job: FinishedJob<P, R>, result: DataJobResult) => unknown,
): void {
  // Synchronous: the runner removes it before those waiting on the job hear that it ended.
  const removeFolder = (job: JobInfo) => {
    if (job.checkpointDir) rmSync(job.checkpointDir, { recursive: true, force: true });
  };
  registerResultStore(ctx, kind, {
    commit(db, job) {
      if (!job.checkpointDir) throw new Error(`job ${job.id} has no folder`);
      const lines = readJsonLines(join(job.checkpointDir, kind.files.result));
      try {
        const first = lines.next();
        if (first.done) throw new Error(`the job left an empty result file in ${job.checkpointDir}`);
        return commit(db, job, { header: first.value, rows: { [Symbol.iterator]: () => lines } });
      } finally {
        lines.return(undefined);
      }
    },
    stored(job) {
      ctx.bus.emit('project.changed', { path: job.project, what });
      // Nothing in the folder is needed once the result is in the project, or once it is cancelled.
      removeFolder(job);
    },
    discard: removeFolder,
  });
}

/** Why a job that did not finish gives nothing back, as the error its caller gets. */
function notFinished(job: JobInfo): ApiError {
  switch (job.state) {
    case 'cancelled':
      return new ApiError({ code: 'cancelled', message: `Cancelled — ${NOTHING_CHANGED}` });
    case 'paused':
      return new ApiError({ code: 'cancelled', message: `Paused — ${NOTHING_CHANGED} yet; resume job ${job.id} to finish it` });
    case 'interrupted':
      return new ApiError({ code: 'cancelled', message: `Interrupted (Loci is closing) — ${NOTHING_CHANGED}; resume job ${job.id} to do it again` });
    default:
      return readFailure(job.checkpointDir) ?? new ApiError({ code: 'internal', message: job.error ?? job.message ?? `Job ${job.id} failed` });
  }
}

/**
 * Starts a data job (it does not need the compute device, so it starts at once) and resolves with
 * `view` of what storing its result gave, or rejects with why it did not finish: `cancelled`
 * ("Cancelled — nothing was changed"), the worker's own error (bad_file with file and line,
 * invalid_input ...), or the store's (a conflict). Its progress, with its job id for jobs.cancel,
 * is on the `job.progress` channel meanwhile.
 */
export async function runDataJob<P, T>(ctx: AppContext, project: string, kind: JobKind<P, unknown>, params: P, view: (stored: unknown) => T): Promise<T> {
  const started = startJob(ctx, project, kind, params);
  const ended = await waitForJob(ctx, project, started.id);
  if (ended.state === 'done') return view(ended.result);
  throw notFinished(ended);
}
