// genomes.* and regions.*: reference genomes (indexed by reference, never copied) and labelled
// region sets (BED or GFF3, checked against a genome) in a project. See shared/contract/data.ts.
//
// Where the index lives: the user's folder may be read-only (shared data, a USB stick), so the
// .fai/.gzi (and the decompressed copy of a plain-gzip FASTA) go to <dataDir>/genomes/<sha256 prefix>/,
// shared by every project that imports the same file. A project copied to another machine finds
// no index there; openGenome rebuilds it after checking the file's checksum.
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ApiError } from '../../shared/contract/errors';
import type { Genome, RegionPreview, RegionSet } from '../../shared/contract/data';
import { verifyGenome, FastaReader } from '../genome/fasta/index';
import { InputError } from '../genome/errors';
import { readTextLines } from '../genome/io';
import { detectRegionFormat, indexIntoCache, readRegions, recordOf, typeList } from '../genome/job';
import { genomeIndexKind, regionsReadKind, type GenomeIndexParams, type GenomeIndexResult, type RegionsReadHeader, type RegionsReadParams } from '../genome/protocol';
import type { FinishedJob } from '../jobs/results';
import { touchModified } from '../store/meta';
import type { Db } from '../store/project-file';
import {
  deleteGenome,
  deleteRegionSet,
  genomeSequences,
  getGenomeRow,
  getRegionSetRow,
  insertGenome,
  insertRegionSet,
  listGenomeRows,
  listRegionSetRows,
  updateGenomeFiles,
  type GenomeRow,
  type RegionRow,
  type RegionSetRow,
} from '../store/data-repo';
import type { AppContext } from './context';
import type { Services } from './dispatch';
import { registerDataJob, runDataJob, type DataJobResult } from './data-jobs';
import { lineError, mapErrors, notFound } from './data-support';
import { existingPath, projectDb } from './projects';

type GenomeServices = Pick<Services, Extract<keyof Services, `genomes.${string}` | `regions.${string}`>>;

const now = () => new Date().toISOString();

function cacheRoot(ctx: AppContext): string {
  return join(ctx.dataDir, 'genomes');
}

function describeGenome(db: Db, row: GenomeRow, status: Genome['status'], statusDetail: string): Genome {
  return {
    id: row.id,
    name: row.name,
    path: row.path,
    checksum: row.checksum,
    size: row.size,
    compression: row.compression,
    totalLength: row.totalLength,
    sequences: genomeSequences(db, row.id).map((s) => ({ name: s.name, length: s.length, gc: s.gc, nFraction: s.length ? s.nCount / s.length : 0, softMaskedFraction: s.softMasked, description: s.description })),
    status,
    statusDetail,
    addedAt: row.addedAt,
  };
}

async function checkedGenome(db: Db, row: GenomeRow, deep = false): Promise<Genome> {
  const v = await verifyGenome(recordOf(row), { deep });
  return describeGenome(db, row, v.status, v.detail);
}

export function requireGenome(db: Db, id: number, project: string): GenomeRow {
  const row = getGenomeRow(db, id);
  if (!row) throw notFound('genome', id, project);
  return row;
}

export function chromSizesOf(db: Db, genomeId: number): Map<string, number> {
  return new Map(genomeSequences(db, genomeId).map((s) => [s.name, s.length]));
}

/** Sequence name -> FASTA header description, for suggesting renamings from the headers. */
export function chromDescriptionsOf(db: Db, genomeId: number): Map<string, string> {
  return new Map(genomeSequences(db, genomeId).map((s) => [s.name, s.description]));
}

/**
 * A reader for a project's genome: refuses a moved or changed file (the user relocates it first),
 * and rebuilds a missing or stale index (e.g. a project copied from another machine).
 */
export async function openGenome(ctx: AppContext, db: Db, row: GenomeRow, project: string, signal?: AbortSignal): Promise<FastaReader> {
  const v = await verifyGenome(recordOf(row));
  if (v.status !== 'ok') {
    throw new ApiError({ code: 'conflict', message: `Genome "${row.name}" cannot be read: ${v.detail}. Relocate it (genomes.relocate / loci import genome --relocate) or import it again.`, file: row.path });
  }
  try {
    return await FastaReader.openRecord(recordOf(row));
  } catch (err) {
    if (!(err instanceof InputError) || (err.code !== 'bad-index' && err.code !== 'not-found')) throw err;
  }
  ctx.log.info(`rebuilding the index of ${row.path} for ${project}`);
  const rec = await indexIntoCache(cacheRoot(ctx), row.path, signal ? { signal } : {});
  if (rec.sha256 !== row.checksum) throw new ApiError({ code: 'conflict', message: `Genome "${row.name}" changed since it was imported (${row.path}); import it again`, file: row.path });
  updateGenomeFiles(db, row.id, { path: row.path, fastaPath: rec.fastaPath, faiPath: rec.faiPath, gziPath: rec.gziPath ?? null, mtimeMs: rec.mtimeMs });
  return FastaReader.openRecord(rec);
}

// ---------- regions ----------

/**
 * Blank, comment, directive, track and browser lines among the first `upTo` lines (the readers skip
 * them without counting them apart): the preview says how many lines held records, good or bad.
 */
async function countOtherLines(file: string, format: 'bed' | 'gff3', upTo: number): Promise<number> {
  let other = 0;
  for await (const { text, line } of readTextLines(file)) {
    if (line > upTo) break;
    if (text.trim() === '' || text.startsWith('#') || (format === 'gff3' && text.startsWith('>')) || (format === 'bed' && /^(track|browser)(\s|$)/.test(text))) other++;
  }
  return other;
}

function describeRegionSet(r: RegionSetRow): RegionSet {
  return { id: r.id, name: r.name, genomeId: r.genomeId, format: r.format, sourcePath: r.sourcePath, checksum: r.checksum, count: r.count, derive: r.params.derive, gffTypes: r.params.gffTypes, createdAt: r.createdAt };
}

function changed(ctx: AppContext, db: Db, project: string, what: string): void {
  touchModified(db, ctx.appVersion);
  ctx.bus.emit('project.changed', { path: project, what });
}

function alreadyHere(dup: GenomeRow, file: string): ApiError {
  return new ApiError({ code: 'conflict', message: `This genome is already in the project as "${dup.name}" (id ${dup.id}, ${dup.path})`, file });
}

/** Stores an indexed genome (inside the job's transaction); refuses one the project already has (by checksum). */
function storeGenome(ctx: AppContext, db: Db, job: FinishedJob<GenomeIndexParams, { sha256: string; sequences: number; totalLength: number }>, result: DataJobResult): { genomeId: number } {
  const params = job.params;
  const rec = result.header as GenomeIndexResult;
  const dup = listGenomeRows(db).find((g) => g.checksum === rec.sha256);
  if (dup) throw alreadyHere(dup, rec.path);
  const row: Omit<GenomeRow, 'id'> = {
    name: params.name ?? basename(rec.path).replace(/\.(gz|bgz)$/i, '').replace(/\.(fa|fasta|fna|fas)$/i, ''),
    path: rec.path,
    fastaPath: rec.fastaPath,
    faiPath: rec.faiPath,
    gziPath: rec.gziPath ?? null,
    checksum: rec.sha256,
    size: rec.size,
    mtimeMs: rec.mtimeMs,
    compression: rec.compression,
    totalLength: rec.totalLength,
    addedAt: now(),
  };
  const seqs = rec.sequences.map((s) => ({ name: s.name, length: s.length, gc: s.gcFraction, nCount: s.nCount, softMasked: s.softMaskedFraction, description: s.description }));
  const id = insertGenome(db, row, seqs);
  touchModified(db, ctx.appVersion);
  return { ...job.result, genomeId: id };
}

/** Stores a region set read by a regions-read job (inside the job's transaction). */
function storeRegions(ctx: AppContext, db: Db, job: FinishedJob<RegionsReadParams, { count: number }>, result: DataJobResult): { count: number; regionSetId: number } {
  const p = job.params;
  const head = result.header as RegionsReadHeader;
  const set: Omit<RegionSetRow, 'id' | 'count'> = { name: p.name, genomeId: p.genomeId, format: head.format, sourcePath: p.path, checksum: head.checksum, params: { derive: p.derive, gffTypes: head.gffTypes, ...(p.rename && { rename: p.rename }) }, createdAt: now() };
  // The genome may have been removed while the file was read.
  requireGenome(db, p.genomeId, job.project);
  const id = insertRegionSet(db, set, [...result.rows] as RegionRow[]);
  touchModified(db, ctx.appVersion);
  return { ...job.result, regionSetId: id };
}

/** The stored result's id (genomeId, regionSetId ...) of a data job. */
function storedId(stored: unknown, key: string): number {
  const id = (stored as Record<string, unknown> | null)?.[key];
  if (typeof id !== 'number') throw new ApiError({ code: 'internal', message: `The job finished without a ${key} in its result` });
  return id;
}

function firstOfEachType<T extends { type?: string }>(records: readonly T[], n: number): T[] {
  const seen = new Map<string, number>();
  return records.filter((x) => {
    const k = x.type ?? '';
    const count = seen.get(k) ?? 0;
    seen.set(k, count + 1);
    return count < n;
  });
}

export function createGenomeServices(ctx: AppContext): GenomeServices {
  registerDataJob(ctx, genomeIndexKind, 'genomes', (db, job, result) => storeGenome(ctx, db, job, result));
  registerDataJob(ctx, regionsReadKind, 'regions', (db, job, result) => storeRegions(ctx, db, job, result));
  return {
    async 'genomes.import'({ project, path, name }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const file = resolve(path);
      // The same file again (same path, size and time) is refused before reading it; the same
      // content elsewhere is found once the worker has its checksum.
      const st = await stat(file).catch(() => null);
      const same = st && listGenomeRows(db).find((g) => g.path === file && g.size === st.size && g.mtimeMs === st.mtimeMs);
      if (same) throw alreadyHere(same, file);
      const params: GenomeIndexParams = { path: file, cacheRoot: cacheRoot(ctx), ...(name !== undefined && { name }) };
      return runDataJob(ctx, real, genomeIndexKind, params, (stored) => {
        const row = requireGenome(db, storedId(stored, 'genomeId'), real);
        return describeGenome(db, row, 'ok', 'just imported');
      });
    },

    async 'genomes.list'({ project }) {
      const db = projectDb(ctx, project);
      return mapErrors(() => Promise.all(listGenomeRows(db).map((row) => checkedGenome(db, row))));
    },

    async 'genomes.get'({ project, id }) {
      const db = projectDb(ctx, project);
      return mapErrors(() => checkedGenome(db, requireGenome(db, id, project)));
    },

    async 'genomes.verify'({ project, id, deep }) {
      const db = projectDb(ctx, project);
      return mapErrors(() => checkedGenome(db, requireGenome(db, id, project), deep ?? false));
    },

    async 'genomes.relocate'({ project, id, newPath }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const row = requireGenome(db, id, project);
      const candidate = resolve(newPath);
      return mapErrors(async () => {
        const v = await verifyGenome(recordOf(row), { candidatePath: candidate });
        if (v.status !== 'ok') {
          throw new ApiError({ code: 'conflict', message: `Not relocated: ${candidate} is not the same file as genome "${row.name}" (${v.detail})`, file: candidate });
        }
        const st = await stat(candidate);
        // A plain FASTA is read in place, so its index follows it; a cached copy (gzip) stays valid.
        const fastaPath = row.compression === 'gzip' ? row.fastaPath : candidate;
        const rec = row.compression === 'gzip' ? undefined : await indexIntoCache(cacheRoot(ctx), candidate, {});
        db.transaction(() => {
          updateGenomeFiles(db, id, { path: candidate, fastaPath, faiPath: rec?.faiPath ?? row.faiPath, gziPath: rec ? (rec.gziPath ?? null) : row.gziPath, mtimeMs: st.mtimeMs });
          touchModified(db, ctx.appVersion);
        })();
        ctx.bus.emit('project.changed', { path: real, what: 'genomes' });
        return checkedGenome(db, requireGenome(db, id, project));
      });
    },

    async 'genomes.remove'({ project, id }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      db.transaction(() => {
        if (!deleteGenome(db, id)) throw notFound('genome', id, project);
        touchModified(db, ctx.appVersion);
      })();
      ctx.bus.emit('project.changed', { path: real, what: 'genomes' });
      return { ok: true as const };
    },

    async 'regions.preview'({ project, path, format, genomeId, rename }) {
      const db = projectDb(ctx, project);
      const file = resolve(path);
      const chromSizes = genomeId === undefined ? undefined : (requireGenome(db, genomeId, project), chromSizesOf(db, genomeId));
      return mapErrors(async (): Promise<RegionPreview> => {
        const fmt = !format || format === 'auto' ? await detectRegionFormat(file) : format;
        const chromDescriptions = genomeId === undefined ? undefined : chromDescriptionsOf(db, genomeId);
        const r = await readRegions(file, { format: fmt, derive: 'features', ...(chromSizes && { chromSizes }), ...(chromDescriptions && { chromDescriptions }), rename });
        const otherLines = (await countOtherLines(file, fmt, r.linesRead)) + (r.header ? 1 : 0);
        const validByType = new Map<string, number>();
        for (const x of r.regions) if (x.type !== undefined) validByType.set(x.type, (validByType.get(x.type) ?? 0) + 1);
        return {
          file,
          format: fmt,
          // The first 20 of each GFF type, so the preview can show records of the types the user
          // picks (NCBI files open with a chromosome-wide 'region' line named ANONYMOUS).
          records: firstOfEachType(r.regions, 20),
          linesRead: r.linesRead,
          dataLines: r.linesRead - otherLines,
          otherLines,
          validCount: r.regions.length,
          gffTypes: typeList(r.typeCounts).map((t) => ({ ...t, valid: validByType.get(t.type) ?? 0 })),
          errors: r.errors.slice(0, 100).map(lineError),
          errorCount: r.errorCount,
          errorGroups: r.errorGroups,
          unknownChroms: r.unknownChroms,
          summary: r.summary,
          ...(r.chromMapping && { chromMapping: r.chromMapping }),
          ...(r.assemblyWarning && { assemblyWarning: r.assemblyWarning }),
        };
      });
    },

    async 'regions.import'({ project, path, genomeId, name, format, gffTypes, derive, rename, maxBadLines }) {
      const real = existingPath(project);
      requireGenome(projectDb(ctx, real), genomeId, project);
      const params: RegionsReadParams = {
        project: real,
        genomeId,
        name,
        path: resolve(path),
        format: format ?? 'auto',
        ...(gffTypes && { gffTypes }),
        derive: derive ?? 'features',
        ...(rename && { rename }),
        maxBadLines: maxBadLines ?? 0,
      };
      return runDataJob(ctx, real, regionsReadKind, params, (stored) => {
        const row = getRegionSetRow(projectDb(ctx, real), storedId(stored, 'regionSetId'));
        if (!row) throw notFound('region set', storedId(stored, 'regionSetId'), real);
        return describeRegionSet(row);
      });
    },

    async 'regions.list'({ project, genomeId }) {
      return listRegionSetRows(projectDb(ctx, project), genomeId).map(describeRegionSet);
    },

    async 'regions.remove'({ project, id }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      db.transaction(() => {
        if (!deleteRegionSet(db, id)) throw notFound('region set', id, project);
        changed(ctx, db, real, 'regions');
      })();
      return { ok: true as const };
    },
  };
}
