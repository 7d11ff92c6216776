// tables.preview and datasets.*: labelled train/dev/test datasets built from a project's genome
// and region sets, or from labelled tables, stored in the project with their sequences (so training
// needs no genome and a copied project is complete). The build itself is a `dataset-build` job
// (main/datasets/job.ts) in a worker process; this module stores its result in one transaction.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiError } from '../../shared/contract/errors';
import type { DatasetSummary, TablePreview } from '../../shared/contract/data';
import { exportDataset, exportFileNames, SPLITS } from '../datasets/index';
import type { BuiltDataset } from '../datasets/index';
import { storedWindows } from '../datasets/stored';
import { datasetBuildKind, datasetVersionKind, type DatasetBuildHeader, type DatasetBuildParams, type StoredSummary, type StoredVersion } from '../datasets/protocol';
import type { FinishedJob } from '../jobs/results';
import { readLabelledSequences } from '../genome/table';
import { touchModified } from '../store/meta';
import type { Db } from '../store/project-file';
import {
  datasetItems,
  deleteDataset,
  getDatasetRow,
  getGenomeRow,
  getRegionSetRow,
  insertDataset,
  listDatasetRows,
  updateGenomeFiles,
  type DatasetItemRow,
  type DatasetRow,
} from '../store/data-repo';
import type { AppContext } from './context';
import type { Services } from './dispatch';
import { registerDataJob, runDataJob, type DataJobResult } from './data-jobs';
import { lineError, mapErrors, notFound } from './data-support';
import { requireGenome } from './genomes';
import { existingPath, projectDb } from './projects';

type DatasetServices = Pick<Services, Extract<keyof Services, `datasets.${string}` | 'tables.preview'>>;

function describeDataset(row: DatasetRow): DatasetSummary {
  const s = row.summary as unknown as StoredSummary;
  const v = row.provenance.version as StoredVersion | undefined;
  return { ...s, id: row.id, name: row.name, genomeId: row.genomeId, provenance: row.provenance, createdAt: row.createdAt, ...(v && { version: { parentId: v.parentId, parentName: v.parentName, changes: v.description } }) };
}

function requireDataset(db: Db, id: number, project: string): DatasetRow {
  const row = getDatasetRow(db, id);
  if (!row) throw notFound('dataset', id, project);
  return row;
}

/** A stored dataset as the builder's type, for export (and training). */
export function loadBuiltDataset(db: Db, id: number): BuiltDataset {
  const row = getDatasetRow(db, id);
  if (!row) throw new Error(`no dataset ${id}`);
  const windows = storedWindows(db, id);
  const s = row.summary as unknown as StoredSummary;
  return {
    classes: row.classes,
    windows,
    summary: { classes: row.classes, splits: s.splits, total: s.total, split: s.split, negatives: { strategy: s.negatives?.strategy ?? 'none', ratio: s.negatives?.ratio ?? 0, margin: s.negatives?.margin ?? 0, wanted: s.negatives?.wanted ?? 0, made: s.negatives?.made ?? 0 }, dropped: s.dropped, moved: {} },
    provenance: row.provenance as unknown as BuiltDataset['provenance'],
  };
}

/** Quick checks before the job starts (the worker checks again): the genome and region sets exist and belong together. */
function checkRegionsSpec(db: Db, project: string, spec: Extract<DatasetBuildParams['spec'], { source: 'regions' }>): void {
  const genome = requireGenome(db, spec.genomeId, project);
  for (const [i, ref] of spec.regionSets.entries()) {
    const row = getRegionSetRow(db, ref.id);
    if (!row) throw notFound('region set', ref.id, project);
    if (row.genomeId !== genome.id) {
      const message = `Region set "${row.name}" (id ${row.id}) belongs to another genome (id ${row.genomeId ?? 'none'}), not to "${genome.name}"`;
      throw new ApiError({ code: 'invalid_input', message, issues: [{ path: `spec.regionSets.${i}.id`, message }] });
    }
  }
}

/** Stores a built dataset inside the job's transaction: a failure (disk full, a name taken meanwhile) leaves nothing half-written. */
function storeDataset(ctx: AppContext, db: Db, job: FinishedJob<{ name: string }, { total: number }>, result: DataJobResult): { total: number; datasetId: number } {
  const { name } = job.params;
  const head = result.header as DatasetBuildHeader;
  const clash = listDatasetRows(db).find((d) => d.name === name);
  if (clash) throw new ApiError({ code: 'conflict', message: `The project already has a dataset named "${name}" (id ${clash.id}); choose another name or remove it first`, issues: [{ path: 'name', message: 'This name is taken' }] });
  // The genome may have been removed while the dataset was built (datasets keep their sequences).
  const genomeId = head.genomeId !== null && getGenomeRow(db, head.genomeId) ? head.genomeId : null;
  const regionSetId = head.regionSetId !== null && getRegionSetRow(db, head.regionSetId) ? head.regionSetId : null;
  const id = insertDataset(
    db,
    { name, kind: 'classification', genomeId, regionSetId, provenance: head.provenance, split: head.split, summary: head.summary as unknown as Record<string, unknown>, classes: head.classes, createdAt: new Date().toISOString() },
    result.rows as Iterable<DatasetItemRow>,
  );
  const re = head.reindexed;
  if (re && getGenomeRow(db, re.genomeId)) updateGenomeFiles(db, re.genomeId, { path: getGenomeRow(db, re.genomeId)!.path, fastaPath: re.fastaPath, faiPath: re.faiPath, gziPath: re.gziPath, mtimeMs: re.mtimeMs });
  touchModified(db, ctx.appVersion);
  return { ...job.result, datasetId: id };
}

/** The dataset a dataset-build or dataset-version job stored (its stored result names it). */
export function storedDataset(db: Db, project: string, stored: unknown): DatasetSummary {
  const id = (stored as { datasetId?: unknown } | null)?.datasetId;
  const row = typeof id === 'number' ? getDatasetRow(db, id) : undefined;
  if (!row) throw new ApiError({ code: 'internal', message: `The dataset job finished but dataset ${String(id)} is not in ${project}` });
  return describeDataset(row);
}

export function createDatasetServices(ctx: AppContext): DatasetServices {
  registerDataJob(ctx, datasetBuildKind, 'datasets', (db, job, result) => storeDataset(ctx, db, job, result));
  // A version from annotations (retrain.start) is stored the same way.
  registerDataJob(ctx, datasetVersionKind, 'datasets', (db, job, result) => storeDataset(ctx, db, job, result));
  return {
    async 'tables.preview'({ project, path }) {
      projectDb(ctx, project);
      return mapErrors(async (): Promise<TablePreview> => {
        const r = await readLabelledSequences(resolve(path));
        const lengths = r.records.map((x) => x.sequence.length);
        return {
          file: r.file,
          format: r.format,
          ...(r.header && { header: r.header }),
          rows: r.records.slice(0, 20).map((x) => ({ ...(x.id !== undefined && { id: x.id }), sequence: x.sequence, label: x.label, line: x.line })),
          classes: r.classes,
          classCounts: r.classCounts,
          count: r.records.length,
          lengthMin: lengths.length ? Math.min(...lengths) : 0,
          lengthMax: lengths.length ? Math.max(...lengths) : 0,
          errors: r.errors.map(lineError),
          errorCount: r.errorCount,
          summary: r.summary,
        };
      });
    },

    async 'datasets.build'({ project, name, spec }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const clash = listDatasetRows(db).find((d) => d.name === name);
      if (clash) throw new ApiError({ code: 'conflict', message: `The project already has a dataset named "${name}" (id ${clash.id}); choose another name or remove it first`, issues: [{ path: 'name', message: 'This name is taken' }] });
      if (spec.source === 'regions') checkRegionsSpec(db, real, spec);
      const params: DatasetBuildParams = { project: real, name, spec, cacheRoot: join(ctx.dataDir, 'genomes') };
      return runDataJob(ctx, real, datasetBuildKind, params, (stored) => storedDataset(db, real, stored));
    },

    async 'datasets.list'({ project }) {
      return listDatasetRows(projectDb(ctx, project)).map(describeDataset);
    },

    async 'datasets.get'({ project, id, examples }) {
      const db = projectDb(ctx, project);
      const row = requireDataset(db, id, project);
      const n = examples ?? 5;
      const ex = SPLITS.flatMap((split) =>
        datasetItems(db, id, { split, limit: n }).map((it) => ({ split: it.split, label: it.label, chrom: it.chrom, start: it.start, end: it.end, strand: it.strand, origin: it.origin, sequence: it.sequence })),
      );
      return { summary: describeDataset(row), examples: ex };
    },

    async 'datasets.export'({ project, datasetId, format, dir, overwrite }) {
      const db = projectDb(ctx, project);
      requireDataset(db, datasetId, project);
      const formats = [format, 'manifest'] as const;
      const target = resolve(dir);
      const existing = exportFileNames(formats).filter((name) => existsSync(join(target, name)));
      if (existing.length && !overwrite) {
        throw new ApiError({ code: 'conflict', message: `${target} already holds ${existing.join(', ')}; choose another folder, or replace them (loci: --force)`, file: target });
      }
      const ds = loadBuiltDataset(db, datasetId);
      return mapErrors(async () => {
        const r = await exportDataset(ds, target, { formats });
        return { files: r.files, skipped: format === 'bed' ? r.bedSkipped : 0 };
      });
    },

    async 'datasets.remove'({ project, id }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      db.transaction(() => {
        if (!deleteDataset(db, id)) throw notFound('dataset', id, project);
        touchModified(db, ctx.appVersion);
      })();
      ctx.bus.emit('project.changed', { path: real, what: 'datasets' });
      return { ok: true as const };
    },
  };
}
