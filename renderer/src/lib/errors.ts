// Turning an ApiError into what a form shows: messages on the inputs they concern (from
// `issues`, whose paths are the input's field names), and one headline for the rest.
import type { ApiError, ErrorCode } from '../../../shared/contract';

export function fieldErrors<F extends string>(error: ApiError | null | undefined, fields: readonly F[]): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const issue of error?.issues ?? []) {
    const field = fields.find((f) => issue.path === f || issue.path.startsWith(`${f}.`));
    if (field && !out[field]) out[field] = issue.message;
  }
  return out;
}

/** True when every issue of the error already shows on one of the fields. */
export function coveredByFields(error: ApiError, fields: readonly string[]): boolean {
  return !!error.issues?.length && error.issues.every((i) => fields.some((f) => i.path === f || i.path.startsWith(`${f}.`)));
}

const titles: Partial<Record<ErrorCode, string>> = {
  not_a_project: 'Not a Loci project',
  newer_schema: 'Made by a newer version of Loci',
  not_found: 'Not found',
  conflict: 'Already exists',
  bad_file: 'Problem in the file',
  invalid_input: 'Please check the form',
  unauthorized: 'Not allowed',
  read_only: 'Read-only project',
  no_space: 'Not enough disk space',
  damaged: 'Damaged project file',
};

export function errorTitle(error: ApiError): string {
  return titles[error.code] ?? 'Something went wrong';
}
