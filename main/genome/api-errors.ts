// Reader errors as API errors that name the file and line: what the data services and the data
// jobs' workers share (below main/api/, so a worker never imports a service module).
import { ApiError } from '../../shared/contract/errors';
import type { LineError } from '../../shared/contract/data';
import { InputError } from './errors';

/** InputError -> bad_file (file, line); AbortError -> cancelled; ApiError unchanged; else rethrown. */
export function toApiError(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof InputError) {
    return new ApiError({ code: 'bad_file', message: err.message, file: err.file, ...(err.line !== undefined && { line: err.line }) });
  }
  if (err instanceof Error && err.name === 'AbortError') return new ApiError({ code: 'cancelled', message: 'Cancelled' });
  return err;
}

/** Runs `fn`, mapping its failures with toApiError. */
export async function mapErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toApiError(err);
  }
}

export function lineError(e: InputError): LineError {
  return { file: e.file, ...(e.line !== undefined && { line: e.line }), ...(e.column !== undefined && { column: e.column }), message: e.message };
}

export function notFound(what: string, id: number, project: string): ApiError {
  return new ApiError({ code: 'not_found', message: `No ${what} with id ${id} in ${project}` });
}

/** A bad_file error listing the first problems of a file, so the user can fix them in one go. */
export function tooManyProblems(file: string, intro: string, errors: readonly InputError[], total: number, hint?: string): ApiError {
  const shown = errors.slice(0, 5).map((e) => `  ${e.message}`);
  const more = total > shown.length ? `\n  … and ${total - shown.length} more` : '';
  const first = errors[0];
  return new ApiError({
    code: 'bad_file',
    message: `${intro}:\n${shown.join('\n')}${more}${hint ? `\n${hint}` : ''}`,
    file,
    ...(first?.line !== undefined && { line: first.line }),
  });
}
