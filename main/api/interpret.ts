// interpret.*: in-silico mutagenesis and variant effects (see shared/contract/interpret.ts). Each is
// a `runs` row of kind 'ism' or 'variants' plus one job (main/interpret/job.ts).
//
// - interpret.ism / interpret.variants check everything that can be known wrong first (a classifier
//   whose tokenizer reads the genome, the window, the region or class; every VCF line against the
//   genome, with its line number), then record the run and start the job. A failed check stores
//   nothing.
// - The job's state is mirrored into the run as scans do (job.progress); its result files are
//   stored in the project (ism_tables / variant_effects) by the job-result mechanism
//   (main/jobs/results.ts), in the transaction that marks the job done: once, whoever started or
//   resumed it.
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../shared/contract/errors';
import type { JobProgress } from '../../shared/contract/events';
import type { InterpretInfo, VariantEffectRow } from '../../shared/contract/interpret';
import type { JobInfo, JobState } from '../../shared/contract/jobs';
import { writeLinesAtomic } from '../datasets/export';
import { ismBedGraphLines, ismCsvLines, variantBedGraphLines, variantTsvLines, variantVcfLines, type VariantExportRow } from '../interpret/export';
import { ismImportance } from '../interpret/ism';
import { ismKind, variantsKind, VARIANTS_FILE, type IsmJobParams, type IsmResultFile, type VariantsJobParams, type VariantsResultFile } from '../interpret/protocol';
import { combineStrands, log2FoldChange, LOG2FC_EPSILON, STRAND_COMBINE } from '../interpret/score';
import { parseTypedVariants, readVcf, type VariantList } from '../interpret/vcf';
import { jobRunner, registerResultStore, startJob, waitForJob, type FinishedJob } from '../jobs/index';
import { writeFileAtomic } from '../node/atomic';
import { genomeSequences, getGenomeRow } from '../store/data-repo';
import {
  allVariantEffects,
  countVariantEffects,
  deleteInterpretation,
  getInterpretation,
  getIsmTable,
  insertInterpretation,
  interpretationByJob,
  listInterpretations,
  putIsmTable,
  putVariantEffects,
  updateInterpretation,
  variantEffectsPage,
  type InterpretKind,
  type InterpretParams,
  type InterpretRow,
  type SkippedRecord,
  type VariantEffectRow as StoredVariant,
} from '../store/interpret-repo';
import { touchModified } from '../store/meta';
import type { Db } from '../store/project-file';
import type { AppContext } from './context';
import { tooManyProblems } from './data-support';
import type { Services } from './dispatch';
import { openGenome } from './genomes';
import { existingPath, projectDb, slugify } from './projects';
import { checkTokenizer, defaultWindow, DNABERT2_LENGTH_LIMIT, invalid, resolveGenome, resolveModel } from './scans';
import { formatBp } from '../../shared/bp';

type InterpretServices = Pick<Services, Extract<keyof Services, `interpret.${string}`>>;

const DEFAULT_BATCH = 64;
const SKIPPED_KEPT = 1000;
const FINAL: readonly string[] = ['done', 'cancelled'];
const METHOD = `Strands: ${STRAND_COMBINE}. Effect: alt - ref probability, and log2((alt + ${LOG2FC_EPSILON}) / (ref + ${LOG2FC_EPSILON})). ISM importance: reference minus the mean of the three alternatives.`;

const now = () => new Date().toISOString();

function requireRun(db: Db, id: number, project: string, kind?: InterpretKind): InterpretRow {
  const row = getInterpretation(db, id);
  if (!row || (kind && row.kind !== kind)) throw new ApiError({ code: 'not_found', message: `No ${kind === 'ism' ? 'ISM run' : kind === 'variants' ? 'variant-effect run' : 'ISM or variant-effect run'} ${id} in ${project}` });
  return row;
}

function requireDone(row: InterpretRow): void {
  if (row.state !== 'done') throw new ApiError({ code: 'conflict', message: `Run ${row.id} is ${row.state}: its results exist once it is done` });
}

// ---------------------------------------------------------------- following the job

/** Per app context: mirrors ism/variants jobs' states into their runs (a done run is marked so by its result's store). */
class InterpretFollower {
  constructor(private readonly ctx: AppContext) {
    ctx.bus.on('job.progress', (e: JobProgress) => {
      if ((e.kind !== ismKind.kind && e.kind !== variantsKind.kind) || !e.project) return;
      try {
        const db = projectDb(ctx, e.project);
        const row = interpretationByJob(db, e.jobId);
        if (row) this.mirror(e.project, db, row, jobRunner(ctx).get(e.project, e.jobId), e.state);
      } catch (err) {
        ctx.log.warn(`interpretation of job ${e.jobId}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }

  mirror(project: string, db: Db, row: InterpretRow, job: JobInfo, state: JobState = job.state): void {
    if (state === 'done') return;
    if (row.state === state || FINAL.includes(row.state)) return;
    updateInterpretation(db, row.id, {
      state,
      ...(state === 'running' && { startedAt: now() }),
      endedAt: state === 'failed' || state === 'cancelled' ? now() : null,
      metrics: { error: state === 'failed' ? (job.error ?? job.message) : null, ...(typeof job.metrics.done === 'number' && { done: job.metrics.done }) },
    });
    touchModified(db, this.ctx.appVersion);
    this.ctx.bus.emit('project.changed', { path: project, what: 'interpretations' });
  }
}

const keepers = new WeakMap<AppContext, InterpretFollower>();
function keeper(ctx: AppContext): InterpretFollower {
  let k = keepers.get(ctx);
  if (!k) {
    keepers.set(ctx, (k = new InterpretFollower(ctx)));
    registerInterpretStores(ctx);
  }
  return k;
}

function readResultFile<T>(job: FinishedJob, name: string): T {
  const path = join(job.checkpointDir ?? '', name);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new Error(`the job finished but left no readable ${path}: ${(e as Error).message}`);
  }
}

/**
 * How finished ism and variants jobs are stored (main/jobs/results.ts): the worker's files are read
 * and checked first, then in the job's transaction the ISM table or the variant effects go into
 * the project with the run's final figures. A run removed meanwhile leaves the job just done.
 */
function registerInterpretStores(ctx: AppContext): void {
  const stored = async (job: JobInfo) => {
    // The project holds the result now; the worker's files only took space.
    if (job.checkpointDir) await rm(job.checkpointDir, { recursive: true, force: true });
    ctx.bus.emit('project.changed', { path: job.project, what: 'interpretations' });
  };

  registerResultStore(ctx, ismKind, {
    prepare(job) {
      const result = readResultFile<IsmResultFile>(job, ismKind.files.result);
      const { start, end } = job.params.region;
      const L = end - start;
      const path = join(job.checkpointDir ?? '', ismKind.files.data);
      const data = new Float32Array(new Uint8Array(readFileSync(path)).buffer);
      if (data.length !== 10 * L) throw new Error(`${path} holds ${data.length} values, ${10 * L} expected`);
      return { result, data };
    },
    commit(db, job, { result, data }) {
      const row = interpretationByJob(db, job.id);
      if (!row) return job.result;
      const r = job.params.region;
      const L = r.end - r.start;
      putIsmTable(db, row.id, { ...r, refBases: result.refBases, refForward: data.subarray(0, L), refReverse: data.subarray(L, 2 * L), deltaForward: data.subarray(2 * L, 6 * L), deltaReverse: data.subarray(6 * L, 10 * L) });
      updateInterpretation(db, row.id, { state: 'done', endedAt: now(), metrics: { backend: result.backend, runtimeSeconds: result.runtimeSeconds, sequences: result.sequences, done: L, error: null } });
      touchModified(db, ctx.appVersion);
      return { ...job.result, interpretationId: row.id };
    },
    stored,
  });

  registerResultStore(ctx, variantsKind, {
    prepare(job) {
      const result = readResultFile<VariantsResultFile>(job, variantsKind.files.result);
      const variants = JSON.parse(readFileSync(job.params.variantsPath, 'utf8')) as VariantList['variants'];
      if (variants.length !== result.scores.length) throw new Error(`${result.scores.length} scores for ${variants.length} variants`);
      return { result, variants };
    },
    commit(db, job, { result, variants }) {
      const row = interpretationByJob(db, job.id);
      if (!row) return job.result;
      db.prepare('DELETE FROM variant_effects WHERE run_id = ?').run(row.id);
      putVariantEffects(
        db,
        row.id,
        variants.map((v, idx) => {
          const [rf, rr, af, ar] = result.scores[idx]!;
          const refP = combineStrands(rf, rr);
          const altP = combineStrands(af, ar);
          return { idx, line: v.line, chrom: v.chrom, pos: v.pos, vid: v.id, ref: v.ref, alt: v.alt, qual: v.qual, filter: v.filter, info: v.info, refFw: rf, refRc: rr, altFw: af, altRc: ar, diff: altP - refP, log2fc: log2FoldChange(altP, refP) };
        }),
      );
      updateInterpretation(db, row.id, { state: 'done', endedAt: now(), metrics: { backend: result.backend, runtimeSeconds: result.runtimeSeconds, sequences: result.sequences, done: variants.length, error: null } });
      touchModified(db, ctx.appVersion);
      return { ...job.result, interpretationId: row.id };
    },
    stored,
  });
}

/** Waits until a run stops running in this process and its results (if any) are stored. For the CLI and tests. */
export async function waitForInterpretation(ctx: AppContext, project: string, id: number): Promise<InterpretInfo> {
  const real = existingPath(project);
  const db = projectDb(ctx, real);
  const row = requireRun(db, id, real);
  if (row.jobId) {
    const job = await waitForJob(ctx, real, row.jobId);
    keeper(ctx).mirror(real, db, getInterpretation(db, id)!, job);
  }
  return info(ctx, real, db, requireRun(db, id, real));
}

// ---------------------------------------------------------------- views

function info(ctx: AppContext, project: string, db: Db, row0: InterpretRow): InterpretInfo {
  let row = row0;
  let job: JobInfo | null = null;
  if (row.jobId) {
    try {
      job = jobRunner(ctx).get(project, row.jobId);
    } catch {
      job = null;
    }
    if (job && job.state !== row.state && !FINAL.includes(row.state)) {
      keeper(ctx).mirror(project, db, row, job);
      row = getInterpretation(db, row.id) ?? row;
    }
  }
  const p = row.params;
  const m = row.metrics;
  const live = row.state !== 'done' && job ? job.metrics : {};
  return {
    id: row.id,
    kind: row.kind,
    name: p.name,
    state: row.state,
    jobId: row.jobId,
    runId: p.runId,
    modelId: row.modelId,
    modelName: p.modelName,
    genomeId: getGenomeRow(db, p.genomeId) ? p.genomeId : null,
    genomeName: p.genomeName,
    classIndex: p.classIndex,
    className: p.className,
    window: p.window,
    region: p.region ?? null,
    vcfPath: p.vcfPath ?? null,
    total: m.total ?? 0,
    done: Math.round(row.state === 'done' ? (m.total ?? 0) : (live.done ?? m.done ?? 0)),
    sequences: Math.round(row.state === 'done' ? (m.sequences ?? 0) : (live.sequences ?? 0)),
    skipped: m.skipped ?? [],
    runtimeSeconds: row.state === 'done' ? (m.runtimeSeconds ?? null) : null,
    backend: m.backend ?? null,
    etaSeconds: row.state === 'running' ? (job?.etaSeconds ?? null) : null,
    createdAt: row.createdAt,
    endedAt: row.endedAt,
    error: row.state === 'failed' ? (m.error ?? job?.error ?? null) : null,
    method: METHOD,
  };
}

const nullable = (a: ArrayLike<number>) => Array.from(a, (x) => (Number.isNaN(x) ? null : x));

function ismView(db: Db, row: InterpretRow) {
  const t = getIsmTable(db, row.id);
  if (!t) throw new ApiError({ code: 'not_found', message: `Run ${row.id} has no stored ISM table` });
  const deltaCombined = new Float64Array(t.deltaForward.length);
  for (let i = 0; i < deltaCombined.length; i++) deltaCombined[i] = combineStrands(t.deltaForward[i]!, t.deltaReverse[i]!);
  const { signed, maxAbs } = ismImportance({ deltaCombined });
  return { ...t, deltaCombined, importance: signed, maxAbs };
}

function variantView(r: StoredVariant): VariantEffectRow & VariantExportRow {
  const refProb = combineStrands(r.refFw, r.refRc);
  const altProb = combineStrands(r.altFw, r.altRc);
  return {
    index: r.idx,
    line: r.line,
    chrom: r.chrom,
    pos: r.pos,
    id: r.vid,
    ref: r.ref,
    alt: r.alt,
    qual: r.qual,
    filter: r.filter,
    info: r.info,
    refProb,
    altProb,
    diff: r.diff,
    log2fc: r.log2fc,
    refForward: r.refFw,
    refReverse: r.refRc,
    altForward: r.altFw,
    altReverse: r.altRc,
    diffForward: r.altFw - r.refFw,
    diffReverse: r.altRc - r.refRc,
    log2fcForward: log2FoldChange(r.altFw, r.refFw),
    log2fcReverse: log2FoldChange(r.altRc, r.refRc),
  };
}

// ---------------------------------------------------------------- services

export function createInterpretServices(ctx: AppContext): InterpretServices {
  keeper(ctx);
  const open = (project: string) => {
    const real = existingPath(project);
    return { real, db: projectDb(ctx, real) };
  };

  /** The checks both kinds share: model, genome, window, class. */
  async function prepare(db: Db, real: string, input: { runId?: number | undefined; modelId?: number | undefined; genomeId?: number | undefined; window?: number | undefined; classIndex?: number | undefined }) {
    const resolved = await resolveModel(ctx, db, real, input);
    const { model, classes } = resolved;
    const genome = resolveGenome(db, input.genomeId, resolved.datasetId);
    const chroms = genomeSequences(db, genome.id).map((s) => ({ name: s.name, length: s.length }));
    const window = input.window ?? defaultWindow(db, resolved.datasetId);
    if (window === null) throw invalid([{ path: 'window', message: `"${model.name}" has no training run to take the window length from: give the window (bp)` }]);
    const numLabels = model.shape.numLabels!;
    const classIndex = input.classIndex ?? (numLabels === 2 ? 1 : 0);
    if (classIndex >= numLabels) throw invalid([{ path: 'classIndex', message: `"${model.name}" has ${numLabels} classes (0..${numLabels - 1}); no class ${classIndex}` }]);
    const maxTokens = model.shape.architecture === 'bert' ? model.shape.maxLength : DNABERT2_LENGTH_LIMIT;
    const reader = await openGenome(ctx, db, genome, real);
    return { resolved, model, classes, genome, chroms, window, numLabels, classIndex, maxTokens, reader };
  }

  async function launch(db: Db, real: string, kind: InterpretKind, prep: Awaited<ReturnType<typeof prepare>>, input: { name?: string | undefined; batchSize?: number | undefined; backend: IsmJobParams['backend'] }, extra: { params: Partial<InterpretParams>; total: number; skipped?: SkippedRecord[]; defaultName: string; write: (folder: string) => Promise<Partial<IsmJobParams & VariantsJobParams>> }) {
    const name = input.name ?? extra.defaultName;
    const folder = join(ctx.dataDir, 'interpret', `${slugify(name)}-${randomUUID().slice(0, 8)}`);
    const params: InterpretParams = {
      name,
      runId: prep.resolved.runId,
      modelName: prep.model.name,
      genomeId: prep.genome.id,
      genomeName: prep.genome.name,
      classIndex: prep.classIndex,
      className: prep.classes[prep.classIndex] ?? String(prep.classIndex),
      window: prep.window,
      batchSize: input.batchSize ?? DEFAULT_BATCH,
      backendPreference: input.backend,
      folder,
      ...extra.params,
    };
    const id = db.transaction(() => {
      const n = insertInterpretation(db, { kind, modelId: prep.model.id, params, metrics: { total: extra.total, done: 0, skipped: (extra.skipped ?? []).slice(0, SKIPPED_KEPT) }, createdAt: now() });
      touchModified(db, ctx.appVersion);
      return n;
    })();
    try {
      await mkdir(folder, { recursive: true });
      const own = await extra.write(folder);
      const jobParams = {
        runId: id,
        modelId: prep.model.id,
        modelDir: prep.model.path!,
        genome: { fastaPath: prep.genome.fastaPath, faiPath: prep.genome.faiPath, gziPath: prep.genome.gziPath },
        chromLengths: Object.fromEntries(prep.chroms.map((c) => [c.name, c.length])),
        window: prep.window,
        classIndex: prep.classIndex,
        numLabels: prep.numLabels,
        batchSize: params.batchSize,
        maxTokens: prep.maxTokens,
        backend: input.backend,
        ...own,
      };
      const link = { link: (tx: Db, jobId: string) => updateInterpretation(tx, id, { jobId }) };
      const job = kind === 'ism' ? startJob(ctx, real, ismKind, jobParams as IsmJobParams, link) : startJob(ctx, real, variantsKind, jobParams as VariantsJobParams, link);
      ctx.bus.emit('project.changed', { path: real, what: 'interpretations' });
      return { id, jobId: job.id };
    } catch (err) {
      deleteInterpretation(db, id);
      await rm(folder, { recursive: true, force: true });
      throw err;
    }
  }

  return {
    async 'interpret.ism'(input) {
      const { real, db } = open(input.project);
      const prep = await prepare(db, real, input);
      const ci = prep.chroms.findIndex((c) => c.name === input.chrom);
      if (ci < 0) throw invalid([{ path: 'chrom', message: `Genome "${prep.genome.name}" has no sequence named '${input.chrom}'` }]);
      const len = prep.chroms[ci]!.length;
      if (input.end > len) throw invalid([{ path: 'end', message: `The region ${input.chrom}:${input.start}-${input.end} runs past the end of ${input.chrom} (${formatBp(len)})` }]);
      await checkTokenizer(prep.reader, prep.chroms, [{ chrom: ci, start: Math.max(0, input.start - prep.window), end: Math.min(len, input.end + prep.window) }], prep.window, prep.model, prep.genome.name, prep.maxTokens);
      const region = { chrom: input.chrom, start: input.start, end: input.end };
      return launch(db, real, 'ism', prep, input, {
        params: { region },
        total: input.end - input.start,
        defaultName: `ISM of ${input.chrom}:${input.start + 1}-${input.end} with ${prep.model.name}`,
        write: async () => ({ region }),
      });
    },

    async 'interpret.variants'(input) {
      const { real, db } = open(input.project);
      const prep = await prepare(db, real, input);
      const check = { chromSizes: new Map(prep.chroms.map((c) => [c.name, c.length])), getSequence: (c: string, s: number, e: number) => prep.reader.getSequence(c, s, e), window: prep.window };
      const list = input.vcfPath !== undefined ? await readVcf(input.vcfPath, check) : await parseTypedVariants(input.variants!, check);
      if (list.errorCount > 0) throw tooManyProblems(list.file, `${list.errorCount} line(s) of ${list.file} cannot be scored on genome "${prep.genome.name}"; nothing was stored`, list.errors, list.errorCount);
      if (list.variants.length === 0) {
        const why = list.skipped.slice(0, 3).map((s) => `line ${s.line}: ${s.reason}`).join('; ');
        throw invalid([{ path: input.vcfPath !== undefined ? 'vcfPath' : 'variants', message: `No variant to score in ${list.file}${why ? ` (${list.skipped.length} skipped: ${why})` : ''}` }]);
      }
      await checkTokenizer(prep.reader, prep.chroms, list.variants.slice(0, 24).map((v) => { const ci = prep.chroms.findIndex((c) => c.name === v.chrom); return { chrom: ci, start: Math.max(0, v.pos - 1 - prep.window), end: Math.min(prep.chroms[ci]!.length, v.pos + prep.window) }; }), prep.window, prep.model, prep.genome.name, prep.maxTokens);
      const base = input.vcfPath !== undefined ? input.vcfPath.split(/[\\/]/).pop()! : `${list.variants.length} typed variant(s)`;
      return launch(db, real, 'variants', prep, input, {
        params: { vcfPath: input.vcfPath !== undefined ? list.file : null, vcfHeader: list.header },
        total: list.variants.length,
        skipped: list.skipped,
        defaultName: `Variants ${base} with ${prep.model.name}`,
        write: async (folder) => {
          const path = join(folder, VARIANTS_FILE);
          writeFileAtomic(path, JSON.stringify(list.variants));
          return { variantsPath: path };
        },
      });
    },

    async 'interpret.list'({ project }) {
      const { real, db } = open(project);
      jobRunner(ctx).recover(real);
      return listInterpretations(db).map((r) => info(ctx, real, db, r));
    },

    async 'interpret.get'({ project, id }) {
      const { real, db } = open(project);
      return info(ctx, real, db, requireRun(db, id, real));
    },

    async 'interpret.ismTable'({ project, id }) {
      const { real, db } = open(project);
      const row = requireRun(db, id, real, 'ism');
      requireDone(row);
      const t = ismView(db, row);
      return {
        chrom: t.chrom,
        start: t.start,
        end: t.end,
        window: row.params.window,
        classIndex: row.params.classIndex,
        className: row.params.className,
        refBases: t.refBases,
        refForward: nullable(t.refForward),
        refReverse: nullable(t.refReverse),
        deltaForward: nullable(t.deltaForward),
        deltaReverse: nullable(t.deltaReverse),
        deltaCombined: nullable(t.deltaCombined),
        importance: nullable(t.importance),
        maxAbs: nullable(t.maxAbs),
      };
    },

    async 'interpret.variantEffects'({ project, id, sort, descending, offset, limit }) {
      const { real, db } = open(project);
      const row = requireRun(db, id, real, 'variants');
      requireDone(row);
      return { rows: variantEffectsPage(db, id, { sort, descending, offset, limit }).map(variantView), total: countVariantEffects(db, id) };
    },

    async 'interpret.export'({ project, id, format, out }) {
      const { real, db } = open(project);
      const row = requireRun(db, id, real);
      requireDone(row);
      if (row.kind === 'ism') {
        if (format !== 'csv' && format !== 'bedgraph') throw invalid([{ path: 'format', message: `An ISM run exports as csv (the 4 x L table) or bedgraph (per-base importance), not ${format}` }]);
        const t = ismView(db, row);
        await writeLinesAtomic(out, format === 'csv' ? ismCsvLines(t) : ismBedGraphLines(t, row.params.name));
      } else {
        if (format !== 'tsv' && format !== 'vcf') throw invalid([{ path: 'format', message: `A variant-effect run exports as tsv or vcf, not ${format}` }]);
        const rows = (function* () {
          for (const r of allVariantEffects(db, id)) yield variantView(r);
        })();
        await writeLinesAtomic(out, format === 'tsv' ? variantTsvLines(rows) : variantVcfLines(row.params.vcfHeader ?? [], rows, { model: row.params.modelName, className: row.params.className, window: row.params.window }));
      }
      return { path: out, bytes: statSync(out).size };
    },

    async 'interpret.track'({ project, id }) {
      const { real, db } = open(project);
      const row = requireRun(db, id, real);
      requireDone(row);
      // At most 10,000 ISM positions or 10,000 typed variants (a VCF can hold more, one short line
      // each): built once here and served from memory as the scans' bigWigs are, by byte range.
      let lines: Iterable<string>;
      let values: number[];
      if (row.kind === 'ism') {
        const t = ismView(db, row);
        lines = ismBedGraphLines(t, row.params.name);
        values = Array.from(t.importance).filter((x) => !Number.isNaN(x));
      } else {
        const rows = [...allVariantEffects(db, id)].sort((a, b) => (a.chrom < b.chrom ? -1 : a.chrom > b.chrom ? 1 : a.pos - b.pos));
        lines = variantBedGraphLines(rows, row.params.name);
        values = rows.map((r) => r.diff);
      }
      const bytes = Buffer.from([...lines].join('\n') + '\n', 'utf8');
      const key = `${real}#interpret-${id}`;
      const fileId = ctx.files.registerSource(key, {
        contentType: 'text/plain',
        // Looked up on every request: a removed run (or a closed project) answers 404, not stale bytes.
        size: () => {
          try {
            return getInterpretation(projectDb(ctx, real), id) ? bytes.length : undefined;
          } catch {
            return undefined;
          }
        },
        read: (start, end) => bytes.subarray(start, end),
      });
      // A symmetric range around 0, so gains and losses read alike (never empty).
      const bound = values.reduce((m, x) => Math.max(m, Math.abs(x)), 1e-12);
      return { fileId, format: 'bedgraph' as const, name: row.params.name, min: -bound, max: bound };
    },

    async 'interpret.remove'({ project, id }) {
      const { real, db } = open(project);
      const row = requireRun(db, id, real);
      let job: JobInfo | null = null;
      if (row.jobId) {
        try {
          job = jobRunner(ctx).get(real, row.jobId);
        } catch {
          job = null;
        }
      }
      if (job && !['done', 'failed', 'cancelled', 'paused', 'interrupted'].includes(job.state)) {
        jobRunner(ctx).cancel(real, job.id);
        await waitForJob(ctx, real, job.id);
      } else if (job && ['paused', 'interrupted', 'failed'].includes(job.state)) {
        jobRunner(ctx).cancel(real, job.id);
      }
      db.transaction(() => {
        deleteInterpretation(db, id);
        touchModified(db, ctx.appVersion);
      })();
      ctx.files.unregisterSource(`${real}#interpret-${id}`);
      await rm(row.params.folder, { recursive: true, force: true });
      if (job?.checkpointDir) await rm(job.checkpointDir, { recursive: true, force: true });
      ctx.bus.emit('project.changed', { path: real, what: 'interpretations' });
      return { ok: true as const };
    },
  };
}
