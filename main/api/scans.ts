// scans.*: genome scans (see shared/contract/scans.ts). A scan is a `runs` row of kind 'scan' plus
// one `scan` job (main/scan/job.ts) that does the work in a worker process.
//
// - scans.start checks everything that can be known wrong first (model is a classifier, its
//   tokenizer reads the genome, the window fits the model, the region or BED lies on the genome,
//   the genome file is unchanged), writes the intervals and the run's dev set into the scan's own
//   folder, records the scan and starts the job. Nothing is stored when a check fails.
// - The job's state is mirrored into the scan on the bus (job.progress), as training does; when the
//   job is done, its result store (the job-result mechanism, main/jobs/results.ts) copies its bigWigs
//   into the project file (track_chunks) in the one transaction that marks the job done, with the
//   thresholds it chose, so a scan is either complete in the project or not there.
// - Tracks are served by byte range from the chunk table (FileRegistry.registerSource); called
//   regions and per-base scores are read back from the stored bigWigs with @gmod/bbi, so a new
//   threshold needs no rescan.
import { randomUUID } from 'node:crypto';
import { readFileSync, openSync, readSync, closeSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { BigWig } from '@gmod/bbi';
import type { GenericFilehandle } from 'generic-filehandle2';
import { ApiError, type FieldIssue } from '../../shared/contract/errors';
import type { JobProgress } from '../../shared/contract/events';
import type { JobInfo, JobState } from '../../shared/contract/jobs';
import type { ProjectModel } from '../../shared/contract/models';
import type { ScanInfo, ScanRegion, ScanTarget, TrackStrand } from '../../shared/contract/scans';
import { writeLinesAtomic } from '../datasets/export';
import { probeBackends } from '../engine/backend';
import { readBed } from '../genome/bed';
import type { FastaReader } from '../genome/fasta/reader';
import { jobRunner, registerResultStore, startJob, waitForJob } from '../jobs/index';
import { writeFileAtomic } from '../node/atomic';
import { getDatasetRow, genomeSequences, getGenomeRow, listGenomeRows, type GenomeRow } from '../store/data-repo';
import { touchModified } from '../store/meta';
import { getModelRow } from '../store/model-repo';
import type { Db } from '../store/project-file';
import { getRunRow } from '../store/run-repo';
import {
  deleteScanRow,
  getScanRow,
  insertScan,
  insertTrack,
  listScanRows,
  readTrackBytes,
  scanByJob,
  scanTrack,
  scanTracks,
  storedBytes,
  updateScan,
  type ScanParams,
  type ScanRow,
  type ScanThresholdRecord,
  type TrackRow,
} from '../store/scan-repo';
import { mergeIntervals, totalBases, type ScanInterval } from '../scan/plan';
import { bigWigPieces, type BigWigPiece } from '../scan/read';
import { AGGREGATION, RegionCaller, type CalledRegion } from '../scan/scores';
import { defaultScanWorkers, scanKind, type ScanJobParams, type ScanResultFile } from '../scan/protocol';
import type { AppContext } from './context';
import { tooManyProblems } from './data-support';
import type { Services } from './dispatch';
import { openGenome } from './genomes';
import { createModelServices } from './models';
import { existingPath, projectDb, slugify } from './projects';
import { formatBp } from '../../shared/bp';

type ScanServices = Pick<Services, Extract<keyof Services, `scans.${string}`>>;

const INTERVALS_FILE = 'intervals.json';
const DEV_FILE = 'dev.json';
/** Bases per chunk: the unit of progress, checkpoint and memory of a scan. */
const CHUNK_BP = 100_000;
const DEFAULT_BATCH = 64;
/** DNABERT-2 (ALiBi) has no position limit; the engine stops at 512 tokens (attention cost), as training does. */
export const DNABERT2_LENGTH_LIMIT = 512;
/** Windows sampled from the target to check the tokenizer and the window length before a scan starts. */
const SAMPLE_WINDOWS = 24;
const FINAL: readonly string[] = ['done', 'cancelled'];

const now = () => new Date().toISOString();

export function invalid(issues: FieldIssue[]): ApiError {
  return new ApiError({ code: 'invalid_input', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues });
}

export function requireScan(db: Db, scanId: number, project: string): ScanRow {
  const row = getScanRow(db, scanId);
  if (!row) throw new ApiError({ code: 'not_found', message: `No scan ${scanId} in ${project}` });
  return row;
}

// ---------------------------------------------------------------- checks before a scan starts

interface Resolved {
  model: ProjectModel;
  runId: number | null;
  datasetId: number | null;
  classes: string[];
}

export async function resolveModel(ctx: AppContext, db: Db, project: string, input: { runId?: number; modelId?: number; datasetId?: number }): Promise<Resolved> {
  let modelId = input.modelId;
  let runId: number | null = null;
  let datasetId: number | null = null;
  if (input.runId !== undefined) {
    const run = getRunRow(db, input.runId);
    if (!run || run.kind !== 'finetune') throw invalid([{ path: 'runId', message: `No fine-tuning run ${input.runId} in this project` }]);
    if (run.state !== 'done' || run.outputModelId === null) throw invalid([{ path: 'runId', message: `Run ${input.runId} is ${run.state}: only a finished run has a model to scan with` }]);
    modelId = run.outputModelId;
    runId = run.id;
    datasetId = run.datasetId;
  }
  if (modelId === undefined || !getModelRow(db, modelId)) throw invalid([{ path: 'modelId', message: `No model ${modelId ?? '(none given)'} in this project` }]);
  const model = await createModelServices(ctx)['models.get']({ project, id: modelId });
  if (runId === null && model.runId !== null) {
    const run = getRunRow(db, model.runId);
    if (run?.kind === 'finetune') {
      runId = run.id;
      datasetId = run.datasetId;
    }
  }
  if (input.datasetId !== undefined) {
    if (!getDatasetRow(db, input.datasetId)) throw invalid([{ path: 'datasetId', message: `No dataset ${input.datasetId} in this project` }]);
    datasetId = input.datasetId;
  }
  if (model.status !== 'ok' || !model.path) throw invalid([{ path: 'modelId', message: `"${model.name}" cannot be used: ${model.statusDetail}` }]);
  if (!model.shape.hasClassifier || model.shape.numLabels === null || model.shape.numLabels < 2) {
    throw invalid([{ path: 'modelId', message: `"${model.name}" is not a classifier (it has no classification head): fine-tune it first, then scan with the fine-tuned model` }]);
  }
  if (model.shape.tokenizer.kind === 'none') throw invalid([{ path: 'modelId', message: `"${model.name}" has no tokenizer (tokenizer.json or vocab.txt) in ${model.path}` }]);
  const n = model.shape.numLabels;
  const classes = model.labels.length === n ? model.labels : Array.from({ length: n }, (_, k) => `class ${k}`);
  return { model, runId, datasetId, classes };
}

export function resolveGenome(db: Db, genomeId: number | undefined, datasetId: number | null): GenomeRow {
  if (genomeId !== undefined) {
    const g = getGenomeRow(db, genomeId);
    if (!g) throw invalid([{ path: 'genomeId', message: `No genome ${genomeId} in this project` }]);
    return g;
  }
  const fromDataset = datasetId !== null ? getDatasetRow(db, datasetId)?.genomeId : null;
  if (fromDataset) {
    const g = getGenomeRow(db, fromDataset);
    if (g) return g;
  }
  const all = listGenomeRows(db);
  if (all.length === 1) return all[0]!;
  throw invalid([{ path: 'genomeId', message: all.length ? `The project has ${all.length} genomes: say which one to scan` : 'The project has no genome: import one first' }]);
}

/** The intervals a target covers (chromosome indices in genome order), checked against the genome. */
async function targetIntervals(target: ScanTarget, chroms: readonly { name: string; length: number }[], genomeName: string): Promise<ScanInterval[]> {
  const index = new Map(chroms.map((c, i) => [c.name, i]));
  const chromOf = (name: string, path: string): number => {
    const i = index.get(name);
    if (i === undefined) {
      const names = chroms.slice(0, 5).map((c) => c.name).join(', ');
      throw invalid([{ path, message: `Genome "${genomeName}" has no sequence named '${name}' (it has ${chroms.length}: ${names}${chroms.length > 5 ? ', …' : ''})` }]);
    }
    return i;
  };
  switch (target.kind) {
    case 'genome':
      return chroms.map((c, i) => ({ chrom: i, start: 0, end: c.length })).filter((iv) => iv.end > 0);
    case 'chrom': {
      const i = chromOf(target.chrom, 'target.chrom');
      return [{ chrom: i, start: 0, end: chroms[i]!.length }];
    }
    case 'region': {
      const i = chromOf(target.chrom, 'target.chrom');
      const len = chroms[i]!.length;
      if (target.end <= target.start) throw invalid([{ path: 'target.end', message: `The region ${target.chrom}:${target.start}-${target.end} is empty (end must be after start; 0-based, half-open)` }]);
      if (target.end > len) throw invalid([{ path: 'target.end', message: `The region ${target.chrom}:${target.start}-${target.end} runs past the end of ${target.chrom} (${formatBp(len)})` }]);
      return [{ chrom: i, start: target.start, end: target.end }];
    }
    case 'bed': {
      const sizes = new Map(chroms.map((c) => [c.name, c.length]));
      const bed = await readBed(target.path, { chromSizes: sizes });
      if (bed.errorCount > 0) throw tooManyProblems(target.path, `${bed.errorCount} line(s) of ${target.path} cannot be scanned on genome "${genomeName}"`, bed.errors, bed.errorCount);
      if (bed.records.length === 0) throw invalid([{ path: 'target.path', message: `${target.path} holds no regions` }]);
      return mergeIntervals(bed.records.map((r) => ({ chrom: index.get(r.chrom)!, start: r.start, end: r.end })).filter((iv) => iv.end > iv.start));
    }
  }
}

/** Window and stride: given, or the run's training windows (length, half of it). */
export function defaultWindow(db: Db, datasetId: number | null): number | null {
  if (datasetId === null) return null;
  const ds = getDatasetRow(db, datasetId);
  if (!ds) return null;
  const prov = ds.provenance as { params?: { window?: { length?: unknown } }; spec?: { window?: { length?: unknown } } };
  const length = prov.params?.window?.length ?? prov.spec?.window?.length;
  if (typeof length === 'number' && length > 0) return length;
  // A table dataset: the median training sequence length.
  const row = db.prepare(`SELECT length(sequence) AS n FROM dataset_items WHERE dataset_id = ? AND split = 'train' ORDER BY length(sequence) LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM dataset_items WHERE dataset_id = ? AND split = 'train')`).get(datasetId, datasetId) as { n: number } | undefined;
  return row?.n ?? null;
}

/**
 * Tokenises windows sampled evenly over the target: refuses a tokenizer that reads the genome's
 * letters as [UNK] and a window longer than the model reads.
 */
export async function checkTokenizer(reader: FastaReader, chroms: readonly { name: string }[], intervals: readonly ScanInterval[], window: number, model: ProjectModel, genomeName: string, maxTokens: number): Promise<void> {
  const { loadTokenizer } = await import('../engine/tokenizers/index');
  const tokenizer = await loadTokenizer(model.path!);
  const total = totalBases(intervals);
  const samples: string[] = [];
  for (let k = 0; k < SAMPLE_WINDOWS; k++) {
    let at = Math.floor(((k + 0.5) * total) / SAMPLE_WINDOWS);
    const iv = intervals.find((x) => {
      if (at < x.end - x.start) return true;
      at -= x.end - x.start;
      return false;
    });
    if (!iv) continue;
    const start = Math.max(iv.start, Math.min(iv.start + at, iv.end - window));
    const end = Math.min(iv.end, start + window);
    samples.push((await reader.getSequence(chroms[iv.chrom]!.name, start, end)).toUpperCase());
  }
  let enc;
  try {
    enc = await tokenizer.encodeBatch(samples, { padding: 'longest' });
  } catch (e) {
    throw invalid([{ path: 'modelId', message: `The tokenizer of "${model.name}" cannot read genome "${genomeName}": ${(e as Error).message}` }]);
  }
  let real = 0;
  let unknown = 0;
  let longest = 0;
  const unk = tokenizer.specialIds.unk;
  for (let i = 0; i < enc.batch; i++) {
    let len = 0;
    for (let j = 0; j < enc.length; j++) {
      if (!enc.attentionMask[i * enc.length + j]) continue;
      len++;
      const id = enc.ids[i * enc.length + j]!;
      if (id === unk) unknown++;
      if (id !== tokenizer.specialIds.cls && id !== tokenizer.specialIds.sep) real++;
    }
    longest = Math.max(longest, len);
  }
  if (real > 0 && unknown / real > 0.5) {
    const letters = [...new Set(samples.join('').replace(/[ACGT]/g, ''))].slice(0, 10).join('');
    throw invalid([
      {
        path: 'modelId',
        message: `The tokenizer of "${model.name}" (${model.shape.tokenizer.label}) cannot read genome "${genomeName}": ${Math.round((100 * unknown) / real)}% of the tokens of ${samples.length} sampled windows are [UNK]${letters ? ` (letters other than ACGT seen: ${letters})` : ''}`,
      },
    ]);
  }
  if (longest > maxTokens) {
    throw invalid([{ path: 'window', message: `A window of ${window} bp is up to ${longest} tokens for "${model.name}", which reads at most ${maxTokens}: use a shorter window` }]);
  }
}

// ---------------------------------------------------------------- following the job

/** Per app context: mirrors scan jobs' states into their scans (a done scan is marked so by its result's store, with its tracks). */
class ScanFollower {
  constructor(private readonly ctx: AppContext) {
    ctx.bus.on('job.progress', (e: JobProgress) => {
      if (e.kind !== scanKind.kind || !e.project) return;
      try {
        const db = projectDb(ctx, e.project);
        const scan = scanByJob(db, e.jobId);
        if (scan) this.mirror(e.project, db, scan, jobRunner(ctx).get(e.project, e.jobId), e.state);
      } catch (err) {
        ctx.log.warn(`scan of job ${e.jobId}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }

  mirror(project: string, db: Db, scan: ScanRow, job: JobInfo, state: JobState = job.state): void {
    if (state === 'done') return;
    if (scan.state === state || FINAL.includes(scan.state)) return;
    updateScan(db, scan.id, {
      state,
      ...(state === 'running' && { startedAt: now() }),
      endedAt: state === 'failed' || state === 'cancelled' ? now() : null,
      metrics: { error: state === 'failed' ? (job.error ?? job.message) : null, ...(typeof job.metrics.bpDone === 'number' && { bpDone: job.metrics.bpDone }) },
    });
    touchModified(db, this.ctx.appVersion);
    this.ctx.bus.emit('project.changed', { path: project, what: 'scans' });
  }
}

const keepers = new WeakMap<AppContext, ScanFollower>();
function keeper(ctx: AppContext): ScanFollower {
  let k = keepers.get(ctx);
  if (!k) {
    keepers.set(ctx, (k = new ScanFollower(ctx)));
    registerScanStore(ctx);
  }
  return k;
}

/**
 * How a finished scan job's result is stored (main/jobs/results.ts): result.json is read first,
 * then in the job's transaction the bigWigs are copied into the project (track_chunks) with the
 * thresholds it chose, so a scan is either complete in the project or not there. A scan removed
 * meanwhile leaves the job just done.
 */
function registerScanStore(ctx: AppContext): void {
  registerResultStore(ctx, scanKind, {
    prepare(job): ScanResultFile {
      const path = join(job.checkpointDir ?? '', scanKind.files.result);
      try {
        return JSON.parse(readFileSync(path, 'utf8')) as ScanResultFile;
      } catch (e) {
        throw new Error(`the scan finished but left no readable ${path}: ${(e as Error).message}`);
      }
    },
    commit(db, job, result: ScanResultFile) {
      const scan = scanByJob(db, job.id);
      if (!scan) return job.result;
      db.prepare('DELETE FROM tracks WHERE run_id = ?').run(scan.id); // a half-stored earlier attempt cannot exist, but be sure
      for (const t of result.tracks) {
        const fd = openSync(t.path, 'r');
        try {
          insertTrack(
            db,
            { name: `${scan.params.name}: ${scan.params.classes[t.classIndex] ?? t.classIndex}${t.strand === 'combined' ? '' : ` (${t.strand})`}`, scanId: scan.id, genomeId: scan.params.genomeId, classIndex: t.classIndex, strand: t.strand, size: t.bytes, min: t.min, max: t.max, createdAt: now() },
            (offset, length) => {
              const buf = Buffer.alloc(length);
              readSync(fd, buf, 0, length, offset);
              return buf;
            },
          );
        } finally {
          closeSync(fd);
        }
      }
      updateScan(db, scan.id, {
        state: 'done',
        endedAt: now(),
        metrics: { backend: result.backend, runtimeSeconds: result.runtimeSeconds, bpDone: result.bpDone, bpTotal: result.bpTotal, thresholds: result.thresholds, error: null },
      });
      touchModified(db, ctx.appVersion);
      return { ...job.result, scanId: scan.id };
    },
    async stored(job) {
      // The project holds the tracks now; the worker's copies only took space.
      if (job.checkpointDir) await rm(job.checkpointDir, { recursive: true, force: true });
      ctx.bus.emit('project.changed', { path: job.project, what: 'scans' });
    },
  });
}

/** Waits until a scan stops running in this process and its tracks (if any) are stored. For the CLI and tests. */
export async function waitForScan(ctx: AppContext, project: string, scanId: number): Promise<ScanInfo> {
  const real = existingPath(project);
  const db = projectDb(ctx, real);
  const scan = requireScan(db, scanId, real);
  if (scan.jobId) {
    const job = await waitForJob(ctx, real, scan.jobId);
    keeper(ctx).mirror(real, db, getScanRow(db, scanId)!, job);
  }
  return info(ctx, real, db, requireScan(db, scanId, real));
}

// ---------------------------------------------------------------- reading stored tracks

/** A stored track as a file handle for @gmod/bbi: byte ranges come from the chunk table. */
class TrackFilehandle implements GenericFilehandle {
  constructor(
    private readonly db: Db,
    private readonly track: TrackRow,
  ) {}
  async read(length: number, position: number): Promise<Uint8Array<ArrayBuffer>> {
    const b = readTrackBytes(this.db, this.track, position, position + length);
    return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)) as Uint8Array<ArrayBuffer>;
  }
  // @gmod/bbi reads by range only; the whole file (as bytes) is all a caller could ask for here.
  readFile = (() => this.read(this.track.sizeBytes, 0)) as GenericFilehandle['readFile'];
  async stat() {
    return { size: this.track.sizeBytes };
  }
  async close() {}
}

export function requireTrack(db: Db, scan: ScanRow, classIndex: number, strand: TrackStrand, project: string): TrackRow {
  if (!scan.params.classesOfInterest.includes(classIndex)) {
    throw new ApiError({ code: 'not_found', message: `Scan ${scan.id} has no track for class ${classIndex} (it scored ${scan.params.classesOfInterest.map((k) => `${k} = ${scan.params.classes[k]}`).join(', ')})` });
  }
  const t = scanTrack(db, scan.id, classIndex, strand);
  if (!t) {
    if (scan.state !== 'done') throw new ApiError({ code: 'conflict', message: `Scan ${scan.id} is ${scan.state}: its tracks exist once it is done` });
    throw new ApiError({ code: 'not_found', message: `Scan ${scan.id} in ${project} has no ${strand} track for class ${classIndex}${strand !== 'combined' ? ' (per-strand tracks exist for strand "both")' : ''}` });
  }
  return t;
}

/** Every interval of a stored track in genome order, in pieces (bounded memory whatever the genome size). */
function readAll(db: Db, track: TrackRow, chroms: readonly { name: string; length: number }[]): AsyncGenerator<BigWigPiece> {
  return bigWigPieces(new BigWig({ filehandle: new TrackFilehandle(db, track) }), chroms);
}

/** One chromosome of a stored track as whole arrays (for measures that need the chromosome at once); undefined where it has no interval. */
export async function readChrom(db: Db, track: TrackRow, chrom: { name: string; length: number }): Promise<BigWigPiece | undefined> {
  const starts: number[] = [];
  const ends: number[] = [];
  const scores: number[] = [];
  for await (const p of readAll(db, track, [chrom])) {
    for (let i = 0; i < p.starts.length; i++) {
      starts.push(p.starts[i]!);
      ends.push(p.ends[i]!);
      scores.push(p.scores[i]!);
    }
  }
  return starts.length ? { chrom: chrom.name, starts: Int32Array.from(starts), ends: Int32Array.from(ends), scores: Float32Array.from(scores) } : undefined;
}

/** Called regions per (track, threshold, min length): small, and asked for again on every navigation click. */
const regionCache = new Map<string, CalledRegion[]>();
const REGION_CACHE_MAX = 16;

async function calledRegions(db: Db, project: string, scan: ScanRow, classIndex: number, threshold: number): Promise<CalledRegion[]> {
  const track = requireTrack(db, scan, classIndex, 'combined', project);
  const key = `${project}\n${track.id}\n${threshold}\n${scan.params.settings.minRegionLength}`;
  const hit = regionCache.get(key);
  if (hit) return hit;
  const regions: CalledRegion[] = [];
  let caller = null as RegionCaller | null;
  for await (const c of readAll(db, track, genomeSequences(db, scan.params.genomeId))) {
    // One caller per chromosome: a region runs on across the pieces a chromosome is read in.
    if (caller?.chrom !== c.chrom) {
      caller?.finish();
      caller = new RegionCaller(c.chrom, threshold, scan.params.settings.minRegionLength, (r) => regions.push(r));
    }
    for (let i = 0; i < c.starts.length; i++) caller.add(c.starts[i]!, c.ends[i]!, c.scores[i]!);
  }
  caller?.finish();
  if (regionCache.size >= REGION_CACHE_MAX) regionCache.delete(regionCache.keys().next().value!);
  regionCache.set(key, regions);
  return regions;
}

function thresholdOf(scan: ScanRow, classIndex: number): ScanThresholdRecord {
  return scan.metrics.thresholds?.find((t) => t.classIndex === classIndex) ?? { classIndex, threshold: 0.5, source: 'default-0.5', devMcc: null };
}

/** For reports: a class's combined score over the scanned bases, and its called regions at the stored threshold. */
export interface ScanClassSummary {
  classIndex: number;
  /** Scanned bases per score bin: `bases[b]` covers scores [b / bins, (b + 1) / bins), the last bin includes 1. */
  bases: number[];
  /** Scanned bases scoring at or above the stored threshold. */
  basesAbove: number;
  regions: CalledRegion[];
}

export async function scanClassSummary(ctx: AppContext, project: string, scanId: number, classIndex: number, bins = 50): Promise<ScanClassSummary> {
  const real = existingPath(project);
  const db = projectDb(ctx, real);
  const scan = requireScan(db, scanId, real);
  const track = requireTrack(db, scan, classIndex, 'combined', real);
  const threshold = thresholdOf(scan, classIndex).threshold;
  const bases = new Array<number>(bins).fill(0);
  let basesAbove = 0;
  for await (const c of readAll(db, track, genomeSequences(db, scan.params.genomeId))) {
    for (let i = 0; i < c.starts.length; i++) {
      const score = c.scores[i]!;
      const n = c.ends[i]! - c.starts[i]!;
      const b = Math.min(bins - 1, Math.max(0, Math.floor(score * bins)));
      bases[b] = bases[b]! + n;
      if (score >= threshold) basesAbove += n;
    }
  }
  return { classIndex, bases, basesAbove, regions: await calledRegions(db, real, scan, classIndex, threshold) };
}

/** The per-base score intervals of a scan's combined track over [start, end) of one chromosome (a range read). */
export async function scanScoresIn(ctx: AppContext, project: string, scanId: number, classIndex: number, chrom: string, start: number, end: number): Promise<{ starts: Int32Array; ends: Int32Array; scores: Float32Array }> {
  const db = projectDb(ctx, project);
  const track = requireTrack(db, requireScan(db, scanId, project), classIndex, 'combined', project);
  const bw = new BigWig({ filehandle: new TrackFilehandle(db, track) });
  return (await bw.getFeaturesAsArrays(chrom, start, end)) as { starts: Int32Array; ends: Int32Array; scores: Float32Array };
}

// ---------------------------------------------------------------- views

function info(ctx: AppContext, project: string, db: Db, row: ScanRow): ScanInfo {
  let scan = row;
  let job: JobInfo | null = null;
  if (scan.jobId) {
    try {
      job = jobRunner(ctx).get(project, scan.jobId);
    } catch {
      job = null;
    }
    if (job && job.state !== scan.state && !FINAL.includes(scan.state)) {
      keeper(ctx).mirror(project, db, scan, job);
      scan = getScanRow(db, scan.id) ?? scan;
    }
  }
  const p = scan.params;
  const m = scan.metrics;
  const live = scan.state !== 'done' && job ? job.metrics : {};
  const bpTotal = m.bpTotal ?? 0;
  return {
    id: scan.id,
    name: p.name,
    runId: p.runId,
    modelId: scan.modelId,
    modelName: p.modelName,
    genomeId: getGenomeRow(db, p.genomeId) ? p.genomeId : null,
    genomeName: p.genomeName,
    target: p.target as ScanTarget,
    classes: p.classes,
    classesOfInterest: p.classesOfInterest,
    settings: { ...p.settings, workers: p.settings.workers ?? 1 },
    state: scan.state,
    jobId: scan.jobId,
    createdAt: scan.createdAt,
    endedAt: scan.endedAt,
    runtimeSeconds: scan.state === 'done' ? (m.runtimeSeconds ?? null) : null,
    backend: m.backend ?? null,
    bpDone: Math.round(scan.state === 'done' ? bpTotal : (live.bpDone ?? m.bpDone ?? 0)),
    bpTotal,
    bpPerSecond: scan.state === 'done' ? (m.runtimeSeconds ? bpTotal / m.runtimeSeconds : null) : (live.bpPerSecond ?? null),
    etaSeconds: scan.state === 'running' ? (job?.etaSeconds ?? null) : null,
    thresholds: p.classesOfInterest.map((k) => {
      const t = thresholdOf(scan, k);
      return { classIndex: k, className: p.classes[k] ?? String(k), threshold: t.threshold, source: t.source, devMcc: t.devMcc };
    }),
    storedBytes: storedBytes(db, scan.id),
    error: scan.state === 'failed' ? (m.error ?? job?.error ?? null) : null,
  };
}

// ---------------------------------------------------------------- services

export function createScanServices(ctx: AppContext): ScanServices {
  keeper(ctx);
  const open = (project: string) => {
    const real = existingPath(project);
    return { real, db: projectDb(ctx, real) };
  };

  return {
    async 'scans.start'(input) {
      const { real, db } = open(input.project);
      const resolved = await resolveModel(ctx, db, real, input);
      const { model, classes } = resolved;
      const genome = resolveGenome(db, input.genomeId, resolved.datasetId);
      const chroms = genomeSequences(db, genome.id).map((s) => ({ name: s.name, length: s.length }));
      const window = input.window ?? defaultWindow(db, resolved.datasetId);
      if (window === null) throw invalid([{ path: 'window', message: `"${model.name}" has no training run to take the window length from: give the window (bp)` }]);
      const stride = input.stride ?? Math.max(1, Math.floor(window / 2));
      if (stride > window) throw invalid([{ path: 'stride', message: `A stride of ${stride} bp over windows of ${window} bp leaves bases unscored: use a stride of at most ${window}` }]);
      const numLabels = model.shape.numLabels!;
      const binary = numLabels === 2;
      const classesOfInterest = input.classes ?? (binary ? [1] : Array.from({ length: numLabels }, (_, k) => k));
      const bad = classesOfInterest.filter((k) => k >= numLabels);
      if (bad.length) throw invalid([{ path: 'classes', message: `"${model.name}" has ${numLabels} classes (0..${numLabels - 1}); no class ${bad.join(', ')}` }]);
      const maxTokens = model.shape.architecture === 'bert' ? model.shape.maxLength : DNABERT2_LENGTH_LIMIT;
      const intervals = await targetIntervals(input.target, chroms, genome.name);
      if (totalBases(intervals) === 0) throw invalid([{ path: 'target', message: 'Nothing to scan: the target holds no bases' }]);
      // The genome must be the file that was imported (moved or changed: a clear conflict from openGenome).
      const reader = await openGenome(ctx, db, genome, real);
      await checkTokenizer(reader, chroms, intervals, window, model, genome.name, maxTokens);

      // Decided (and stored) here, not in the job: a resumed scan must split its chunks the same way.
      const workers = input.workers ?? defaultScanWorkers(probeBackends(input.backend).chosen, availableParallelism());
      const name = input.name ?? `${model.name} on ${genome.name}${input.target.kind === 'genome' ? '' : input.target.kind === 'bed' ? ' (BED regions)' : ` (${input.target.chrom}${input.target.kind === 'region' ? `:${input.target.start}-${input.target.end}` : ''})`}`;
      const folder = join(ctx.dataDir, 'scans', `${slugify(name)}-${randomUUID().slice(0, 8)}`);
      const params: ScanParams = {
        name,
        runId: resolved.runId,
        modelName: model.name,
        genomeId: genome.id,
        genomeName: genome.name,
        target: input.target,
        classes,
        classesOfInterest,
        settings: { window, stride, strand: input.strand, combine: input.combine, aggregation: AGGREGATION, batchSize: input.batchSize ?? DEFAULT_BATCH, workers, minRegionLength: input.minRegionLength ?? Math.max(1, stride) },
        backendPreference: input.backend,
        folder,
      };
      const scanId = db.transaction(() => {
        const id = insertScan(db, { modelId: model.id, params, metrics: { bpDone: 0, bpTotal: totalBases(intervals) }, createdAt: now() });
        touchModified(db, ctx.appVersion);
        return id;
      })();
      try {
        await mkdir(folder, { recursive: true });
        writeFileAtomic(join(folder, INTERVALS_FILE), JSON.stringify(intervals));
        let devPath: string | null = null;
        if (resolved.datasetId !== null) {
          const dev = db.prepare(`SELECT sequence, COALESCE(label_index, 0) AS k FROM dataset_items WHERE dataset_id = ? AND split = 'dev' AND sequence IS NOT NULL ORDER BY id`).raw(true).all(resolved.datasetId) as [string, number][];
          if (dev.length) {
            devPath = join(folder, DEV_FILE);
            await writeFile(devPath, JSON.stringify(dev));
          }
        }
        const jobParams: ScanJobParams = {
          scanId,
          modelId: model.id,
          modelDir: model.path!,
          genome: { fastaPath: genome.fastaPath, faiPath: genome.faiPath, gziPath: genome.gziPath },
          chroms,
          intervalsPath: join(folder, INTERVALS_FILE),
          window,
          stride,
          strand: input.strand,
          combine: input.combine,
          classes: classesOfInterest,
          numLabels,
          batchSize: params.settings.batchSize,
          maxTokens,
          chunkBp: CHUNK_BP,
          backend: input.backend,
          workers,
          devPath,
        };
        const job = startJob(ctx, real, scanKind, jobParams, { link: (tx, jobId) => updateScan(tx, scanId, { jobId }) });
        ctx.bus.emit('project.changed', { path: real, what: 'scans' });
        return { scanId, jobId: job.id };
      } catch (err) {
        deleteScanRow(db, scanId);
        await rm(folder, { recursive: true, force: true });
        throw err;
      }
    },

    async 'scans.list'({ project }) {
      const { real, db } = open(project);
      jobRunner(ctx).recover(real);
      return listScanRows(db).map((r) => info(ctx, real, db, r));
    },

    async 'scans.get'({ project, scanId }) {
      const { real, db } = open(project);
      return info(ctx, real, db, requireScan(db, scanId, real));
    },

    async 'scans.track'({ project, scanId, classIndex, strand }) {
      const { real, db } = open(project);
      const scan = requireScan(db, scanId, real);
      const track = requireTrack(db, scan, classIndex, strand, real);
      const fileId = ctx.files.registerSource(`${real}#track-${track.id}`, {
        contentType: 'application/octet-stream',
        // Looked up on every request: a removed scan (or a closed project) answers 404, not stale bytes.
        size: () => scanTrack(projectDb(ctx, real), scanId, classIndex, strand)?.sizeBytes,
        read: (start, end) => readTrackBytes(projectDb(ctx, real), track, start, end),
      });
      return { fileId, format: 'bigwig' as const, name: track.name, min: track.params.min, max: track.params.max };
    },

    async 'scans.regions'({ project, scanId, classIndex, threshold, chrom, start, end, limit }) {
      const { real, db } = open(project);
      const scan = requireScan(db, scanId, real);
      const t = threshold ?? thresholdOf(scan, classIndex).threshold;
      let regions: readonly CalledRegion[] = await calledRegions(db, real, scan, classIndex, t);
      if (chrom !== undefined) regions = regions.filter((r) => r.chrom === chrom && (start === undefined || r.end > start) && (end === undefined || r.start < end));
      return { threshold: t, regions: regions.slice(0, limit ?? 10_000), total: regions.length };
    },

    async 'scans.nextRegion'({ project, scanId, classIndex, chrom, position, direction }) {
      const { real, db } = open(project);
      const scan = requireScan(db, scanId, real);
      const order = new Map(genomeSequences(db, scan.params.genomeId).map((s, i) => [s.name, i]));
      const here = order.get(chrom);
      if (here === undefined) throw invalid([{ path: 'chrom', message: `Genome "${scan.params.genomeName}" has no sequence named '${chrom}'` }]);
      const regions = await calledRegions(db, real, scan, classIndex, thresholdOf(scan, classIndex).threshold);
      // Wholly before or after: a region that covers the position is the one in view, not the
      // previous one (the Genome view steps from the middle of the region it shows).
      const before = (r: ScanRegion) => {
        const c = order.get(r.chrom) ?? -1;
        return c < here || (c === here && r.end <= position);
      };
      const after = (r: ScanRegion) => {
        const c = order.get(r.chrom) ?? -1;
        return c > here || (c === here && r.start > position);
      };
      if (direction === 'next') return regions.find(after) ?? null;
      return regions.findLast(before) ?? null;
    },

    async 'scans.setThreshold'({ project, scanId, classIndex, threshold }) {
      const { real, db } = open(project);
      const scan = requireScan(db, scanId, real);
      if (!scan.params.classesOfInterest.includes(classIndex)) throw invalid([{ path: 'classIndex', message: `Scan ${scanId} has no track for class ${classIndex}` }]);
      const current = scan.params.classesOfInterest.map((k) => thresholdOf(scan, k));
      const next = current.map((t) => (t.classIndex === classIndex ? { ...t, threshold, source: 'user' as const } : t));
      db.transaction(() => {
        updateScan(db, scanId, { metrics: { thresholds: next } });
        touchModified(db, ctx.appVersion);
      })();
      ctx.bus.emit('project.changed', { path: real, what: 'scans' });
      return info(ctx, real, db, requireScan(db, scanId, real));
    },

    async 'scans.export'({ project, scanId, classIndex, format, out, strand, threshold }) {
      const { real, db } = open(project);
      const scan = requireScan(db, scanId, real);
      if (format === 'bigwig') {
        const track = requireTrack(db, scan, classIndex, strand, real);
        writeFileAtomic(out, readTrackBytes(db, track, 0, track.sizeBytes));
      } else if (format === 'bedgraph') {
        const track = requireTrack(db, scan, classIndex, strand, real);
        const chroms = genomeSequences(db, scan.params.genomeId);
        await writeLinesAtomic(out, (async function* () {
          yield `track type=bedGraph name="${track.name.replace(/"/g, "'")}"`;
          // One string per piece read (lines joined): the writer awaits once per piece, not per line.
          for await (const c of readAll(db, track, chroms)) {
            const lines: string[] = new Array(c.starts.length);
            for (let i = 0; i < c.starts.length; i++) lines[i] = `${c.chrom}\t${c.starts[i]}\t${c.ends[i]}\t${Math.fround(c.scores[i]!)}`;
            yield lines.join('\n');
          }
        })());
      } else {
        const t = threshold ?? thresholdOf(scan, classIndex).threshold;
        const regions = await calledRegions(db, real, scan, classIndex, t);
        const label = scan.params.classes[classIndex] ?? String(classIndex);
        await writeLinesAtomic(out, (function* () {
          yield `track name="${scan.params.name.replace(/"/g, "'")}: ${label} >= ${t}" useScore=1`;
          // BED score 0..1000 from the region's max score; the mean goes in the name.
          for (const r of regions) yield `${r.chrom}\t${r.start}\t${r.end}\t${label}:mean=${r.meanScore.toFixed(4)}\t${Math.round(Math.min(1, Math.max(0, r.maxScore)) * 1000)}\t.`;
        })());
      }
      return { path: out, bytes: readFileSync(out).length };
    },

    async 'scans.remove'({ project, scanId }) {
      const { real, db } = open(project);
      const scan = requireScan(db, scanId, real);
      let job: JobInfo | null = null;
      if (scan.jobId) {
        try {
          job = jobRunner(ctx).get(real, scan.jobId);
        } catch {
          job = null;
        }
      }
      if (job && !['done', 'failed', 'cancelled', 'paused', 'interrupted'].includes(job.state)) {
        jobRunner(ctx).cancel(real, job.id);
        await waitForJob(ctx, real, job.id);
      } else if (job && ['paused', 'interrupted', 'failed'].includes(job.state)) {
        jobRunner(ctx).cancel(real, job.id); // could otherwise be resumed from the Jobs page
      }
      for (const t of scanTracks(db, scanId)) ctx.files.unregisterSource(`${real}#track-${t.id}`);
      db.transaction(() => {
        deleteScanRow(db, scanId);
        touchModified(db, ctx.appVersion);
      })();
      await rm(scan.params.folder, { recursive: true, force: true });
      if (job?.checkpointDir) await rm(job.checkpointDir, { recursive: true, force: true });
      ctx.bus.emit('project.changed', { path: real, what: 'scans' });
      return { ok: true as const };
    },

    async 'scans.scoreAt'({ project, scanId, chrom, position }) {
      const { real, db } = open(project);
      const scan = requireScan(db, scanId, real);
      const perClass = [];
      for (const k of scan.params.classesOfInterest) {
        const at = async (strand: TrackStrand): Promise<number | null> => {
          const t = scanTrack(db, scanId, k, strand);
          if (!t) return null;
          const f = (await new BigWig({ filehandle: new TrackFilehandle(db, t) }).getFeatures(chrom, position, position + 1)) as { start: number; end: number; score: number }[];
          return f.find((x) => x.start <= position && x.end > position)?.score ?? null;
        };
        perClass.push({ classIndex: k, className: scan.params.classes[k] ?? String(k), forward: await at('forward'), reverse: await at('reverse'), combined: await at('combined') });
      }
      // One strand scanned: its scores are the combined track.
      if (scan.params.settings.strand !== 'both') for (const c of perClass) c[scan.params.settings.strand] = c.combined;
      return { perClass };
    },
  };
}
