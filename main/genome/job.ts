// The genome and region job kinds, run in a job's worker process (main/jobs): `genome-index`
// checks, hashes and indexes a FASTA into the genome cache; `regions-read` reads and checks a
// BED/GFF3 against a genome. Neither writes the project: each leaves its result as JSON lines in
// the job's folder (the file its protocol in ./protocol.ts names), or the API error in
// failure.json, and the serving process stores the result in one transaction (main/api/genomes.ts,
// through main/jobs/results.ts).
// Also here: what those jobs share with the serving process (the cache layout, reading regions).
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ApiError } from '../../shared/contract/errors';
import { registerJobKind, type JobContext } from '../jobs/registry';
import type { JobReport } from '../jobs/protocol';
import { writeJsonLines } from '../jobs/files';
import { toApiError, tooManyProblems } from './api-errors';
import { genomeIndexKind, regionsReadKind, type GenomeIndexParams, type GenomeIndexResult, type RegionsReadHeader, type RegionsReadParams } from './protocol';
import { genomeSequences, type GenomeRow, type RegionRow } from '../store/data-repo';
import type { Db } from '../store/project-file';
import { indexFasta, sha256File } from './fasta/index';
import type { GenomeRecord } from './fasta/index';
import type { InputError, ProblemGroup } from './errors';
import { readBed } from './bed';
import { readGff, startSites } from './gff';
import type { GffFeature } from './gff';
import { readTextLines } from './io';
import type { ChromMapping } from './chroms';

// ---------- the genome cache ----------

/** A genome's cache folder: shared by every project that imports the same content. */
export function genomeCacheDir(cacheRoot: string, sha256: string): string {
  return join(cacheRoot, sha256.slice(0, 16));
}

/** Moves every file of `from` into `to` (same file system), replacing same-named ones, then removes `from`. */
async function moveInto(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from)) await rename(join(from, name), join(to, name));
  await rm(from, { recursive: true, force: true });
}

export interface CacheIndexOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Where to build the index before it moves into the cache (a job's own folder); default a fresh folder in the cache. */
  stagingDir?: string;
}

/** Indexes `path` into the genome cache under `cacheRoot`; returns the record with the cache paths. */
export async function indexIntoCache(cacheRoot: string, path: string, opts: CacheIndexOptions = {}): Promise<GenomeRecord> {
  const staging = opts.stagingDir ?? join(cacheRoot, `.staging-${randomUUID()}`);
  await mkdir(staging, { recursive: true });
  try {
    const rec = await indexFasta(path, { indexDir: staging, cacheDir: staging, ...(opts.signal && { signal: opts.signal }), ...(opts.onProgress && { onProgress: opts.onProgress }) });
    const final = genomeCacheDir(cacheRoot, rec.sha256);
    await moveInto(staging, final);
    const moved = (p: string) => (p.startsWith(staging) ? join(final, basename(p)) : p);
    return { ...rec, fastaPath: moved(rec.fastaPath), faiPath: moved(rec.faiPath), ...(rec.gziPath && { gziPath: moved(rec.gziPath) }) };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A stored genome as the record the FASTA library reads and verifies. */
export function recordOf(row: GenomeRow): GenomeRecord {
  return {
    path: row.path,
    size: row.size,
    mtimeMs: row.mtimeMs,
    sha256: row.checksum,
    compression: row.compression,
    fastaPath: row.fastaPath,
    faiPath: row.faiPath,
    ...(row.gziPath && { gziPath: row.gziPath }),
    totalLength: row.totalLength,
    sequences: [],
  };
}

// ---------- regions ----------

export type RegionFormat = 'bed' | 'gff3';

/** From the extension, else from the first data line (9 tab-separated columns -> GFF3). */
export async function detectRegionFormat(path: string): Promise<RegionFormat> {
  const ext = extname(path.replace(/\.(gz|bgz)$/i, '')).toLowerCase();
  if (ext === '.gff' || ext === '.gff3') return 'gff3';
  if (ext === '.bed') return 'bed';
  for await (const { text } of readTextLines(path)) {
    if (/^##gff-version/.test(text)) return 'gff3';
    if (text.trim() === '' || text.startsWith('#') || /^(track|browser)\b/.test(text)) continue;
    const cols = text.split('\t');
    return cols.length === 9 && /^\d+$/.test(cols[3] ?? '') && /^\d+$/.test(cols[4] ?? '') ? 'gff3' : 'bed';
  }
  return 'bed';
}

export interface ReadRegions {
  format: RegionFormat;
  regions: Array<RegionRow & { line: number; type?: string }>;
  linesRead: number;
  /** A BED's first line was a column header. */
  header: boolean;
  typeCounts: Record<string, number>;
  errors: InputError[];
  errorCount: number;
  errorGroups: ProblemGroup[];
  unknownChroms: string[];
  summary: string;
  chromMapping?: ChromMapping;
  assemblyWarning?: string;
}

/** Start site of a BED record or GFF feature: strand-aware first base, as a 1-bp region. */
function bedStartSite(r: RegionRow & { line: number }): RegionRow & { line: number } {
  const pos = r.strand === '-' ? r.end - 1 : r.start;
  return { ...r, start: pos, end: pos + 1 };
}

export interface ReadRegionsOptions {
  format: RegionFormat;
  gffTypes?: readonly string[] | undefined;
  derive: 'features' | 'start-sites';
  chromSizes?: Map<string, number>;
  /** Sequence name -> FASTA header description (names a header mentions are suggested as renamings). */
  chromDescriptions?: Map<string, string>;
  rename?: Record<string, string> | undefined;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export async function readRegions(path: string, opts: ReadRegionsOptions): Promise<ReadRegions> {
  const common = {
    ...(opts.chromSizes && { chromSizes: opts.chromSizes }),
    ...(opts.chromDescriptions && { chromDescriptions: opts.chromDescriptions }),
    ...(opts.rename && { rename: opts.rename }),
    ...(opts.onProgress && { onProgress: opts.onProgress }),
    ...(opts.signal && { signal: opts.signal }),
  };
  if (opts.format === 'bed') {
    const r = await readBed(path, common);
    let regions = r.records.map((b) => ({ chrom: b.chrom, start: b.start, end: b.end, line: b.line, ...(b.name !== undefined && { name: b.name }), ...(b.score !== undefined && { score: b.score }), ...(b.strand && { strand: b.strand }) }));
    if (opts.derive === 'start-sites') regions = regions.map(bedStartSite);
    return { format: 'bed', regions, linesRead: r.linesRead, header: r.header !== undefined, typeCounts: {}, errors: r.errors, errorCount: r.errorCount, errorGroups: r.errorGroups, unknownChroms: r.unknownChroms, summary: r.summary, ...(r.chromMapping && { chromMapping: r.chromMapping }) };
  }
  const r = await readGff(path, { ...common, ...(opts.gffTypes && opts.gffTypes.length && { types: opts.gffTypes }) });
  const strandOf = (s: GffFeature['strand']) => (s === '?' ? '.' : s);
  const regions =
    opts.derive === 'start-sites'
      ? startSites(r.features).map((p) => ({ chrom: p.chrom, start: p.start, end: p.end, strand: p.strand, line: p.line, ...(p.name !== undefined && { name: p.name }) }))
      : r.features.map((f) => ({ chrom: f.chrom, start: f.start, end: f.end, strand: strandOf(f.strand), line: f.line, type: f.type, ...(f.name !== undefined && { name: f.name }), ...(f.score !== undefined && { score: f.score }) }));
  return { format: 'gff3', regions, linesRead: r.linesRead, header: false, typeCounts: r.typeCounts, errors: r.errors, errorCount: r.errorCount, errorGroups: r.errorGroups, unknownChroms: r.unknownChroms, summary: r.summary, ...(r.chromMapping && { chromMapping: r.chromMapping }), ...(r.assemblyWarning && { assemblyWarning: r.assemblyWarning }) };
}

export function typeList(counts: Record<string, number>): Array<{ type: string; count: number }> {
  return Object.entries(counts)
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

// ---------- what every data job does in its worker ----------

/** Opens a project for reading only: a job's worker reads its inputs but never writes the project. */
export function readProject<T>(project: string, read: (db: Db) => T): T {
  const db = new Database(project, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * Runs a data job's work, turning a reader's error into the API error that names the file and line
 * (the worker writes it to the job's failure.json, so the caller gets the file, line and issues).
 */
export async function recordingFailure<T>(_job: JobContext<unknown>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toApiError(err);
  }
}

/** Progress with an ETA from the elapsed time (the runner derives one only from steps). */
export function fractionReporter(job: JobContext<unknown>): (fraction: number, message: string, extra?: JobReport) => void {
  const started = Date.now();
  return (fraction, message, extra = {}) => {
    const f = Math.min(1, Math.max(0, fraction));
    const elapsed = (Date.now() - started) / 1000;
    job.report({ ...extra, fraction: f, message, ...(f > 0.02 && elapsed > 1 && { etaSeconds: (elapsed * (1 - f)) / f }) });
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

// ---------- genome-index ----------

export type { GenomeIndexParams, GenomeIndexResult, RegionsReadHeader, RegionsReadParams };

registerJobKind(genomeIndexKind, (job) =>
  recordingFailure(job, async () => {
    const { path, cacheRoot } = job.params;
    const name = basename(path);
    const progress = fractionReporter(job);
    progress(0, `reading ${name}`);
    const rec = await indexIntoCache(cacheRoot, path, {
      signal: job.signal,
      stagingDir: join(job.checkpointDir, 'staging'),
      onProgress: (done, total) => progress(total ? done / total : 0, `reading ${name}: ${mb(done)} of ${mb(total)}`, { step: done, total }),
    });
    job.signal.throwIfAborted();
    progress(1, `indexed ${rec.sequences.length} sequence${rec.sequences.length === 1 ? '' : 's'}; saving into the project`);
    await writeJsonLines(join(job.checkpointDir, genomeIndexKind.files.result), rec satisfies GenomeIndexResult, []);
    return { sha256: rec.sha256, sequences: rec.sequences.length, totalLength: rec.totalLength };
  }),
);

// ---------- regions-read ----------

registerJobKind(regionsReadKind, (job) =>
  recordingFailure(job, async () => {
    const p = job.params;
    const file = p.path;
    const seqs = readProject(p.project, (db) => genomeSequences(db, p.genomeId));
    const chromSizes = new Map(seqs.map((s) => [s.name, s.length]));
    const chromDescriptions = new Map(seqs.map((s) => [s.name, s.description]));
    if (chromSizes.size === 0) throw new ApiError({ code: 'not_found', message: `No genome with id ${p.genomeId} in ${p.project}` });
    const progress = fractionReporter(job);
    const fmt = p.format === 'auto' ? await detectRegionFormat(file) : p.format;
    const types = fmt === 'gff3' ? (p.gffTypes?.length ? p.gffTypes : ['gene']) : [];
    const r = await readRegions(file, {
      format: fmt,
      gffTypes: types,
      derive: p.derive,
      chromSizes,
      chromDescriptions,
      rename: p.rename,
      signal: job.signal,
      onProgress: (d, t) => progress(t ? (0.9 * d) / t : 0, `reading ${basename(file)}: ${mb(d)} of ${mb(t)}`),
    });
    job.signal.throwIfAborted();
    if (r.errorCount > p.maxBadLines) {
      const hint = r.chromMapping
        ? `Chromosome names: ${r.chromMapping.description}. Import with the renaming (--rename ${Object.entries(r.chromMapping.mapping).slice(0, 3).map(([a, b]) => `${a}=${b}`).join(',')}${Object.keys(r.chromMapping.mapping).length > 3 ? ',…' : ''}).`
        : `Fix these lines, or allow up to ${r.errorCount} bad lines to be left out (maxBadLines / --max-bad-lines).`;
      throw tooManyProblems(file, `Not imported: ${r.errorCount} line${r.errorCount === 1 ? '' : 's'} of ${basename(file)} ha${r.errorCount === 1 ? 's' : 've'} problems`, r.errors, r.errorCount, hint);
    }
    if (r.regions.length === 0) {
      const present = typeList(r.typeCounts).map((t) => `${t.type} (${t.count})`).join(', ');
      throw new ApiError({ code: 'bad_file', message: `Not imported: ${file} has no ${fmt === 'gff3' ? `features of type ${types.join(', ')}` : 'regions'}${present ? ` (its feature types: ${present})` : ''}`, file });
    }
    progress(0.9, `checksum of ${basename(file)}`);
    const checksum = await sha256File(file, { signal: job.signal });
    progress(0.95, `${r.regions.length} regions read; saving into the project`);
    const header: RegionsReadHeader = { format: fmt, gffTypes: types, checksum, count: r.regions.length };
    const rows = r.regions.map(({ chrom, start, end, name, score, strand }): RegionRow => ({ chrom, start, end, ...(name !== undefined && { name }), ...(score !== undefined && { score }), ...(strand && { strand }) }));
    await writeJsonLines(join(job.checkpointDir, regionsReadKind.files.result), header, rows, job.signal);
    return { count: rows.length };
  }),
);
