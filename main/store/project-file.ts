// A Loci project is one SQLite file (*.loci) marked with our application_id. This module creates,
// checks, opens (upgrading older schemas) and closes those files.
//
// Checking comes first and changes nothing: the 100-byte SQLite header says whether a file is SQLite
// at all and whose application_id it carries, so a foreign file is refused before SQLite ever opens
// it (opening can create -wal/-shm files or roll back a hot journal). Our own files are then opened
// read-only to read the schema version, and only files this Loci understands are opened for writing.
//
// Upgrades: each migration runs in its own IMMEDIATE transaction (schema, migrations row and
// user_version together), so a failure or crash leaves the file at the last complete version; before
// upgrading a file that already holds data, a copy is written with VACUUM INTO to the backup folder
// (the data directory's backups/, not beside the user's file), because a migration that is wrong
// in logic rather than in SQL cannot be rolled back later.
//
// Portability: while open, the file is in WAL mode; on close we checkpoint (TRUNCATE) and switch back
// to the rollback journal, so a closed project is exactly one self-contained file that can be copied,
// mailed, or opened read-only from a USB stick.
//
// Safety on open: a rollback journal left by a crash ("hot journal") can only be rolled back by a
// connection that may write, so after the header checks (which write nothing) such a file is opened
// read-write once to recover it. A file we may not write (read-only media, chattr +i, a read-only
// folder) is opened read-only and stays in its journal mode; its writes fail with read_only. Every
// first open runs PRAGMA quick_check, so a damaged file is refused with what to do instead of
// failing later in the middle of some other operation.
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../../shared/contract/errors';
import { MIGRATIONS, type Migration } from './migrations';
import { isNoSpace } from '../node/disk';
import { damagedError, sqliteProblem, writeBlocker } from './problems';

export type Db = Database.Database;

/** 'LOCI' in ASCII: PRAGMA application_id of every project file. */
export const LOCI_APPLICATION_ID = 0x4c4f4349;
const SQLITE_MAGIC = 'SQLite format 3\0';
/** Wait this long for another process (the app, the CLI) holding a lock before failing. */
const BUSY_TIMEOUT_MS = 5000;
/** Keep the WAL file from staying large after a big import has been checkpointed. */
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

export interface OpenOptions {
  /** Loci's version, recorded in meta.app_version when the file is written. */
  appVersion: string;
  /** Where to put a copy of the file before upgrading its schema; no copy when absent. */
  backupDir?: string;
  /** The migrations to apply; tests pass their own list to simulate older and newer Locis. */
  migrations?: readonly Migration[];
}

export interface FileCheck {
  /** PRAGMA user_version of the file: the number of migrations applied. */
  schemaVersion: number;
  /** Why this process may not write the file, or null when it may. */
  readOnly: string | null;
  /** True when a crash had left an unfinished change that this check rolled back. */
  recovered: boolean;
}

export interface CheckOptions {
  allowNewer?: boolean;
  migrations?: readonly Migration[];
  /** Run PRAGMA quick_check (default true); callers that already checked this version of the file skip it. */
  quickCheck?: boolean;
  /** Where automatic backups are kept, to name one in the advice for a damaged file. */
  backupDir?: string;
}

function notAProject(path: string, why: string): ApiError {
  return new ApiError({ code: 'not_a_project', message: `${path} is not a Loci project (${why})`, file: path });
}

/** Reads the SQLite header by hand (format: sqlite.org/fileformat.html) so a foreign file is never opened by SQLite. */
function readHeader(path: string): Buffer {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw notAProject(path, 'it is a folder');
    size = st.size;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError({ code: 'not_found', message: `No project file at ${path}`, file: path });
    throw err;
  }
  if (size === 0) throw notAProject(path, 'the file is empty, not a SQLite database');
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 100 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) throw notAProject(path, 'it is not a SQLite database');
  return header;
}

/** A hot journal: a rollback journal with content, left by a process that died inside a write. */
function hasHotJournal(path: string): boolean {
  try {
    return statSync(path + '-journal').size > 0;
  } catch {
    return false;
  }
}

/**
 * Whether `path` is a project this Loci can open, without changing the file, except that a change a
 * crash left unfinished is rolled back first (as SQLite itself would on the next write). Throws
 * ApiError not_found, not_a_project, damaged, read_only (a crash needs recovering but the file may
 * not be written) or newer_schema (unless `allowNewer`).
 */
export function checkProjectFile(path: string, opts: CheckOptions = {}): FileCheck {
  const header = readHeader(path);
  const appId = header.readUInt32BE(68);
  if (appId !== LOCI_APPLICATION_ID) throw notAProject(path, 'it is a SQLite database of another program');
  const readOnly = writeBlocker(path);
  let recovered = false;
  if (hasHotJournal(path)) {
    if (readOnly) {
      throw new ApiError({
        code: 'read_only',
        message:
          `${path} was left half-written by a crash and must be repaired, but ${readOnly}: copy it together with ` +
          `${basename(path)}-journal to a folder you can write to and open the copy (nothing was changed)`,
        file: path,
      });
    }
    // A read-only connection cannot roll a hot journal back ("attempt to write a readonly database"):
    // the first read on a read-write connection does it.
    const rw = new Database(path, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    try {
      rw.prepare('SELECT count(*) FROM sqlite_schema').get();
      recovered = true;
    } catch (err) {
      throw sqliteProblem(err, path, opts.backupDir) ?? err;
    } finally {
      rw.close();
    }
  }
  // The header's user_version can lag behind a WAL that another process has not checkpointed yet,
  // so ask SQLite, read-only.
  let schemaVersion: number;
  let db: Db | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (schemaVersion >= 1 && !db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get()) {
      throw notAProject(path, 'it carries the Loci mark but has no project table; it may be damaged');
    }
    if (opts.quickCheck !== false) {
      const rows = db.pragma('quick_check(5)') as Array<{ quick_check: string }>;
      const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (problems.length) throw damagedError(path, `the integrity check found: ${problems.join('; ')}`, opts.backupDir);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw sqliteProblem(err, path, opts.backupDir) ?? err;
  } finally {
    db?.close();
  }
  const known = (opts.migrations ?? MIGRATIONS).length;
  if (schemaVersion > known && !opts.allowNewer) {
    throw new ApiError({
      code: 'newer_schema',
      message: `${path} was written by a newer Loci (schema ${schemaVersion}, this Loci knows up to ${known}): update Loci to open it`,
      file: path,
    });
  }
  return { schemaVersion, readOnly, recovered };
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // durable at each checkpoint; safe against corruption in WAL mode
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
}

/** Applies every migration above the file's version, each in its own transaction. Returns the version before. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const before = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    const step = db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current >= m.version) return;
      if (current !== m.version - 1) throw new Error(`migration ${m.version} expects schema ${m.version - 1}, the file is at ${current}`);
      db.exec(m.sql);
      db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      db.pragma(`user_version = ${m.version}`);
    });
    step.immediate();
  }
  return before;
}

/** Creates a new project file at `path`; refuses (conflict) if anything exists there. */
export function createProjectFile(path: string, name: string, opts: OpenOptions): Db {
  let fd: number;
  try {
    // Claim the path atomically; SQLite initialises an empty file as a new database.
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ApiError({ code: 'conflict', message: `A file already exists at ${path}; choose another name or folder`, file: path });
    }
    throw err;
  }
  closeSync(fd);
  let db: Db | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    // Still in rollback-journal mode here, so the mark goes straight into the file's header.
    db.pragma(`application_id = ${LOCI_APPLICATION_ID}`);
    configure(db);
    migrate(db, opts.migrations);
    const now = new Date().toISOString();
    db.prepare('INSERT INTO meta (id, name, created_at, modified_at, app_version) VALUES (1, ?, ?, ?, ?)').run(name, now, now, opts.appVersion);
    return db;
  } catch (err) {
    db?.close();
    removeProjectFiles(path);
    throw sqliteProblem(err, path) ?? err;
  }
}

export interface OpenedProject {
  db: Db;
  /** The schema version before opening: lower than the current one when the file was upgraded. */
  schemaBefore: number;
  /** The copy written before an upgrade, if any. */
  backupPath: string | null;
  /** Why the file was opened read-only (its writes fail with read_only), or null when it is writable. */
  readOnly: string | null;
  /** True when an unfinished change left by a crash was rolled back on opening. */
  recovered: boolean;
}

/**
 * Opens a project, upgrading an older schema: read-write where this process may write the file,
 * else read-only (no upgrade possible then). Throws as checkProjectFile.
 */
export function openProjectFile(path: string, opts: OpenOptions & { quickCheck?: boolean }): OpenedProject {
  const migrations = opts.migrations ?? MIGRATIONS;
  const { schemaVersion, readOnly, recovered } = checkProjectFile(path, { migrations, quickCheck: opts.quickCheck, backupDir: opts.backupDir });
  if (readOnly) {
    if (schemaVersion < migrations.length) {
      throw new ApiError({
        code: 'read_only',
        message: `${path} was written by an older Loci and must be upgraded to open, but ${readOnly}: copy it to a folder you can write to and open the copy (nothing was changed)`,
        file: path,
      });
    }
    // No WAL switch (that is a write); the file stays as it is.
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    db.pragma('foreign_keys = ON');
    return { db, schemaBefore: schemaVersion, backupPath: null, readOnly, recovered };
  }
  const db = new Database(path, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    configure(db);
    let backupPath: string | null = null;
    if (schemaVersion < migrations.length) {
      if (schemaVersion >= 1 && opts.backupDir) backupPath = backupBeforeUpgrade(db, path, schemaVersion, opts.backupDir);
      migrate(db, migrations);
      db.prepare('UPDATE meta SET app_version = ? WHERE id = 1').run(opts.appVersion);
    }
    return { db, schemaBefore: schemaVersion, backupPath, readOnly: null, recovered };
  } catch (err) {
    closeProjectFile(db, path);
    throw sqliteProblem(err, path, opts.backupDir) ?? err;
  }
}

function backupBeforeUpgrade(db: Db, path: string, schemaVersion: number, backupDir: string): string {
  mkdirSync(backupDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = join(backupDir, `${basename(path).replace(/\.loci$/i, '')}.schema${schemaVersion}.${stamp}.loci`);
  db.prepare('VACUUM INTO ?').run(target);
  return target;
}

/**
 * Checkpoints the WAL into the file and closes it, leaving one self-contained file. Returns null when
 * that worked, else what the user must know: the latest changes are then still in the -wal file next
 * to the project (safe, and folded in on the next open), so the two must stay together.
 */
export function closeProjectFile(db: Db, path: string = db.name): string | null {
  if (!db.open) return null;
  let problem: string | null = null;
  try {
    if (!db.readonly) {
      const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      // busy: another connection (the app, the CLI) is reading; it checkpoints when it closes.
      if (row && row.busy === 0) {
        try {
          db.pragma('busy_timeout = 0'); // closing: do not wait for the other Loci
          db.pragma('journal_mode = DELETE');
        } catch (err) {
          // Leaving WAL mode needs the file to itself: another Loci has it open (and leaves WAL mode
          // when it closes). Everything is folded in already, so this is no problem.
          if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') throw err;
        }
      }
    }
  } catch (err) {
    // Not sqliteProblem's no-space text: it says nothing was changed, and here the changes were made (they are in the WAL).
    problem = isNoSpace(err) ? `not enough disk space in ${dirname(path)} to write them into the file` : (sqliteProblem(err, path)?.message ?? (err instanceof Error ? err.message : String(err)));
  } finally {
    db.close();
  }
  if (problem !== null && walSize(path) > 0) {
    return (
      `could not fold the latest changes into ${path} (${problem}); they are safe in ${basename(path)}-wal next to it. ` +
      'Keep the two files together (do not copy or move the .loci alone); Loci finishes this the next time it opens the project with space to spare'
    );
  }
  return problem;
}

function walSize(path: string): number {
  try {
    return statSync(path + '-wal').size;
  } catch {
    return 0;
  }
}

/**
 * Whether another connection (the app, `loci serve`, a job's worker) has the project open now. An
 * open connection in WAL mode keeps a SHARED lock on the file, so a try at an EXCLUSIVE lock with no
 * wait fails exactly while someone has it open; this asks SQLite's own locks rather than keeping
 * a lock file of ours that a crash would leave behind. Close this process's own handle first.
 */
export function openElsewhere(path: string): boolean {
  let db: Db | null = null;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return false;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return true;
    throw sqliteProblem(err, path) ?? err;
  } finally {
    db?.close();
  }
}

/** Deletes a project file and its SQLite side files. */
export function removeProjectFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}
