// reports.*: gathers what a report needs from the project (the same records the other services
// return), builds it with main/report, stores the HTML in the project and writes it out as HTML or
// PDF. A report of a run on 100,000 windows builds in about a second (the dataset is read through
// SQL aggregates; the curves are thinned when drawn), so this is a plain call, not a job.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { arch, cpus, release, type as osType } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { ApiError } from '../../shared/contract/errors';
import type { ReportInfo } from '../../shared/contract/reports';
import type { RunDetail } from '../../shared/contract/training';
import { writeFileAtomic } from '../node/atomic';
import { comparisonTitle, renderComparisonReport, renderRunReport, runReportTitle } from '../report/build';
import { testSetStatement } from '../report/compare';
import { htmlToPdf, NoChromiumError } from '../report/pdf';
import { whatIsMissing } from '../report/sections';
import type { GcHistogram, RunReportData, ScanReport } from '../report/types';
import { readMeta, touchModified } from '../store/meta';
import type { Db } from '../store/project-file';
import { deleteReportRow, getReportRow, insertReport, listReportRows, reportHtml } from '../store/report-repo';
import type { AppContext } from './context';
import { createDatasetServices } from './datasets';
import type { Services } from './dispatch';
import { createGenomeServices } from './genomes';
import { createModelServices } from './models';
import { existingPath, projectDb } from './projects';
import { createScanServices, scanClassSummary } from './scans';
import { createTrainingServices } from './training';

type ReportServices = Pick<Services, Extract<keyof Services, `reports.${string}`>>;

const GC_BINS = 20;

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
    const perClass = scan.state === 'done' ? await Promise.all(scan.classesOfInterest.map((k) => scanClassSummary(ctx, project, scan.id, k))) : [];
    scans.push({ scan, perClass });
  }
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
