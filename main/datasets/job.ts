// The `dataset-build` job kind, run in a job's worker process (main/jobs): reads the region sets
// from the project (read-only) and the windows from the genome, or reads labelled tables, builds
// the train/dev/test dataset with its negatives, and leaves it in the job's folder as JSON lines
// (a header, then one stored item per window). The serving process stores it in one transaction
// (main/api/datasets.ts); the worker never writes the project. Protocol: ./protocol.ts.
import { access } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { countOf } from '../../shared/contract/data';
import { ApiError } from '../../shared/contract/errors';
import { writeJsonLines } from '../jobs/files';
import { registerJobKind } from '../jobs/registry';
import { notFound, tooManyProblems } from '../genome/api-errors';
import { datasetBuildKind, datasetVersionKind, type DatasetBuildHeader, type DatasetBuildParams, type DatasetVersionParams, type Spec, type StoredSummary, type StoredVersion } from './protocol';
import { FastaReader, sha256File, verifyGenome } from '../genome/fasta/index';
import { InputError } from '../genome/errors';
import { fractionReporter, indexIntoCache, readProject, recordingFailure, recordOf } from '../genome/job';
import { readLabelledSequences } from '../genome/table';
import type { LabelledReadResult } from '../genome/table';
import { getDatasetRow, getGenomeRow, getRegionSetRow, regionsOf, type DatasetItemRow, type GenomeRow } from '../store/data-repo';
import { buildDataset } from './build';
import { Rng } from './prng';
import { sequenceStats } from './sequence';
import { SPLITS, parseBuildParams } from './spec';
import type { BuildParamsInput, SplitName } from './spec';
import { storedWindows } from './stored';
import { summariseSplit } from './summary';
import type { BuiltDataset, DatasetWindow, RegionSet as BuilderRegionSet, SequenceSource } from './types';
import { buildVersion } from './version';
import { formatBp } from '../../shared/bp';
import { formatPosition } from '../../shared/locus';

export type { DatasetBuildHeader, DatasetBuildParams, DatasetVersionParams, Spec, StoredSummary, StoredVersion };
type RegionsSpec = Extract<Spec, { source: 'regions' }>;
type TablesSpec = Extract<Spec, { source: 'tables' }>;
type TableSpec = Extract<Spec, { source: 'table' }>;

/** What a build hands to the store: the builder's output plus what the summary needs. */
interface Built {
  ds: BuiltDataset;
  source: Spec['source'];
  genomeId: number | null;
  regionSetId: number | null;
  warnings: string[];
  spec: unknown;
  reindexed?: DatasetBuildHeader['reindexed'];
}

type Progress = (fraction: number, message: string) => void;

// ---------- from regions ----------

/** The contract's spec -> the builder's parameters (which fill the remaining defaults). */
export function buildParamsOf(spec: RegionsSpec): BuildParamsInput {
  const n = spec.negatives;
  return {
    ...(spec.seed !== undefined && { seed: spec.seed }),
    window: spec.window,
    ...(spec.labels && { labels: spec.labels }),
    ...(spec.orientByStrand !== undefined && { orientByStrand: spec.orientByStrand }),
    ...(n && { negatives: { strategy: n.strategy, ...(n.ratio !== undefined && { ratio: n.ratio }), ...(n.margin !== undefined && { margin: n.margin }), ...(n.label !== undefined && { label: n.label }) } }),
    ...(spec.maxNFraction !== undefined && { filters: { maxNFraction: spec.maxNFraction } }),
    split: spec.split,
    ...(spec.overlapGuard && { overlapGuard: { action: spec.overlapGuard.action, margin: spec.overlapGuard.margin ?? 0 } }),
    ...(spec.rcAugment !== undefined && { augment: { reverseComplement: spec.rcAugment, splits: ['train'] } }),
  } as BuildParamsInput;
}

const PHASE_SPAN: Record<string, [number, number]> = { positives: [0.05, 0.4], negatives: [0.4, 0.9], guard: [0.9, 0.93], augment: [0.93, 0.96], done: [0.96, 0.96] };

/**
 * A reader for the genome: refuses a moved or changed file (the user relocates it first), and
 * rebuilds a missing or stale index into the cache (e.g. a project copied from another machine).
 */
async function openGenomeForBuild(row: GenomeRow, cacheRoot: string, stagingDir: string, signal: AbortSignal): Promise<{ reader: FastaReader; reindexed?: Built['reindexed'] }> {
  const v = await verifyGenome(recordOf(row), { signal });
  if (v.status !== 'ok') {
    throw new ApiError({ code: 'conflict', message: `Genome "${row.name}" cannot be read: ${v.detail}. Relocate it (genomes.relocate / loci import genome --relocate) or import it again.`, file: row.path });
  }
  try {
    return { reader: await FastaReader.openRecord(recordOf(row)) };
  } catch (err) {
    if (!(err instanceof InputError) || (err.code !== 'bad-index' && err.code !== 'not-found')) throw err;
  }
  const rec = await indexIntoCache(cacheRoot, row.path, { signal, stagingDir });
  if (rec.sha256 !== row.checksum) throw new ApiError({ code: 'conflict', message: `Genome "${row.name}" changed since it was imported (${row.path}); import it again`, file: row.path });
  return { reader: await FastaReader.openRecord(rec), reindexed: { genomeId: row.id, fastaPath: rec.fastaPath, faiPath: rec.faiPath, gziPath: rec.gziPath ?? null, mtimeMs: rec.mtimeMs } };
}

async function buildFromRegions(params: DatasetBuildParams, spec: RegionsSpec, stagingDir: string, signal: AbortSignal, progress: Progress): Promise<Built> {
  const { project } = params;
  progress(0.01, 'reading the region sets');
  const { genome, sets } = readProject(project, (db) => {
    const genome = getGenomeRow(db, spec.genomeId);
    if (!genome) throw notFound('genome', spec.genomeId, project);
    const sets: BuilderRegionSet[] = [];
    for (const [i, ref] of spec.regionSets.entries()) {
      const row = getRegionSetRow(db, ref.id);
      if (!row) throw notFound('region set', ref.id, project);
      if (row.genomeId !== genome.id) {
        const message = `Region set "${row.name}" (id ${row.id}) belongs to another genome (id ${row.genomeId ?? 'none'}), not to "${genome.name}"`;
        throw new ApiError({ code: 'invalid_input', message, issues: [{ path: `spec.regionSets.${i}.id`, message }] });
      }
      sets.push({ label: ref.label ?? row.name, regions: regionsOf(db, row.id), file: row.sourcePath, sha256: row.checksum });
    }
    return { genome, sets };
  });
  const { reader, reindexed } = await openGenomeForBuild(genome, params.cacheRoot, stagingDir, signal);
  const source: SequenceSource = {
    sequences: reader.entries.map((e) => ({ name: e.name, length: e.length })),
    getSequence: (name, start, end, o) => reader.getSequence(name, start, end, o),
  };
  let ds: BuiltDataset;
  try {
    ds = await buildDataset(buildParamsOf(spec), source, sets, {
      signal,
      genomeSha256: genome.checksum,
      genomeFile: genome.path,
      onProgress: (b) => {
        const [lo, hi] = PHASE_SPAN[b.phase] ?? [0, 1];
        progress(lo + (hi - lo) * (b.total ? b.done / b.total : 0), `${b.phase}: ${b.done.toLocaleString('en-US')} of ${b.total.toLocaleString('en-US')}`);
      },
    });
  } catch (err) {
    // The builder's own checks (parameters, split chromosomes, a single class) are the user's to fix.
    if (err instanceof Error && !(err instanceof InputError) && err.name !== 'AbortError' && !(err instanceof RangeError) && !signal.aborted) {
      throw new ApiError({ code: 'invalid_input', message: `Dataset not built: ${err.message}`, issues: [{ path: 'spec', message: err.message }] });
    }
    throw err;
  }
  return { ds, source: 'regions', genomeId: genome.id, regionSetId: spec.regionSets[0]?.id ?? null, warnings: regionWarnings(ds), spec, ...(reindexed && { reindexed }) };
}

/** "a; b; c" of counted reasons, e.g. "2 duplicate windows; 1 window crosses a sequence end". */
function reasons(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, v]) => countOf(v, k))
    .join('; ');
}

export function regionWarnings(ds: BuiltDataset): string[] {
  const w: string[] = [];
  const n = ds.summary.negatives;
  if (n.strategy !== 'none' && n.made < n.wanted) {
    // Said with what it does to the classes (E. coli's genes cover most of its genome: 588 of 4,494).
    const perNegative = n.made > 0 ? n.wanted / n.ratio / n.made : Infinity;
    const skew = perNegative >= 2 && Number.isFinite(perNegative) ? `; the classes are now about ${Math.round(perNegative)} to 1, so use balanced class weights when training` : '';
    w.push(`Only ${formatPosition(n.made)} of ${formatPosition(n.wanted)} negatives were found: the genome has too few windows ${formatBp(n.margin)} or more from every labelled region. Try a smaller margin or ratio${skew}`);
  }
  if (n.gc && n.gc.ksDistance > 0.1) w.push(`The GC content of negatives differs from the positives (KS distance ${n.gc.ksDistance.toFixed(3)}): a model may learn GC instead of the signal`);
  if (n.gc && n.gc.filledFromNearestBin > 0) w.push(`${countOf(n.gc.filledFromNearestBin, 'negative')} came from a neighbouring GC bin`);
  if (Object.keys(ds.summary.dropped).length) w.push(`Windows left out: ${reasons(ds.summary.dropped)}`);
  const moved = Object.entries(ds.summary.moved);
  // Keys are "dev->train": the split a window came from and the one it went to.
  if (moved.length) w.push(`Windows moved between splits by the overlap guard: ${moved.map(([k, v]) => `${v} ${k.replace('->', ' → ')}`).join('; ')}`);
  return w.concat(balanceWarnings(ds));
}

function balanceWarnings(ds: BuiltDataset): string[] {
  const w: string[] = [];
  for (const s of SPLITS) {
    const sp = ds.summary.splits[s];
    if (sp.sequences === 0) {
      w.push(`The ${s} split is empty`);
      continue;
    }
    for (const c of ds.classes) if ((sp.classCounts[c] ?? 0) === 0) w.push(`The ${s} split has no "${c}" examples`);
  }
  return w;
}

// ---------- from tables ----------

const TABLE_EXTENSIONS = ['.csv', '.tsv', '.fa', '.fasta'];
const exists = (p: string) => access(p).then(() => true, () => false);

/** train/dev/test files of a GUE-style folder (dev may be named valid/val/validation). */
async function splitFiles(dir: string): Promise<Partial<Record<SplitName, string>>> {
  const files: Partial<Record<SplitName, string>> = {};
  for (const split of SPLITS) {
    const names = split === 'dev' ? ['dev', 'valid', 'val', 'validation'] : [split];
    outer: for (const n of names) {
      for (const ext of TABLE_EXTENSIONS) {
        if (await exists(join(dir, n + ext))) {
          files[split] = join(dir, n + ext);
          break outer;
        }
      }
    }
  }
  return files;
}

/**
 * Reads labelled tables, refusing the lot when any line is bad (listing the first problems).
 * Written here rather than with readSplitFolder (main/datasets) because that one stops at the
 * first problem and takes the union of labels: a label only seen in dev or test is an error here.
 */
async function readTables(files: Array<[SplitName, string]>, classes: readonly string[] | undefined, signal: AbortSignal, progress: Progress): Promise<{ reads: Array<[SplitName, LabelledReadResult]>; classes: string[] }> {
  const reads: Array<[SplitName, LabelledReadResult]> = [];
  let known = classes ? [...classes] : undefined;
  for (const [i, [split, file]] of files.entries()) {
    progress(0.05 + (0.8 * i) / files.length, `reading ${basename(file)}`);
    const r = await readLabelledSequences(file, { ...(known && { classes: known }), signal });
    if (r.errorCount > 0) throw tooManyProblems(r.file, `Not imported: ${r.errorCount} line${r.errorCount === 1 ? '' : 's'} of ${basename(r.file)} ha${r.errorCount === 1 ? 's' : 've'} problems`, r.errors, r.errorCount);
    known ??= r.classes;
    reads.push([split, r]);
  }
  return { reads, classes: known ?? [] };
}

function tableWindows(reads: Array<[SplitName, LabelledReadResult]>, classes: string[], splitOf?: (i: number) => SplitName): DatasetWindow[] {
  const index = new Map(classes.map((c, i) => [c, i]));
  const windows: DatasetWindow[] = [];
  const count: Record<SplitName, number> = { train: 0, dev: 0, test: 0 };
  for (const [split, r] of reads) {
    r.records.forEach((rec, i) => {
      const s = splitOf ? splitOf(i) : split;
      const sequence = rec.sequence.toUpperCase();
      windows.push({ id: `${s}-${++count[s]}`, split: s, label: rec.label, labelIndex: index.get(rec.label)!, chrom: '', start: 0, end: sequence.length, strand: '+', origin: 'imported', augmented: false, sequence, gc: sequenceStats(sequence).gc, source: `${basename(r.file)}:${rec.line}` });
    });
  }
  const rank: Record<SplitName, number> = { train: 0, dev: 1, test: 2 };
  return windows.sort((a, b) => rank[a.split] - rank[b.split]);
}

async function tableDataset(windows: DatasetWindow[], classes: string[], reads: Array<[SplitName, LabelledReadResult]>, split: string, params: unknown, seed: number): Promise<BuiltDataset> {
  const splits = Object.fromEntries(SPLITS.map((s) => [s, summariseSplit(windows.filter((w) => w.split === s), classes)])) as BuiltDataset['summary']['splits'];
  const bySplit = Object.fromEntries(SPLITS.map((s) => [s, splits[s].sequences])) as Record<SplitName, number>;
  const inputs = [];
  for (const [s, r] of reads) inputs.push({ label: s, file: r.file, sha256: await sha256File(r.file), regions: r.records.length });
  return {
    classes,
    windows,
    summary: { classes, splits, total: windows.length, split, negatives: { strategy: 'none', ratio: 0, margin: 0, wanted: 0, made: 0 }, dropped: {}, moved: {} },
    provenance: { builder: { name: 'loci-dataset-builder', version: 'tables' }, seed, params, genome: { sequences: 0, length: 0 }, inputs, counts: { windows: windows.length, bySplit } },
  };
}

function tableWarnings(ds: BuiltDataset, classes: string[]): string[] {
  const warnings = balanceWarnings(ds);
  if (classes.length < 2) warnings.unshift(`Only one class (${classes.join('')}): a classifier needs at least two`);
  return warnings;
}

async function buildFromTables(spec: TablesSpec, signal: AbortSignal, progress: Progress): Promise<Built> {
  let files: Partial<Record<SplitName, string>>;
  if (spec.dir !== undefined) {
    const dir = resolve(spec.dir);
    files = await splitFiles(dir);
    if (!files.train) throw new ApiError({ code: 'bad_file', message: `${dir}: no train.csv (or .tsv/.fa) in this folder; a GUE task folder holds train.csv, dev.csv and test.csv`, file: dir });
  } else {
    files = { train: resolve(spec.train!), ...(spec.dev && { dev: resolve(spec.dev) }), ...(spec.test && { test: resolve(spec.test) }) };
  }
  const list = SPLITS.filter((s) => files[s]).map((s) => [s, files[s]!] as [SplitName, string]);
  const { reads, classes } = await readTables(list, spec.classes, signal, progress);
  const windows = tableWindows(reads, classes);
  const ds = await tableDataset(windows, classes, reads, `given by the files (${list.map(([, f]) => basename(f)).join(', ')})`, spec, 0);
  return { ds, source: 'tables', genomeId: null, regionSetId: null, warnings: tableWarnings(ds, classes), spec };
}

async function buildFromTable(spec: TableSpec, signal: AbortSignal, progress: Progress): Promise<Built> {
  const file = resolve(spec.path);
  const f = spec.fractions ?? { train: 0.8, dev: 0.1, test: 0.1 };
  const seed = spec.seed ?? 42;
  const { reads, classes } = await readTables([['train', file]], spec.classes, signal, progress);
  const n = reads[0]![1].records.length;
  // Exact counts (not one coin per record): shuffle the order, then cut by the fractions.
  const order = Rng.forPurpose(seed, 'table-split').shuffle(Array.from({ length: n }, (_, i) => i));
  const nTrain = Math.round(f.train * n);
  const nDev = Math.round(f.dev * n);
  const splitOf = new Array<SplitName>(n);
  order.forEach((rec, k) => (splitOf[rec] = k < nTrain ? 'train' : k < nTrain + nDev ? 'dev' : 'test'));
  const windows = tableWindows(reads, classes, (i) => splitOf[i]!);
  const ds = await tableDataset(windows, classes, reads, `random (${f.train}/${f.dev}/${f.test}, seed ${seed})`, spec, seed);
  return { ds, source: 'table', genomeId: null, regionSetId: null, warnings: tableWarnings(ds, classes), spec };
}

// ---------- what is stored ----------

function* itemsOf(ds: BuiltDataset): Generator<DatasetItemRow> {
  for (const w of ds.windows) {
    const located = w.origin !== 'imported';
    yield {
      split: w.split,
      label: w.label,
      labelIndex: w.labelIndex,
      chrom: located ? w.chrom : null,
      start: located ? w.start : null,
      end: located ? w.end : null,
      strand: located ? w.strand : null,
      sequence: w.sequence,
      origin: w.origin,
      augmented: w.augmented,
      gc: w.gc,
    };
  }
}

function storedSummary(b: Built): StoredSummary {
  const s = b.ds.summary;
  const n = s.negatives;
  return {
    source: b.source,
    classes: b.ds.classes,
    total: s.total,
    splits: s.splits,
    split: s.split,
    ...(b.source === 'regions' && {
      negatives: { strategy: n.strategy, ratio: n.ratio, margin: n.margin, wanted: n.wanted, made: n.made, ...(n.gc && { ksDistance: n.gc.ksDistance, shortfall: n.gc.shortfall }) },
    }),
    dropped: s.dropped,
    warnings: b.warnings,
  };
}

registerJobKind(datasetBuildKind, (job) =>
  recordingFailure(job, async () => {
    const { spec } = job.params;
    const progress = fractionReporter(job);
    const staging = join(job.checkpointDir, 'staging');
    const built =
      spec.source === 'regions'
        ? await buildFromRegions(job.params, spec, staging, job.signal, progress)
        : spec.source === 'tables'
          ? await buildFromTables(spec, job.signal, progress)
          : await buildFromTable(spec, job.signal, progress);
    job.signal.throwIfAborted();
    progress(0.97, `${built.ds.windows.length.toLocaleString('en-US')} sequences built; saving into the project`);
    const header: DatasetBuildHeader = {
      genomeId: built.genomeId,
      regionSetId: built.regionSetId,
      classes: built.ds.classes,
      provenance: { ...(built.ds.provenance as unknown as Record<string, unknown>), spec: built.spec },
      split: { description: built.ds.summary.split, ...(spec.source === 'regions' ? { spec: spec.split } : {}) },
      summary: storedSummary(built),
      ...(built.reindexed && { reindexed: built.reindexed }),
    };
    await writeJsonLines(join(job.checkpointDir, datasetBuildKind.files.result), header, itemsOf(built.ds), job.signal);
    return { total: built.ds.windows.length };
  }),
);

// ---------- versions from annotations ----------

/** "12 annotations: +30 train, +4 dev windows; 7 relabelled (train 7); test unchanged; left out: ..." */
export function describeVersion(c: StoredVersion['changes']): string {
  const per = (r: Record<SplitName, number>) => SPLITS.filter((s) => r[s] > 0).map((s) => `${s} ${r[s]}`).join(', ') || 'none';
  const parts = [`${countOf(c.annotationsUsed, 'annotation')} used`, `windows added: ${per(c.added)}`, `relabelled: ${per(c.relabelled)}`];
  parts.push(c.includeTest ? 'annotations also in test' : 'test set unchanged');
  const out = Object.entries(c.leftOut);
  if (out.length) parts.push(`left out: ${reasons(c.leftOut)}`);
  if (c.conflicting) parts.push(`${countOf(c.conflicting, 'conflicting annotation')} not used`);
  const unknown = Object.entries(c.unknownClasses);
  if (unknown.length) parts.push(`not in the dataset's classes: ${unknown.map(([k, v]) => `${k} (${v})`).join(', ')}`);
  return parts.join('; ');
}

registerJobKind(datasetVersionKind, (job) =>
  recordingFailure(job, async () => {
    const p = job.params;
    const progress = fractionReporter(job);
    progress(0.01, 'reading the parent dataset');
    const { parent, genome, items } = readProject(p.project, (db) => {
      const parent = getDatasetRow(db, p.parentId);
      if (!parent) throw notFound('dataset', p.parentId, p.project);
      const genome = parent.genomeId !== null ? getGenomeRow(db, parent.genomeId) : undefined;
      if (!genome) throw new ApiError({ code: 'conflict', message: `Dataset "${parent.name}" has no genome in the project (it was built from tables, or its genome was removed): annotation windows need one` });
      return { parent, genome, items: storedWindows(db, parent.id) };
    });
    const params = parseBuildParams(parent.provenance.params, `dataset "${parent.name}" build parameters`);
    const { reader, reindexed } = await openGenomeForBuild(genome, p.cacheRoot, join(job.checkpointDir, 'staging'), job.signal);
    const source: SequenceSource = { sequences: reader.entries.map((e) => ({ name: e.name, length: e.length })), getSequence: (name, start, end, o) => reader.getSequence(name, start, end, o) };
    const v = await buildVersion({ params, classes: parent.classes, windows: items, annotations: p.annotations, includeTest: p.includeTest }, source, {
      signal: job.signal,
      onProgress: (done, total) => progress(0.1 + (0.8 * done) / Math.max(1, total), `annotation windows: ${done} of ${total}`),
    });
    job.signal.throwIfAborted();
    const added = SPLITS.reduce((a, s) => a + v.changes.added[s], 0);
    const relabelled = SPLITS.reduce((a, s) => a + v.changes.relabelled[s], 0);
    if (added + relabelled === 0) {
      throw new ApiError({ code: 'invalid_input', message: `The annotations change nothing in "${parent.name}": ${describeVersion({ ...v.changes, ...p.skipped })}` });
    }
    const changes = { ...v.changes, ...p.skipped };
    const version: StoredVersion = { parentId: parent.id, parentName: parent.name, changes, description: describeVersion(changes) };
    const parentSummary = parent.summary as unknown as StoredSummary;
    const ds: BuiltDataset = { classes: parent.classes, windows: v.windows, summary: { classes: parent.classes, splits: v.splits, total: v.windows.length, split: parentSummary.split, negatives: { strategy: 'none', ratio: 0, margin: 0, wanted: 0, made: 0 }, dropped: {}, moved: {} }, provenance: parent.provenance as unknown as BuiltDataset['provenance'] };
    const header: DatasetBuildHeader = {
      genomeId: genome.id,
      regionSetId: parent.regionSetId,
      classes: parent.classes,
      provenance: { ...parent.provenance, version },
      split: parent.split,
      summary: { ...parentSummary, total: v.windows.length, splits: v.splits, warnings: balanceWarnings(ds) },
      ...(reindexed && { reindexed }),
    };
    progress(0.95, `${v.windows.length.toLocaleString('en-US')} sequences; saving into the project`);
    await writeJsonLines(join(job.checkpointDir, datasetVersionKind.files.result), header, itemsOf(ds), job.signal);
    return { total: v.windows.length };
  }),
);
