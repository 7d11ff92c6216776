// The project's own row (name, times, one-time flags) and the counts shown on its card.
import { ApiError } from '../../shared/contract/errors';
import type { Db } from './project-file';

export interface ProjectMeta {
  name: string;
  createdAt: string;
  modifiedAt: string;
  appVersion: string;
}

export interface ProjectCounts {
  genomes: number;
  datasets: number;
  models: number;
  runs: number;
}

interface MetaRow {
  name: string;
  created_at: string;
  modified_at: string;
  app_version: string;
}

export function readMeta(db: Db, path: string): ProjectMeta {
  const row = db.prepare('SELECT name, created_at, modified_at, app_version FROM meta WHERE id = 1').get() as MetaRow | undefined;
  if (!row) throw new ApiError({ code: 'not_a_project', message: `${path} is not a Loci project (its description row is missing; it may be damaged)`, file: path });
  return { name: row.name, createdAt: row.created_at, modifiedAt: row.modified_at, appVersion: row.app_version };
}

export function renameProject(db: Db, name: string, appVersion: string): void {
  db.prepare('UPDATE meta SET name = ?, modified_at = ?, app_version = ? WHERE id = 1').run(name, new Date().toISOString(), appVersion);
}

/** Marks the project as changed now; services call it after writing. */
export function touchModified(db: Db, appVersion: string): void {
  db.prepare('UPDATE meta SET modified_at = ?, app_version = ? WHERE id = 1').run(new Date().toISOString(), appVersion);
}

/** One-time steps a project records it has done (migration 11's `flags`, a JSON object of name -> when). */
export type ProjectFlag = 'demoScanStarted';

/** When the project marked `flag` done, or null. */
export function readFlag(db: Db, flag: ProjectFlag): string | null {
  const row = db.prepare('SELECT json_extract(flags, ?) AS v FROM meta WHERE id = 1').get(`$.${flag}`) as { v: unknown } | undefined;
  return typeof row?.v === 'string' ? row.v : null;
}

/** Marks `flag` done now, so that the step is not done again. */
export function setFlag(db: Db, flag: ProjectFlag): void {
  db.prepare('UPDATE meta SET flags = json_set(flags, ?, ?) WHERE id = 1').run(`$.${flag}`, new Date().toISOString());
}

export function countRows(db: Db): ProjectCounts {
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { genomes: count('genomes'), datasets: count('datasets'), models: count('models'), runs: count('runs') };
}
