// retrain.*: "Retrain with my annotations". A finished run's dataset gets a new version built from
// the genome's annotations (a `dataset-version` job, main/datasets/job.ts, stored by datasets.ts
// like any build), then a fine-tuning run starts from the run's output model with the run's own
// settings (training.ts's startRun). The new run keeps the parent's test metrics, so the dashboard
// shows before/after on the same test set when it ends.
import { join } from 'node:path';
import { countOf } from '../../shared/contract/data';
import { ApiError } from '../../shared/contract/errors';
import type { RetrainPreview } from '../../shared/contract/retrain';
import { TrainingSettings } from '../../shared/contract/training';
import { buildParams } from '../datasets/spec';
import { datasetVersionKind, type DatasetVersionParams, type StoredVersion } from '../datasets/protocol';
import { allAnnotations } from '../store/annotation-repo';
import { getDatasetRow, getGenomeRow, listDatasetRows, type DatasetRow } from '../store/data-repo';
import type { Db } from '../store/project-file';
import { getRunRow, type RunRow } from '../store/run-repo';
import { findConflicts } from './annotations';
import type { AppContext } from './context';
import { runDataJob } from './data-jobs';
import type { Services } from './dispatch';
import { storedDataset } from './datasets';
import { existingPath, projectDb } from './projects';
import { startRun } from './training';

type RetrainServices = Pick<Services, Extract<keyof Services, `retrain.${string}`>>;

interface Plan {
  preview: RetrainPreview;
  run: RunRow | null;
  dataset: DatasetRow | null;
  params: Omit<DatasetVersionParams, 'project' | 'name' | 'cacheRoot' | 'includeTest'> | null;
}

/** "<base> v2", "<base> v3", ...: the first name the project does not use. */
function versionName(db: Db, parent: DatasetRow): string {
  const base = parent.name.replace(/ v\d+$/, '');
  const taken = new Set(listDatasetRows(db).map((d) => d.name));
  for (let k = 2; ; k++) if (!taken.has(`${base} v${k}`)) return `${base} v${k}`;
}

/** What a retraining of `runId` would use, and why it cannot start (the first reason found). */
function plan(db: Db, project: string, runId: number): Plan {
  const empty = { annotations: 0, usable: 0, conflicting: 0, unknownClasses: {} };
  const refuse = (refusal: string, extra: Partial<RetrainPreview> = {}, run: RunRow | null = null, dataset: DatasetRow | null = null): Plan => ({
    preview: { runId, datasetId: dataset?.id ?? null, genomeId: dataset?.genomeId ?? null, ...empty, datasetName: '', ...extra, refusal },
    run,
    dataset,
    params: null,
  });
  const run = getRunRow(db, runId);
  if (!run || run.kind !== 'finetune') throw new ApiError({ code: 'not_found', message: `No fine-tuning run ${runId} in ${project}` });
  if (run.state !== 'done') return refuse(`Run "${run.params.name}" is ${run.state}: retraining starts from the model a finished run saved`, {}, run);
  if (run.outputModelId === null) return refuse(`Run "${run.params.name}" has no saved model any more (it was removed): nothing to continue from`, {}, run);
  const dataset = run.datasetId !== null ? (getDatasetRow(db, run.datasetId) ?? null) : null;
  if (!dataset) return refuse(`The dataset run "${run.params.name}" was trained on ("${run.params.datasetName}") was removed: a new version needs it`, {}, run);
  if (dataset.genomeId === null || !getGenomeRow(db, dataset.genomeId)) {
    return refuse(`Dataset "${dataset.name}" has no genome in the project (built from labelled tables, or its genome was removed): annotations are genome regions`, {}, run, dataset);
  }
  if (!buildParams.safeParse(dataset.provenance.params).success) return refuse(`Dataset "${dataset.name}" does not record how it was built (window and split rules), so annotations cannot be cut the same way`, {}, run, dataset);
  const rows = allAnnotations(db, dataset.genomeId);
  const classes = new Set(dataset.classes);
  const conflictIds = new Set(findConflicts(rows).flatMap(([a, b]) => [a.id, b.id]));
  const unknownClasses: Record<string, number> = {};
  for (const r of rows) if (!classes.has(r.label)) unknownClasses[r.label] = (unknownClasses[r.label] ?? 0) + 1;
  const usable = rows.filter((r) => !conflictIds.has(r.id) && classes.has(r.label));
  const conflicting = rows.filter((r) => conflictIds.has(r.id)).length;
  const counts = { annotations: rows.length, usable: usable.length, conflicting, unknownClasses, datasetName: versionName(db, dataset) };
  if (rows.length === 0) return refuse(`There are no annotations on the genome of "${dataset.name}": mark regions in the Genome view (or import a BED/GFF3 of annotations) first`, counts, run, dataset);
  if (usable.length === 0) {
    const why: string[] = [];
    if (conflicting) why.push(`${countOf(conflicting, 'annotation')} overlap one of another class (resolve the conflicts in the Genome view's annotations table)`);
    const unknown = Object.entries(unknownClasses);
    if (unknown.length) why.push(`${unknown.map(([k, v]) => `${v} use class "${k}"`).join(', ')}, which the model's classifier does not have (it knows ${dataset.classes.join(', ')})`);
    return refuse(`None of the ${countOf(rows.length, 'annotation')} can be used: ${why.join('; ')}`, counts, run, dataset);
  }
  return {
    preview: { runId, datasetId: dataset.id, genomeId: dataset.genomeId, ...counts, refusal: null },
    run,
    dataset,
    params: {
      parentId: dataset.id,
      annotations: usable.map((r) => ({ id: r.id, chrom: r.chrom, start: r.start, end: r.end, label: r.label })),
      skipped: { conflicting, unknownClasses },
    },
  };
}

export function createRetrainServices(ctx: AppContext): RetrainServices {
  return {
    async 'retrain.preview'({ project, runId }) {
      const real = existingPath(project);
      return plan(projectDb(ctx, real), real, runId).preview;
    },

    async 'retrain.start'({ project, runId, includeTest, datasetName }) {
      const real = existingPath(project);
      const db = projectDb(ctx, real);
      const p = plan(db, real, runId);
      if (p.preview.refusal !== null || !p.params || !p.run || !p.dataset) throw new ApiError({ code: 'invalid_input', message: `Cannot retrain: ${p.preview.refusal}`, issues: [{ path: 'runId', message: p.preview.refusal ?? 'cannot retrain' }] });
      const name = datasetName ?? p.preview.datasetName;
      const jobParams: DatasetVersionParams = { ...p.params, project: real, name, includeTest, cacheRoot: join(ctx.dataDir, 'genomes') };
      const dataset = await runDataJob(ctx, real, datasetVersionKind, jobParams, (stored) => storedDataset(db, real, stored));
      const version = dataset.provenance.version as StoredVersion;
      const c = version.changes;
      const run = p.run;
      const summary = await startRun(ctx, {
        project: real,
        datasetId: dataset.id,
        modelId: run.outputModelId!,
        settings: TrainingSettings.parse(run.params.settings),
        name: `${run.params.name} + annotations (${dataset.name})`,
        retrainOf: { parentRunId: run.id, parentName: run.params.name, sameTestSet: c.added.test + c.relabelled.test === 0, before: run.metrics.test ?? null, changes: version.description },
      });
      return { dataset, run: summary };
    },
  };
}
