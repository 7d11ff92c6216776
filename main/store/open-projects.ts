// The project files this process has open, one better-sqlite3 handle per file (keyed by real path,
// so a symlink and its target share one). Every domain's services get their Db from here.
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { Logger } from '../node/log';
import { MIGRATIONS } from './migrations';
import { sqliteProblem } from './problems';
import { checkProjectFile, closeProjectFile, createProjectFile, openProjectFile, type Db, type OpenOptions } from './project-file';

interface Handle {
  db: Db;
  /** Why the file is open read-only, or null. */
  readOnly: string | null;
}

export class OpenProjects {
  private readonly handles = new Map<string, Handle>();
  /** Files that passed PRAGMA quick_check, by "size:mtime", so a second look at an unchanged file skips it. */
  private readonly checked = new Map<string, string>();
  constructor(
    private readonly opts: OpenOptions,
    private readonly log: Logger,
  ) {}

  private version(realPath: string): string {
    try {
      const st = statSync(realPath);
      return `${st.size}:${st.mtimeMs}`;
    } catch {
      return '';
    }
  }

  private needsCheck(realPath: string): boolean {
    return this.checked.get(realPath) !== this.version(realPath);
  }

  /** The open handle for `realPath`, opening (and upgrading) the file on first use. */
  get(realPath: string): Db {
    const cached = this.handles.get(realPath);
    if (cached?.db.open) return cached.db;
    const { db, schemaBefore, backupPath, readOnly, recovered } = openProjectFile(realPath, { ...this.opts, quickCheck: this.needsCheck(realPath) });
    this.checked.set(realPath, this.version(realPath));
    if (recovered) this.log.warn(`${realPath}: rolled back a change left unfinished by a crash; the project is as it was before that change`);
    if (readOnly) this.log.info(`${realPath} is open read-only (${readOnly})`);
    if (schemaBefore < (this.opts.migrations ?? MIGRATIONS).length) {
      this.log.info(`upgraded ${realPath} from schema ${schemaBefore}${backupPath ? `; the old file is kept at ${backupPath}` : ''}`);
    }
    this.handles.set(realPath, { db, readOnly });
    return db;
  }

  /** Creates a new project file and keeps it open. */
  create(path: string, name: string): Db {
    const db = createProjectFile(path, name, this.opts);
    this.handles.set(path, { db, readOnly: null });
    return db;
  }

  isOpen(realPath: string): boolean {
    return this.handles.get(realPath)?.db.open === true;
  }

  /** Why the project at `realPath` cannot be written (open read-only, or would be), or null. */
  readOnly(realPath: string): string | null {
    const open = this.handles.get(realPath);
    if (open?.db.open) return open.readOnly;
    return checkProjectFile(realPath, { migrations: this.opts.migrations, allowNewer: true, quickCheck: false }).readOnly;
  }

  /**
   * Why the project at `realPath` cannot be opened now, or null when it can: the checks of opening
   * (header, recovery, quick_check once per version of the file) without keeping it open.
   */
  problem(realPath: string): string | null {
    if (this.isOpen(realPath)) return null;
    try {
      this.read(realPath, () => undefined, { allowNewer: false });
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  /**
   * Runs `read` on the project without opening it for writing: the open handle if there is one,
   * else a short-lived read-only connection (no upgrade, no side files left behind).
   */
  read<T>(realPath: string, read: (db: Db, schemaVersion: number) => T, opts: { allowNewer?: boolean } = {}): T {
    const open = this.handles.get(realPath);
    if (open?.db.open) return read(open.db, open.db.pragma('user_version', { simple: true }) as number);
    const { schemaVersion, recovered } = checkProjectFile(realPath, {
      migrations: this.opts.migrations,
      allowNewer: opts.allowNewer,
      quickCheck: this.needsCheck(realPath),
      backupDir: this.opts.backupDir,
    });
    this.checked.set(realPath, this.version(realPath));
    if (recovered) this.log.warn(`${realPath}: rolled back a change left unfinished by a crash; the project is as it was before that change`);
    let db: Db | undefined;
    try {
      db = new Database(realPath, { readonly: true, fileMustExist: true });
      return read(db, schemaVersion);
    } catch (err) {
      throw sqliteProblem(err, realPath, this.opts.backupDir) ?? err;
    } finally {
      db?.close();
    }
  }

  /** Closes the project, checkpointing its WAL; returns (and logs, unless `log` is false: the caller reports it) what went wrong, or null. */
  close(realPath: string, log = true): string | null {
    const handle = this.handles.get(realPath);
    this.handles.delete(realPath);
    if (!handle) return null;
    const problem = closeProjectFile(handle.db, realPath);
    if (problem && log) this.log.warn(problem);
    return problem;
  }

  /** Closes every project; returns the problems (see close). */
  closeAll(log = true): string[] {
    const problems: string[] = [];
    for (const path of [...this.handles.keys()]) {
      const problem = this.close(path, log);
      if (problem) problems.push(problem);
    }
    return problems;
  }
}
