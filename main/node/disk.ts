// What a write that ran out of disk space tells the user: which file, which folder, how much space
// is free there (and needed, when the caller knows), and that nothing was changed.
import { formatBytes } from '../../shared/bytes';
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiError } from '../../shared/contract/errors';

/** Bytes free to this user in the filesystem holding `dir`, or null when it cannot be asked. */
export function freeBytes(dir: string): number | null {
  try {
    const st = statfsSync(dir);
    return Number(st.bavail) * Number(st.bsize);
  } catch {
    return null;
  }
}

/** The no_space error for a failed write of `file`; `neededBytes` when the size of the write is known. */
export function noSpaceError(file: string, opts: { neededBytes?: number; what?: string } = {}): ApiError {
  const dir = dirname(file);
  const free = freeBytes(dir);
  const needed = opts.neededBytes !== undefined ? `; about ${formatBytes(opts.neededBytes)} is needed` : '';
  return new ApiError({
    code: 'no_space',
    message:
      `Not enough disk space to write ${file} (folder ${dir}: ${free === null ? 'free space unknown' : `${formatBytes(free)} free`}${needed}). ` +
      `${opts.what ?? 'Nothing was changed'}. Free some space there and try again.`,
    file,
  });
}

export function isNoSpace(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}
