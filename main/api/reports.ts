// reports.*: gathers what a report needs from the project (the same records the other services
// return), builds it with main/report, stores the HTML in the project and writes it out as HTML or
// PDF. A report of a run on 100,000 windows builds in about a second (the dataset is read through
// SQL aggregates; the curves are thinned when drawn), so this is a plain call, not a job.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { arch, cpus, release, type as osType } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { classColor } from '../../shared/class-colors';
import { ApiError } from '../../shared/contract/errors';
import type { ReportInfo } from '../../shared/contract/reports';
import type { RunDetail } from '../../shared/contract/training';
import { writeFileAtomic } from '../node/atomic';
import { comparisonTitle, renderComparisonReport, renderRunReport, runReportTitle } from '../report/build';
import { testSetStatement } from '../report/compare';
import { htmlToPdf, NoChromiumError } from '../report/pdf';
import { whatIsMissing } from '../report/sections';
import type { LocusView } from '../report/tracks';
import type { GcHistogram, PinReport, RunReportData, ScanReport } from '../report/types';
import { readMeta, touchModified } from '../store/meta';
import type { Db } from '../store/project-file';
import { deleteReportRow, getReportRow, insertReport, listReportRows, reportHtml } from '../store/report-repo';
import type { AppContext } from './context';
import { createDatasetServices } from './datasets';
import type { Services } from './dispatch';
import { createGenomeServices } from './genomes';
import { createModelServices } from './models';
import { existingPath, projectDb } from './projects';
import { createAnnotationServices } from './annotations';
import { createGenomeViewServices } from './genome-view';
import { createScanServices, scanClassSummary, scanScoresIn } from './scans';
import { createTrainingServices } from './training';

type ReportServices = Pick<Services, Extract<keyof Services, `reports.${string}`>>;

const GC_BINS = 20;
/** Called regions per scan class drawn as Genome-view images in the report. */
const LOCUS_IMAGES = 3;

/** Feature items drawn per track of a locus image (the rest are counted, not read). */
const LOCUS_FEATURES = 500;

/**
 * The feature tracks of a locus image, as the Genome view shows them: the run's region sets, the
 * run's dataset's labelled windows (coloured by class), the user's annotations.
 */
async function featureTracks(ctx: AppContext, project: string, genomeId: number | null, w: { chrom: string; start: number; end: number }, regionSets: RunReportData['regionSets'], dataset: RunReportData['dataset']): Promise<LocusView['tracks']> {
  const view = createGenomeViewServices(ctx);
  const tracks: LocusView['tracks'] = [];
  for (const set of regionSets) {
    const f = await view['genomeView.features']({ project, source: { kind: 'regionSet', id: set.id }, ...w, limit: LOCUS_FEATURES });
    tracks.push({ name: set.name, truncated: f.truncated, items: f.features.map((x) => ({ start: x.start, end: x.end, ...(x.name !== undefined && { name: x.name }), ...(x.strand && { strand: x.strand }) })) });
  }
  if (dataset && dataset.summary.genomeId !== null && dataset.summary.genomeId === genomeId) {
    const classes = dataset.summary.classes;
    const f = await view['genomeView.features']({ project, source: { kind: 'dataset', id: dataset.summary.id }, ...w, limit: LOCUS_FEATURES });
    if (f.features.length) tracks.push({ name: `Labels: ${dataset.summary.name}`, truncated: f.truncated, items: f.features.map((x) => ({ start: x.start, end: x.end, ...(x.label !== undefined && { name: x.label, color: classColor(classes.indexOf(x.label)) }), ...(x.strand && { strand: x.strand }) })) });
  }
  const a = genomeId === null ? { total: 0, annotations: [] } : await createAnnotationServices(ctx)['annotations.list']({ project, genomeId, ...w, limit: LOCUS_FEATURES, offset: 0, sort: 'position' });
  if (a.total > 0) tracks.push({ name: 'Annotations', truncated: a.total > a.annotations.length, items: a.annotations.map((x) => ({ start: x.start, end: x.end, name: x.label, color: x.color })) });
  return tracks;
}

/** The strongest called regions of a scan class with what the Genome view shows around them. */
async function locusViews(ctx: AppContext, project: string, scan: ScanReport['scan'], c: ScanReport['perClass'][number], regionSets: RunReportData['regionSets'], dataset: RunReportData['dataset']): Promise<LocusView[]> {
  const top = [...c.regions].sort((a, b) => b.maxScore - a.maxScore || b.meanScore - a.meanScore).slice(0, LOCUS_IMAGES);
  const out: LocusView[] = [];
  for (const r of top) {
    // The region with as much again on each side (at least a window's worth), as the view's "go to" does.
    const pad = Math.max(r.end - r.start, scan.settings.window);
    const start = Math.max(0, r.start - pad);
    const end = r.end + pad;
    const s = await scanScoresIn(ctx, project, scan.id, c.classIndex, r.chrom, start, end);
    const tracks = await featureTracks(ctx, project, scan.genomeId, { chrom: r.chrom, start, end }, regionSets, dataset);
    out.push({ chrom: r.chrom, start, end, focus: { start: r.start, end: r.end }, className: scan.classes[c.classIndex] ?? String(c.classIndex), threshold: scan.thresholds.find((t) => t.classIndex === c.classIndex)?.threshold ?? 0.5, scores: { starts: s.starts, ends: s.ends, values: s.scores }, tracks });
  }
  return out;
}

/**
 * The loci pinned on the genomes of the run (its dataset's, its scans'), each drawn as pinned: the
 * newest finished scan of that genome (its first tracked class: score and called regions), then
 * the feature tracks.
 */
async function pinViews(ctx: AppContext, project: string, d: Pick<RunReportData, 'genome' | 'scans' | 'regionSets' | 'dataset'>): Promise<PinReport[]> {
  const genomes = new Set([d.genome?.id, ...d.scans.map((r) => r.scan.genomeId)].filter((g): g is number => g !== null && g !== undefined));
  const out: PinReport[] = [];
  for (const pin of await createGenomeViewServices(ctx)['genomeView.pins.list']({ project })) {
    if (!genomes.has(pin.genomeId)) continue;
    const w = { chrom: pin.chrom, start: pin.start, end: pin.end };
    const scanned = d.scans.find((r) => r.scan.genomeId === pin.genomeId && r.perClass.length > 0);
    const c = scanned?.perClass[0];
    const view: LocusView = { ...w, tracks: [] };
    let scan: PinReport['scan'] = null;
    if (scanned && c) {
      const s = await scanScoresIn(ctx, project, scanned.scan.id, c.classIndex, pin.chrom, pin.start, pin.end);
      const className = scanned.scan.classes[c.classIndex] ?? String(c.classIndex);
      Object.assign(view, { className, threshold: scanned.scan.thresholds.find((t) => t.classIndex === c.classIndex)?.threshold ?? 0.5, scores: { starts: s.starts, ends: s.ends, values: s.scores } });
      const called = c.regions.filter((r) => r.chrom === pin.chrom && r.start < pin.end && r.end > pin.start);
      view.tracks.push({ name: `Called: ${className}`, items: called.map((r) => ({ start: r.start, end: r.end, name: r.maxScore.toFixed(2), color: '#d9480f' })) });
      scan = { id: scanned.scan.id, name: scanned.scan.name, className };
    }
    view.tracks.push(...(await featureTracks(ctx, project, pin.genomeId, w, d.regionSets, d.dataset)));
    out.push({ pin, view, scan });
  }
  return out;
}

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function software(ctx: AppContext, db: Db, run: RunDetail): [string, string][] {
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  const cpu = cpus()[0];
  return [
    ['Loci', ctx.appVersion],
    ['Compute backend of the run', run.backend ?? 'n/a'],
    ['@tensorflow/tfjs-core', packageVersion('@tensorflow/tfjs-core')],
    ['@tensorflow/tfjs-backend-wasm', packageVersion('@tensorflow/tfjs-backend-wasm')],
    ['tokenizers', packageVersion('tokenizers')],
    ['better-sqlite3 (SQLite)', `${packageVersion('better-sqlite3')} (${sqlite})`],
    ['Node.js', process.versions.node],
    ...(process.versions.electron ? ([['Electron', process.versions.electron]] as [string, string][]) : []),
    ['Operating system', `${osType()} ${release()} ${arch()}`],
    ['CPU', `${cpu?.model.trim() ?? 'unknown'} (${cpus().length} threads)`],
  ];
}

/** GC per split and class in bins, and a fingerprint of the test set, by SQL over the dataset's rows. */
function datasetFigures(db: Db, datasetId: number): { gc: GcHistogram; testDigest: string } {
  const gc: GcHistogram = { bins: GC_BINS, counts: { train: {}, dev: {}, test: {} } };
  const rows = db
    .prepare(`SELECT split, label, MIN(CAST(gc * ? AS INTEGER), ?) AS bin, COUNT(*) AS n FROM dataset_items WHERE dataset_id = ? AND gc IS NOT NULL GROUP BY split, label, bin`)
    .all(GC_BINS, GC_BINS - 1, datasetId) as { split: 'train' | 'dev' | 'test'; label: string; bin: number; n: number }[];
  for (const r of rows) {
    const per = (gc.counts[r.split][r.label] ??= new Array<number>(GC_BINS).fill(0));
    const bin = Math.max(0, r.bin);
    per[bin] = (per[bin] ?? 0) + r.n;
  }
  const hash = createHash('sha256');
  const stmt = db.prepare(`SELECT COALESCE(sequence, chrom || ':' || start || '-' || "end" || strand) AS s, label FROM dataset_items WHERE dataset_id = ? AND split = 'test' ORDER BY id`).raw(true);
  for (const [s, label] of stmt.iterate(datasetId) as Iterable<[string | null, string]>) hash.update(`${s ?? ''}\t${label}\n`);
  return { gc, testDigest: hash.digest('hex') };
}

/** Everything a run's report shows, from the project's records. */
export async function gatherRun(ctx: AppContext, project: string, runId: number): Promise<RunReportData> {
  const db = projectDb(ctx, project);
  const run = await createTrainingServices(ctx)['training.get']({ project, runId });
  const datasetId = Number(run.datasetId);
  let dataset: RunReportData['dataset'] = null;
  let genome: RunReportData['genome'] = null;
  let regionSets: RunReportData['regionSets'] = [];
  const exists = (sql: string, id: number) => Number.isInteger(id) && id > 0 && db.prepare(sql).get(id) !== undefined;
  if (exists('SELECT 1 FROM datasets WHERE id = ?', datasetId)) {
    const { summary } = await createDatasetServices(ctx)['datasets.get']({ project, id: datasetId, examples: 0 });
    dataset = { summary, ...datasetFigures(db, datasetId) };
    if (summary.genomeId !== null && exists('SELECT 1 FROM genomes WHERE id = ?', summary.genomeId)) {
      const genomes = createGenomeServices(ctx);
      genome = await genomes['genomes.get']({ project, id: summary.genomeId });
      const spec = (summary.provenance as { spec?: { regionSets?: { id: number }[] } }).spec;
      const wanted = new Set((spec?.regionSets ?? []).map((r) => r.id));
      regionSets = (await genomes['regions.list']({ project, genomeId: summary.genomeId })).filter((s) => wanted.has(s.id));
    }
  }
  const models = createModelServices(ctx);
  const modelOf = async (id: number | null) => (id !== null && exists('SELECT 1 FROM models WHERE id = ?', id) ? models['models.get']({ project, id }) : null);
  const baseModel = await modelOf(run.modelId ? Number(run.modelId) : null);
  const baseCard = baseModel ? await models['models.card']({ project, id: baseModel.id }).catch(() => null) : null;
  const outputModel = await modelOf(run.outputModelId ? Number(run.outputModelId) : null);
  const scans: ScanReport[] = [];
  for (const scan of (await createScanServices(ctx)['scans.list']({ project })).filter((s) => s.runId === run.id)) {
    const perClass: ScanReport['perClass'] = scan.state === 'done' ? await Promise.all(scan.classesOfInterest.map((k) => scanClassSummary(ctx, project, scan.id, k))) : [];
    for (const c of perClass) c.loci = await locusViews(ctx, project, scan, c, regionSets, dataset);
    scans.push({ scan, perClass });
  }
  const pins = await pinViews(ctx, project, { genome, scans, regionSets, dataset });
  return {
    project: { path: project, name: readMeta(db, project).name },
    run,
    dataset,
    genome,
    regionSets,
    baseModel,
    baseCard,
    outputModel,
    scans,
    pins,
    software: software(ctx, db, run),
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** A stored report's id, or not_found naming the project. */
function requireReport(db: Db, id: number, project: string) {
  const row = getReportRow(db, id);
  if (!row) throw new ApiError({ code: 'not_found', message: `No report ${id} in ${project}` });
  return row;
}

export function createReportServices(ctx: AppContext): ReportServices {
  return {
    async 'reports.create'({ project, runIds }): Promise<ReportInfo> {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const runs: RunReportData[] = [];
      for (const id of runIds) runs.push(await gatherRun(ctx, real, id));
      const single = runs.length === 1;
      const html = single ? renderRunReport(runs[0]!) : renderComparisonReport(runs);
      const notes = runs.flatMap((d) => {
        const missing = whatIsMissing(d.run);
        return missing ? [`Run ${d.run.id}: ${missing}`] : [];
      });
      if (!single) {
        const st = testSetStatement(runs);
        if (!st.same) notes.unshift(st.text);
      }
      const id = db.transaction(() => {
        const n = insertReport(db, { kind: single ? 'run' : 'comparison', title: single ? runReportTitle(runs[0]!) : comparisonTitle(runs), runIds: runs.map((d) => d.run.id), notes, html, createdAt: new Date().toISOString() });
        touchModified(db, ctx.appVersion);
        return n;
      })();
      ctx.bus.emit('project.changed', { path: real, what: 'reports' });
      return getReportRow(db, id)!;
    },

    async 'reports.list'({ project }) {
      const real = existingPath(project);
      return listReportRows(projectDb(ctx, real));
    },

    async 'reports.get'({ project, id }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const row = requireReport(db, id, real);
      return { ...row, html: reportHtml(db, id)! };
    },

    async 'reports.save'({ project, id, format, path }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      requireReport(db, id, real);
      const html = reportHtml(db, id)!;
      const target = resolve(path);
      if (format === 'html') {
        writeFileAtomic(target, html);
        return { path: target, format, bytes: Buffer.byteLength(html), printer: null };
      }
      let pdf: Uint8Array;
      let printer: string;
      try {
        if (ctx.printToPdf) {
          pdf = await ctx.printToPdf(html);
          printer = 'Electron printToPDF';
        } else {
          pdf = await htmlToPdf(html);
          printer = 'Chromium (playwright-core)';
        }
      } catch (err) {
        if (!(err instanceof NoChromiumError)) throw err;
        // No PDF printer here: the HTML still goes next to the asked-for file, so nothing is lost.
        const htmlPath = join(dirname(target), `${extname(target).toLowerCase() === '.pdf' ? target.slice(dirname(target).length + 1, -4) : target.slice(dirname(target).length + 1)}.html`);
        writeFileAtomic(htmlPath, html);
        throw new ApiError({ code: 'conflict', message: `${err.message} The report was written as HTML to ${htmlPath} instead.`, file: htmlPath });
      }
      writeFileAtomic(target, pdf);
      return { path: target, format, bytes: pdf.byteLength, printer };
    },

    async 'reports.remove'({ project, id }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      requireReport(db, id, real);
      db.transaction(() => {
        deleteReportRow(db, id);
        touchModified(db, ctx.appVersion);
      })();
      ctx.bus.emit('project.changed', { path: real, what: 'reports' });
      return { ok: true as const };
    },
  };
}
