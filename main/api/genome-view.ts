// genomeView.*: what the Genome view page (igv.js) reads. See shared/contract/genome-view.ts.
// Every file the page reads (the reference FASTA and its indexes, the user's track files) is
// registered in ctx.files and handed over as an opaque id; igv.js then reads it by byte range.
import { open, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { ApiError } from '../../shared/contract/errors';
import { ViewSettings, type SearchMatch, type TrackFile, type TrackFileFormat, type ViewFeature } from '../../shared/contract/genome-view';
import { formatLocus } from '../../shared/locus';
import { touchModified } from '../store/meta';
import type { Db } from '../store/project-file';
import { genomeSequences, getGenomeRow, listDatasetRows, listGenomeRows, listRegionSetRows, getRegionSetRow, getDatasetRow } from '../store/data-repo';
import {
  datasetFeatures,
  deletePin,
  deleteTrackFile,
  findRegionsByName,
  getPin,
  getTrackFile,
  insertPin,
  insertTrackFile,
  lastViewedGenome,
  listPins,
  listTrackFiles,
  readViewSettings,
  regionSetFeatures,
  writeViewSettings,
  type TrackFileRow,
} from '../store/view-repo';
import { annotationGenome, checkBounds } from './annotations';
import type { AppContext } from './context';
import type { Services } from './dispatch';
import { notFound } from './data-support';
import { openGenome, requireGenome } from './genomes';
import { existingPath, projectDb } from './projects';
import { formatBp } from '../../shared/bp';

type ViewServices = Pick<Services, Extract<keyof Services, `genomeView.${string}`>>;

const DEFAULT_FEATURE_LIMIT = 20_000;

/** The genome asked for, else the one whose view was used last, else the first; a clear error when the project has none. */
function pickGenome(db: Db, project: string, genomeId: number | undefined): number {
  if (genomeId !== undefined) return requireGenome(db, genomeId, project).id;
  const last = lastViewedGenome(db);
  if (last !== undefined && getGenomeRow(db, last)) return last;
  const first = listGenomeRows(db)[0];
  if (!first) throw new ApiError({ code: 'not_found', message: `${project} has no genome yet: import one on the Data page (or loci import genome) to open the Genome view` });
  return first.id;
}

// ---------- track files ----------

/** Formats by file name, as IGV guesses them; `.gz` files must be bgzip with a tabix index to be read by range. */
export function trackFormatOf(path: string): TrackFileFormat | undefined {
  const name = basename(path).toLowerCase().replace(/\.(gz|bgz)$/, '');
  if (/\.(bw|bigwig)$/.test(name)) return 'bigwig';
  if (/\.(bedgraph|bdg|bg)$/.test(name)) return 'bedgraph';
  if (/\.bed$/.test(name)) return 'bed';
  if (/\.(gff3|gff)$/.test(name)) return 'gff3';
  if (/\.bam$/.test(name)) return 'bam';
  if (/\.cram$/.test(name)) return 'cram';
  return undefined;
}

const MAGIC: Partial<Record<TrackFileFormat, { bytes: number[][]; what: string }>> = {
  // bigWig magic 0x888FFC26, either byte order.
  bigwig: { bytes: [[0x26, 0xfc, 0x8f, 0x88], [0x88, 0x8f, 0xfc, 0x26]], what: 'a bigWig file' },
  // BAM is BGZF (gzip) compressed; CRAM starts with "CRAM".
  bam: { bytes: [[0x1f, 0x8b]], what: 'a BAM file (BGZF compressed)' },
  cram: { bytes: [[0x43, 0x52, 0x41, 0x4d]], what: 'a CRAM file' },
};

async function fileStatus(path: string): Promise<'file' | 'missing' | 'not-a-file'> {
  try {
    return (await stat(path)).isFile() ? 'file' : 'not-a-file';
  } catch {
    return 'missing';
  }
}

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The index of a BAM/CRAM (required) or a bgzipped text file (optional, tabix), found next to it. */
async function findIndex(path: string, format: TrackFileFormat, compressed: boolean): Promise<string | null> {
  const candidates =
    format === 'bam' ? [`${path}.bai`, path.replace(/\.bam$/i, '.bai'), `${path}.csi`] : format === 'cram' ? [`${path}.crai`, path.replace(/\.cram$/i, '.crai')] : compressed ? [`${path}.tbi`, `${path}.csi`] : [];
  for (const c of candidates) if (c !== path && (await fileStatus(c)) === 'file') return c;
  return null;
}

function describeTrackFile(ctx: AppContext, row: TrackFileRow, present: { file: boolean; index: boolean }): TrackFile {
  const problem = !present.file ? `The file is missing (moved or deleted?): ${row.path}` : row.indexPath !== null && !present.index ? `The index is missing: ${row.indexPath}` : '';
  return {
    id: row.id,
    name: row.name,
    format: row.format as TrackFileFormat,
    path: row.path,
    indexPath: row.indexPath,
    fileId: problem === '' ? ctx.files.register(row.path) : null,
    indexFileId: problem === '' && row.indexPath !== null ? ctx.files.register(row.indexPath) : null,
    problem,
  };
}

async function checkedTrackFile(ctx: AppContext, row: TrackFileRow): Promise<TrackFile> {
  const file = (await fileStatus(row.path)) === 'file';
  const index = row.indexPath === null || (await fileStatus(row.indexPath)) === 'file';
  return describeTrackFile(ctx, row, { file, index });
}

// ---------- locus parsing ----------

/** `chr1:1,001-2,000` (1-based inclusive, as IGV and UCSC show it) or `chr1:1500` -> 0-based half-open. */
export function parseLocus(text: string, sizes: ReadonlyMap<string, number>): { chrom: string; start: number; end: number } | { error: string } | null {
  const m = /^(.+):([\d,]+)(?:-([\d,]+))?$/.exec(text.trim());
  if (!m) return null;
  const chrom = m[1]!;
  const size = sizes.get(chrom);
  if (size === undefined) return { error: `No chromosome "${chrom}" in this genome` };
  const a = Number(m[2]!.replace(/,/g, ''));
  const b = m[3] === undefined ? a : Number(m[3].replace(/,/g, ''));
  if (a < 1 || b < a) return { error: `"${text}" is not a range: use chrom:start-end with 1 <= start <= end` };
  if (a > size) return { error: `${chrom} is ${formatBp(size)} long; ${a.toLocaleString('en-US')} is past its end` };
  return { chrom, start: a - 1, end: Math.min(b, size) };
}

export function createGenomeViewServices(ctx: AppContext): ViewServices {
  const changed = (db: Db, project: string, what: string) => {
    touchModified(db, ctx.appVersion);
    ctx.bus.emit('project.changed', { path: project, what });
  };

  return {
    async 'genomeView.reference'({ project, genomeId }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const id = pickGenome(db, real, genomeId);
      // Checks the FASTA is where it was and unchanged, and rebuilds a missing index (a copied project).
      await openGenome(ctx, db, requireGenome(db, id, real), real);
      const row = requireGenome(db, id, real);
      return {
        genomeId: row.id,
        name: row.name,
        fastaFileId: ctx.files.register(row.fastaPath),
        indexFileId: ctx.files.register(row.faiPath),
        compressedIndexFileId: row.gziPath ? ctx.files.register(row.gziPath) : null,
        chromosomes: genomeSequences(db, row.id).map((s) => ({ name: s.name, length: s.length })),
        genomes: listGenomeRows(db).map((g) => ({ id: g.id, name: g.name })),
      };
    },

    async 'genomeView.tracks'({ project, genomeId }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      requireGenome(db, genomeId, real);
      const files = await Promise.all(listTrackFiles(db, genomeId).map((r) => checkedTrackFile(ctx, r)));
      return {
        regionSets: listRegionSetRows(db, genomeId).map((s) => ({ id: s.id, name: s.name, format: s.format, count: s.count })),
        datasets: listDatasetRows(db)
          .filter((d) => d.genomeId === genomeId)
          .map((d) => ({ id: d.id, name: d.name, classes: d.classes, count: d.itemCount })),
        files,
      };
    },

    async 'genomeView.features'({ project, source, chrom, start, end, limit }) {
      const db = projectDb(ctx, project);
      if (end < start) throw new ApiError({ code: 'invalid_input', message: `The window ends (${end}) before it starts (${start})` });
      const q = { chrom, start, end, limit: limit ?? DEFAULT_FEATURE_LIMIT };
      if (source.kind === 'regionSet') {
        if (!getRegionSetRow(db, source.id)) throw notFound('region set', source.id, project);
        const { rows, truncated } = regionSetFeatures(db, source.id, q);
        const features: ViewFeature[] = rows.map((r) => ({
          chrom: r.chrom,
          start: r.start,
          end: r.end,
          ...(r.name !== null && { name: r.name }),
          ...(r.score !== null && { score: r.score }),
          ...(r.strand !== null && { strand: r.strand }),
        }));
        return { features, truncated };
      }
      if (!getDatasetRow(db, source.id)) throw notFound('dataset', source.id, project);
      const { rows, truncated } = datasetFeatures(db, source.id, q);
      const features: ViewFeature[] = rows.map((r) => ({
        chrom: r.chrom,
        start: r.start,
        end: r.end,
        name: `${r.label} (${r.split})`,
        split: r.split,
        label: r.label,
        ...(r.strand !== null && { strand: r.strand }),
      }));
      return { features, truncated };
    },

    async 'genomeView.addTrackFile'({ project, genomeId, path, indexPath, name }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      requireGenome(db, genomeId, real);
      const file = resolve(path);
      const status = await fileStatus(file);
      if (status !== 'file') throw new ApiError({ code: 'not_found', message: status === 'missing' ? `No file at ${file}` : `${file} is a folder, not a track file`, file });
      const format = trackFormatOf(file);
      if (!format) {
        throw new ApiError({ code: 'bad_file', message: `${basename(file)}: not a track format the view reads (bigWig .bw, bedGraph, BED, GFF3, BAM or CRAM with its index)`, file });
      }
      const magic = MAGIC[format];
      if (magic) {
        const head = await firstBytes(file, 4);
        if (!magic.bytes.some((m) => m.every((b, i) => head[i] === b))) throw new ApiError({ code: 'bad_file', message: `${basename(file)} is named like ${magic.what} but is not one (its first bytes do not match)`, file });
      }
      const compressed = /\.(gz|bgz)$/i.test(file);
      if (compressed && (format === 'bed' || format === 'bedgraph' || format === 'gff3')) {
        const head = await firstBytes(file, 4);
        // bgzip is gzip with an extra field (FLG.FEXTRA = 4): plain gzip cannot be read by range.
        if (head[0] !== 0x1f || head[1] !== 0x8b || (head[3]! & 4) === 0) {
          throw new ApiError({ code: 'bad_file', message: `${basename(file)} is not bgzip-compressed; compress it with bgzip and index it with tabix, or add the uncompressed file`, file });
        }
      }
      let index: string | null = null;
      if (indexPath !== undefined) {
        index = resolve(indexPath);
        if ((await fileStatus(index)) !== 'file') throw new ApiError({ code: 'not_found', message: `No index file at ${index}`, file: index });
      } else {
        index = await findIndex(file, format, compressed);
      }
      if ((format === 'bam' || format === 'cram') && index === null) {
        throw new ApiError({
          code: 'bad_file',
          message: `${basename(file)} has no index next to it (${format === 'bam' ? '.bai or .csi' : '.crai'}); make one with samtools index, or give its path`,
          file,
        });
      }
      if (compressed && index === null) throw new ApiError({ code: 'bad_file', message: `${basename(file)} is compressed but has no tabix index (.tbi) next to it; run tabix on it`, file });
      const row: Omit<TrackFileRow, 'id'> = { name: name ?? basename(file), genomeId, format, path: file, indexPath: index, createdAt: new Date().toISOString() };
      const id = db.transaction(() => {
        const id = insertTrackFile(db, row);
        changed(db, real, 'tracks');
        return id;
      })();
      return describeTrackFile(ctx, { ...row, id }, { file: true, index: true });
    },

    async 'genomeView.removeTrackFile'({ project, id }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const row = getTrackFile(db, id);
      if (!row) throw notFound('track file', id, project);
      db.transaction(() => {
        deleteTrackFile(db, id);
        changed(db, real, 'tracks');
      })();
      return { ok: true as const };
    },

    async 'genomeView.search'({ project, genomeId, query, limit }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      requireGenome(db, genomeId, real);
      const max = limit ?? 20;
      const seqs = genomeSequences(db, genomeId);
      const sizes = new Map(seqs.map((s) => [s.name, s.length]));
      const locus = parseLocus(query, sizes);
      if (locus && 'error' in locus) throw new ApiError({ code: 'invalid_input', message: locus.error });
      if (locus) return { matches: [{ ...locus, name: query.trim(), source: 'locus' }] };
      const matches: SearchMatch[] = [];
      const q = query.trim();
      const lower = q.toLowerCase();
      const chromosome = (s: (typeof seqs)[number]): SearchMatch => ({ chrom: s.name, start: 0, end: s.length, name: s.name, source: 'chromosome', ...(s.description && { description: s.description }) });
      for (const s of seqs) if (s.name.toLowerCase() === lower) matches.push(chromosome(s));
      // Then sequences whose name or FASTA header mentions the text ('plasmid', 'NC_000913', 'chromosome IV').
      if (lower.length >= 2) for (const s of seqs) if (s.name.toLowerCase() !== lower && (s.name.toLowerCase().includes(lower) || s.description.toLowerCase().includes(lower))) matches.push(chromosome(s));
      for (const r of findRegionsByName(db, genomeId, q, max - matches.length)) matches.push({ chrom: r.chrom, start: r.start, end: r.end, name: r.name, source: r.setName });
      return { matches: matches.slice(0, max) };
    },

    async 'genomeView.pins.list'({ project, genomeId }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      if (genomeId !== undefined) requireGenome(db, genomeId, real);
      return listPins(db, genomeId);
    },

    async 'genomeView.pins.add'({ project, genomeId, chrom, start, end, note }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const genome = requireGenome(db, annotationGenome(db, real, genomeId), real);
      const sizes = new Map(genomeSequences(db, genome.id).map((s) => [s.name, s.length]));
      const problem = checkBounds(sizes, { chrom, start, end }, genome.name);
      if (problem) {
        // The locus as people typed it (1-based, inclusive), not the API's 0-based bounds.
        const known = sizes.has(chrom);
        const message = `Cannot pin ${known ? formatLocus({ chrom, start, end }) : chrom}: ${known && end <= start ? 'the start is after the end (1-based, inclusive: a locus covers at least 1 bp)' : problem}`;
        throw new ApiError({ code: 'invalid_input', message, issues: [{ path: known ? 'end' : 'chrom', message }] });
      }
      const row = { genomeId: genome.id, chrom, start, end, note, createdAt: new Date().toISOString() };
      const id = db.transaction(() => {
        const id = insertPin(db, row);
        changed(db, real, 'pins');
        return id;
      })();
      return { id, ...row };
    },

    async 'genomeView.pins.remove'({ project, id }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      if (!getPin(db, id)) throw notFound('pin', id, real);
      db.transaction(() => {
        deletePin(db, id);
        changed(db, real, 'pins');
      })();
      return { ok: true as const };
    },

    async 'genomeView.settings.get'({ project, genomeId }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      if (listGenomeRows(db).length === 0) return { genomeId: null, locus: null, tracks: [] };
      const id = pickGenome(db, real, genomeId);
      const stored = ViewSettings.safeParse({ genomeId: id, locus: null, tracks: [], ...(readViewSettings(db, id) as object | undefined) });
      // Settings written by another version and no longer valid fall back to the defaults.
      return stored.success ? { ...stored.data, genomeId: id } : { genomeId: id, locus: null, tracks: [] };
    },

    async 'genomeView.settings.set'({ project, genomeId, locus, tracks }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      requireGenome(db, genomeId, real);
      const before = ViewSettings.safeParse({ genomeId, locus: null, tracks: [], ...(readViewSettings(db, genomeId) as object | undefined) });
      const base = before.success ? before.data : { genomeId, locus: null, tracks: [] };
      const keys = new Set<string>();
      for (const t of tracks ?? []) {
        if (keys.has(t.key)) throw new ApiError({ code: 'invalid_input', message: `Track "${t.key}" is listed twice` });
        keys.add(t.key);
      }
      // No touchModified: moving around the view is not a change to the project's contents.
      writeViewSettings(db, genomeId, { ...base, genomeId, ...(locus !== undefined && { locus }), ...(tracks !== undefined && { tracks }) });
      return { ok: true as const };
    },
  };
}
