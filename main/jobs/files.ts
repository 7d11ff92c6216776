// The files a job leaves in its own folder (its checkpointDir, which survives resumes), read by the
// serving side: `done.json` (the handler finished; its return value), `failure.json` (why it
// failed, as the API error the caller gets: file, line, field issues), and large results as JSON
// lines (a million dataset windows travel as a file, read back one line at a time, not through IPC
// or the jobs table). A kind's own files are named in its protocol (see ./kind).
import { once } from 'node:events';
import { closeSync, createWriteStream, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, ApiErrorBody } from '../../shared/contract/errors';
import { writeFileAtomic } from '../node/atomic';

/** Written by the worker, atomically, when the handler returned without being stopped. */
export const DONE_FILE = 'done.json';
/** Written when the job failed with an error a user can act on. */
export const FAILURE_FILE = 'failure.json';

/** In the worker: the handler finished; `result` is what it returned (JSON). */
export function writeDone(dir: string, result: unknown): void {
  writeFileAtomic(join(dir, DONE_FILE), JSON.stringify({ result: result ?? null }));
}

/** The finished handler's result, or null when the worker never finished (or no folder). */
export function readDone(dir: string | null): { result: unknown } | null {
  if (!dir) return null;
  try {
    const parsed = JSON.parse(readFileSync(join(dir, DONE_FILE), 'utf8')) as { result?: unknown };
    return { result: parsed.result ?? null };
  } catch {
    return null;
  }
}

/** Removes done.json (a job whose result could not be stored and is then run again from scratch). */
export function clearDone(dir: string): void {
  rmSync(join(dir, DONE_FILE), { force: true });
}

/** Records why a job failed as the API error its caller gets (an error that is no ApiError becomes `internal`). */
export function writeFailure(dir: string, err: unknown): void {
  const body: ApiErrorBody = err instanceof ApiError ? err.toBody() : { code: 'internal', message: err instanceof Error ? err.message : String(err) };
  try {
    writeFileSync(join(dir, FAILURE_FILE), JSON.stringify(body));
  } catch {
    // The job row still records the message; only the file and line are lost.
  }
}

/** The error a failed job left, or null. */
export function readFailure(dir: string | null): ApiError | null {
  if (!dir) return null;
  try {
    const body = ApiErrorBody.safeParse(JSON.parse(readFileSync(join(dir, FAILURE_FILE), 'utf8')));
    return body.success ? new ApiError(body.data) : null;
  } catch {
    return null;
  }
}

/** Writes values as JSON lines, streaming (bounded memory), honouring back-pressure. */
export async function writeJsonLines(path: string, header: unknown, rows: Iterable<unknown>, signal?: AbortSignal): Promise<void> {
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('finish', resolve);
  });
  const write = async (value: unknown) => {
    if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
  };
  try {
    await write(header);
    let n = 0;
    for (const row of rows) {
      await write(row);
      if (++n % 10_000 === 0) signal?.throwIfAborted();
    }
  } finally {
    out.end();
  }
  await done;
}

/**
 * Reads JSON lines synchronously, one at a time (bounded memory): the serving process stores the
 * rows inside one synchronous SQLite transaction, so they are consumed as they are read.
 * Hand-written because node:readline is asynchronous only.
 */
export function* readJsonLines(path: string): Generator<unknown> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let rest = '';
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      // Cut at the last newline so a multi-byte character split across reads stays whole.
      const last = buf.lastIndexOf(10, n - 1);
      if (last < 0) {
        rest += buf.toString('utf8', 0, n);
        continue;
      }
      const text = rest + buf.toString('utf8', 0, last);
      rest = buf.toString('utf8', last + 1, n);
      for (const line of text.split('\n')) if (line) yield JSON.parse(line) as unknown;
    }
    if (rest) yield JSON.parse(rest) as unknown;
  } finally {
    closeSync(fd);
  }
}
