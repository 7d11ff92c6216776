// What the genome and dataset services share: reader errors as API errors that name the file and
// line (main/genome/api-errors), and reporting short in-process work on the `job.progress`
// channel (withProgress; imports and builds are jobs).
import { randomUUID } from 'node:crypto';
import { toApiError } from '../genome/api-errors';
import type { AppContext } from './context';

export { lineError, mapErrors, notFound, toApiError, tooManyProblems } from '../genome/api-errors';

export interface ProgressReporter {
  jobId: string;
  /** fraction 0..1 (null: unknown); sends at most ~10 events a second, except state changes. */
  update(fraction: number | null, message: string): void;
  done(message: string): void;
  failed(err: unknown): void;
}

/**
 * Progress of an in-process long operation as `job.progress` events (the UI's progress bar and the
 * CLI's stderr line listen to these). These operations do not go through the job runner: they
 * write to the project in one transaction at the end and are bounded by the file size.
 */
export function progressReporter(ctx: AppContext, kind: string, project: string): ProgressReporter {
  const jobId = `${kind}-${randomUUID().slice(0, 8)}`;
  const started = Date.now();
  let last = 0;
  const emit = (state: 'running' | 'done' | 'failed', fraction: number | null, message: string, error?: string) => {
    const elapsed = (Date.now() - started) / 1000;
    const eta = state === 'running' && fraction !== null && fraction > 0.02 ? (elapsed * (1 - fraction)) / fraction : null;
    ctx.bus.emit('job.progress', {
      jobId,
      kind,
      state,
      fraction: fraction === null ? null : Math.min(1, Math.max(0, fraction)),
      message,
      etaSeconds: eta,
      project,
      ...(error !== undefined && { error }),
    });
  };
  return {
    jobId,
    update(fraction, message) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      emit('running', fraction, message);
    },
    done(message) {
      emit('done', 1, message);
    },
    failed(err) {
      const message = err instanceof Error ? err.message : String(err);
      emit('failed', null, message, message);
    },
  };
}

/** Runs `fn` with a reporter, marking the job done or failed. */
export async function withProgress<T>(ctx: AppContext, kind: string, project: string, fn: (p: ProgressReporter) => Promise<T>, doneMessage: (r: T) => string): Promise<T> {
  const p = progressReporter(ctx, kind, project);
  p.update(0, 'starting');
  try {
    const result = await fn(p);
    p.done(doneMessage(result));
    return result;
  } catch (err) {
    const mapped = toApiError(err);
    p.failed(mapped);
    throw mapped;
  }
}

// What a data job's worker hands back (result as JSON lines, failure.json) is the jobs layer's:
// main/jobs/files.ts. Re-exported for the data services.
export { readFailure, readJsonLines, writeJsonLines } from '../jobs/files';
