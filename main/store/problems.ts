// Why a project file cannot be opened or written, in words a user can act on. SQLite's own errors
// ("database or disk is full", "attempt to write a readonly database") name no file; a biologist
// needs the file, the reason and what to do, so SqliteError codes become ApiErrors naming the file.
import { W_OK } from 'node:constants';
import { accessSync, existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../../shared/contract/errors';
import { isNoSpace, noSpaceError } from '../node/disk';

/** Why this process may not write the project at `path` (the file, its folder for side files), or null. */
export function writeBlocker(path: string): string | null {
  try {
    accessSync(path, W_OK); // EPERM for chattr +i even as root, EACCES/EROFS for permissions and read-only mounts
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EROFS' ? 'it is on a read-only disk' : code === 'EPERM' ? 'the file is marked immutable' : 'the file is read-only';
  }
  try {
    accessSync(dirname(path), W_OK); // SQLite writes its journal or WAL next to the file
  } catch {
    return `its folder ${dirname(path)} is read-only`;
  }
  return null;
}

/** The newest copy in `backupDir` that Loci wrote of `path` before an upgrade, or null. */
export function latestBackup(path: string, backupDir: string | undefined): string | null {
  if (!backupDir || !existsSync(backupDir)) return null;
  const stem = `${basename(path).replace(/\.loci$/i, '')}.schema`;
  const copies = readdirSync(backupDir).filter((f) => f.startsWith(stem) && f.endsWith('.loci')).sort();
  const last = copies.at(-1);
  return last ? join(backupDir, last) : null;
}

/** The ApiError for a damaged project file: which file, what is wrong, and what the user can do. */
export function damagedError(path: string, detail: string, backupDir?: string): ApiError {
  const backup = latestBackup(path, backupDir);
  const advice = backup
    ? `open the copy Loci made before its last upgrade (${backup}), or`
    : 'if you have a copy of the file, open that; otherwise';
  return new ApiError({
    code: 'damaged',
    message:
      `${path} is damaged (${detail}), so Loci will not open it; nothing was changed. To go on, ${advice} ` +
      `keep this file and export what is still readable with the sqlite3 tool: sqlite3 "${path}" .recover > readable.sql`,
    file: path,
  });
}

/** The ApiError for a SQLite failure on the project at `path`, or null when it is not one we explain. */
export function sqliteProblem(err: unknown, path: string, backupDir?: string): ApiError | null {
  if (err instanceof ApiError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (isNoSpace(err)) return noSpaceError(path, { what: 'Nothing was changed in the project' });
  if (code.startsWith('SQLITE_READONLY')) {
    const reason = writeBlocker(path) ?? 'it is open read-only';
    return new ApiError({
      code: 'read_only',
      message: `${path} is read-only (${reason}): this change was not made. To change the project, copy it to a folder you can write to and open the copy.`,
      file: path,
    });
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_IOERR_SHORT_READ') {
    return damagedError(path, (err as Error).message, backupDir);
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return new ApiError({
      code: 'conflict',
      message: `${basename(path)} is busy: another Loci (the app or a command) is writing it and did not finish within 5 s; nothing was changed, try again (${path})`,
      file: path,
    });
  }
  return null;
}
