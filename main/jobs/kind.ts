// A job kind's protocol: the one small file per kind that both sides import. It names the kind,
// says whether it needs the compute device, checks its params (the worker gets them from the job
// row, written by the serving side, possibly by another Loci version) and the value its handler
// returns (stored in done.json and the job row), and names the files it leaves in its folder.
// It must not import the engine or any worker code: the serving side imports it to start jobs and
// store their results (see ./results.ts).
import type { z } from 'zod';

export type JobFiles = Readonly<Record<string, string>>;

export interface JobKind<P = unknown, R = unknown, F extends JobFiles = JobFiles> {
  readonly kind: string;
  /** Runs one at a time on the GPU/CPU device queue (training, scans), or starts at once (imports). */
  readonly device: boolean;
  readonly params: z.ZodType<P>;
  /** What the worker's handler returns. */
  readonly result: z.ZodType<R>;
  /** Files the worker leaves in the job's folder, by role (e.g. { result: 'result.jsonl' }). */
  readonly files: F;
}

export function defineJobKind<P, R, F extends JobFiles>(kind: JobKind<P, R, F>): JobKind<P, R, F> {
  return kind;
}

/** The issues of a failed parse as "path: message; ..." (for an error naming what is wrong). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ');
}
