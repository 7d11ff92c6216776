// projects.*: create, open, inspect, rename, list and delete project files (see shared/contract/projects.ts).
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ApiError } from '../../shared/contract/errors';
import type { ProjectInfo } from '../../shared/contract/projects';
import { existingPath } from '../node/paths';
import { countRows, readMeta, renameProject } from '../store/meta';
import { openElsewhere, removeProjectFiles, type Db } from '../store/project-file';
import type { AppContext } from './context';
import type { Services } from './dispatch';

export const PROJECT_EXTENSION = '.loci';

type ProjectServices = Pick<Services, Extract<keyof Services, `projects.${string}`>>;

/** A readable file name from a project name: "Arabidopsis roots (2024)" -> "arabidopsis-roots-2024". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '') // drop accents: "Café" -> "Cafe"
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'project';
}

function withExtension(path: string): string {
  return path.toLowerCase().endsWith(PROJECT_EXTENSION) ? path : path + PROJECT_EXTENSION;
}

/** The first free `<dir>/<slug>.loci`, `<dir>/<slug>-2.loci`, ... */
function freePathIn(dir: string, name: string): string {
  const slug = slugify(name);
  for (let i = 1; ; i++) {
    const candidate = join(dir, `${slug}${i === 1 ? '' : `-${i}`}${PROJECT_EXTENSION}`);
    if (!existsSync(candidate)) return candidate;
  }
}

/** Where a new project goes: the given path (with .loci added), a file inside a given folder, or the data dir's projects/. */
function newProjectPath(ctx: AppContext, name: string, path: string | undefined): string {
  if (path === undefined) return freePathIn(join(ctx.dataDir, 'projects'), name);
  const abs = resolve(path);
  if (existsSync(abs) && statSync(abs).isDirectory()) return freePathIn(abs, name);
  return withExtension(abs);
}

export { existingPath };

/** The open (read-write) database of the project at `path`; what other domains' services use. */
export function projectDb(ctx: AppContext, path: string): Db {
  return ctx.projects.get(existingPath(path));
}

function sizeOnDisk(path: string): number {
  let size = statSync(path).size;
  if (existsSync(path + '-wal')) size += statSync(path + '-wal').size;
  return size;
}

function describe(db: Db, path: string, schemaVersion: number, readOnly: string | null): ProjectInfo {
  const meta = readMeta(db, path);
  return {
    path,
    name: meta.name,
    createdAt: meta.createdAt,
    modifiedAt: meta.modifiedAt,
    schemaVersion,
    readOnly: readOnly !== null,
    ...(readOnly !== null && { readOnlyReason: readOnly }),
    sizeBytes: sizeOnDisk(path),
    counts: countRows(db),
  };
}

function describeOpen(ctx: AppContext, realPath: string): ProjectInfo {
  const db = ctx.projects.get(realPath);
  return describe(db, realPath, db.pragma('user_version', { simple: true }) as number, ctx.projects.readOnly(realPath));
}

export function createProjectServices(ctx: AppContext): ProjectServices {
  return {
    async 'projects.create'({ name, path }) {
      const target = newProjectPath(ctx, name, path);
      mkdirSync(dirname(target), { recursive: true });
      const real = join(realpathSync(dirname(target)), basename(target));
      ctx.projects.create(real, name);
      ctx.settings.touchRecent(real, name);
      ctx.bus.emit('project.changed', { path: real, what: 'created' });
      return describeOpen(ctx, real);
    },

    async 'projects.open'({ path }) {
      const real = existingPath(path);
      const info = describeOpen(ctx, real);
      ctx.settings.touchRecent(real, info.name);
      ctx.bus.emit('project.changed', { path: real, what: 'opened' });
      return info;
    },

    async 'projects.info'({ path }) {
      const real = existingPath(path);
      return ctx.projects.read(real, (db, schemaVersion) => describe(db, real, schemaVersion, ctx.projects.readOnly(real)));
    },

    async 'projects.rename'({ path, name }) {
      const real = existingPath(path);
      renameProject(ctx.projects.get(real), name, ctx.appVersion);
      ctx.settings.renameRecent(real, name);
      ctx.bus.emit('project.changed', { path: real, what: 'renamed' });
      return describeOpen(ctx, real);
    },

    async 'projects.listRecent'() {
      return [...ctx.settings.read().recentProjects]
        .sort((a, b) => b.openedAt.localeCompare(a.openedAt))
        .map((r) => {
          const exists = existsSync(r.path);
          const unavailable = exists ? ctx.projects.problem(r.path) : null;
          const readOnly = exists && unavailable === null ? ctx.projects.readOnly(r.path) : null;
          return { ...r, exists, ...(unavailable !== null && { unavailable }), ...(readOnly !== null && { readOnly }) };
        });
    },

    async 'projects.forget'({ path }) {
      const abs = resolve(path);
      ctx.settings.forgetRecent(abs);
      if (existsSync(abs)) ctx.settings.forgetRecent(realpathSync(abs));
      return { ok: true as const };
    },

    async 'projects.delete'({ path, confirmName }) {
      const real = existingPath(path);
      // Reading the name also proves it is a Loci project: this never deletes anyone else's file.
      const name = ctx.projects.read(real, (db) => readMeta(db, real).name, { allowNewer: true });
      if (confirmName.trim() !== name) {
        const message = `Type the project's name exactly ("${name}") to delete it`;
        throw new ApiError({ code: 'invalid_input', message: `Not deleted: ${message}`, issues: [{ path: 'confirmName', message }] });
      }
      ctx.projects.close(real);
      if (openElsewhere(real)) {
        throw new ApiError({
          code: 'conflict',
          message: `Not deleted: ${real} is open in another Loci (the app, \`loci serve\` or a running job); close it there first`,
          file: real,
        });
      }
      removeProjectFiles(real);
      ctx.settings.forgetRecent(real);
      ctx.bus.emit('project.changed', { path: real, what: 'deleted' });
      return { ok: true as const };
    },
  };
}
