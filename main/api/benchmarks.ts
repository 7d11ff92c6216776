// benchmarks.*: the Models page's "Benchmark" action (see shared/contract/benchmarks.ts). A benchmark
// is one `gue` job (main/engine/gue/job.ts) running `loci gue`'s runner on the task folders the user
// points to, for models of the project; there is no table of its own: the job row is the run (its
// params say what was asked), and the tables are the runner's files in the job's output folder.
import { existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../shared/contract/errors';
import type { BenchmarkDetail, BenchmarkRun } from '../../shared/contract/benchmarks';
import type { JobInfo } from '../../shared/contract/jobs';
import { gueKind, type GueJobParams, type GueJobResult } from '../engine/gue/protocol';
import { findGueTasks } from '../engine/gue/tasks';
import { readGueResultsFile } from '../engine/gue/report';
import { jobRunner, registerResultStore, startJob } from '../jobs/index';
import type { AppContext } from './context';
import type { Services } from './dispatch';
import { createModelServices } from './models';
import { existingPath } from './projects';

type BenchmarkServices = Pick<Services, Extract<keyof Services, `benchmarks.${string}`>>;

const KIND = gueKind.kind;
const RESULTS_JSON = gueKind.files.resultsJson;
const RESULTS_MD = gueKind.files.resultsMarkdown;

function isBenchmarkJob(job: JobInfo): job is JobInfo & { params: GueJobParams } {
  const p = job.params as Partial<GueJobParams> | null;
  return job.kind === KIND && typeof p === 'object' && p !== null && typeof p.outDir === 'string' && Array.isArray(p.models);
}

function summary(job: JobInfo & { params: GueJobParams }): BenchmarkRun {
  const p = job.params;
  return {
    id: job.id,
    state: job.state,
    root: p.root,
    tasks: [...(p.tasks ?? [])],
    models: p.models.map((m) => m.name),
    seeds: [...(p.seeds ?? [42])],
    maxSteps: p.budget?.maxSteps ?? null,
    scratch: p.scratch ?? true,
    pretrained: p.pretrained ?? true,
    fraction: job.fraction,
    message: job.message,
    error: job.error,
    createdAt: job.createdAt,
    endedAt: job.endedAt,
    outDir: p.outDir,
  };
}

function requireRun(ctx: AppContext, project: string, id: string): JobInfo & { params: GueJobParams } {
  let job: JobInfo;
  try {
    job = jobRunner(ctx).get(project, id);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found') throw new ApiError({ code: 'not_found', message: `No benchmark ${id} in ${project}` });
    throw err;
  }
  if (!isBenchmarkJob(job)) throw new ApiError({ code: 'not_found', message: `No benchmark ${id} in ${project} (job ${id} is a ${job.kind} job)` });
  return job;
}

/**
 * How a finished gue job is stored (main/jobs/results.ts): the job row is the benchmark, so its
 * result (the runner's table paths and failed units, checked against the protocol) is all there is
 * to keep. The Models page follows the job's own job.progress events.
 */
function registerBenchmarkStore(ctx: AppContext): void {
  registerResultStore(ctx, gueKind, { commit: (_db, job) => job.result });
}

export function createBenchmarkServices(ctx: AppContext): BenchmarkServices {
  registerBenchmarkStore(ctx);
  return {
    async 'benchmarks.start'(input) {
      const project = existingPath(input.project);
      if (!input.scratch && !input.pretrained) throw new ApiError({ code: 'invalid_input', message: 'Neither the models nor their from-scratch twins are chosen: nothing to run', issues: [{ path: 'scratch', message: 'choose what to train' }] });
      const root = resolve(input.root);
      const isDir = await stat(root).then((s) => s.isDirectory(), () => false);
      if (!isDir) throw new ApiError({ code: 'invalid_input', message: `${root}: no such folder`, issues: [{ path: 'root', message: `${root}: no such folder` }] });
      // The same checks the runner makes, now, so a wrong folder or task name is said before a job starts.
      try {
        await findGueTasks(root, input.tasks);
      } catch (e) {
        const message = (e as Error).message;
        throw new ApiError({ code: 'invalid_input', message, issues: [{ path: input.tasks.length ? 'tasks' : 'root', message }] });
      }
      const models = createModelServices(ctx);
      const chosen = [];
      for (const id of [...new Set(input.modelIds)]) {
        const m = await models['models.get']({ project, id });
        if (m.status !== 'ok' || !m.path) throw new ApiError({ code: 'invalid_input', message: `Model "${m.name}" cannot be used: ${m.statusDetail}`, issues: [{ path: 'modelIds', message: `"${m.name}": ${m.statusDetail}` }] });
        chosen.push({ id: m.id, name: m.name, dir: m.path });
      }
      const names = chosen.map((m) => m.name);
      if (new Set(names).size !== names.length) throw new ApiError({ code: 'invalid_input', message: 'Two chosen models have the same name; rename one first', issues: [{ path: 'modelIds', message: 'two models with the same name' }] });
      const published = join(dirname(root), 'SOURCES.md');
      const params: GueJobParams = {
        root,
        tasks: input.tasks,
        models: chosen.map(({ name, dir }) => ({ name, dir })),
        modelIds: chosen.map((m) => m.id),
        scratch: input.scratch,
        pretrained: input.pretrained,
        mode: 'full',
        budget: input.maxSteps !== undefined ? { maxSteps: input.maxSteps } : {},
        seeds: input.seeds,
        outDir: join(ctx.dataDir, 'benchmarks', randomUUID().slice(0, 12)),
        publishedPath: existsSync(published) ? published : null,
        parallel: 'auto',
        backend: 'auto',
      };
      const job = startJob(ctx, project, gueKind, params);
      ctx.log.info(`benchmark ${job.id}: ${names.join(', ')} on ${root}${input.tasks.length ? ` (${input.tasks.join(', ')})` : ''} -> ${params.outDir}`);
      return summary(requireRun(ctx, project, job.id));
    },

    async 'benchmarks.list'({ project }) {
      const real = existingPath(project);
      return jobRunner(ctx)
        .list(real)
        .filter(isBenchmarkJob)
        .map(summary)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },

    async 'benchmarks.get'({ project, id }): Promise<BenchmarkDetail> {
      const job = requireRun(ctx, existingPath(project), id);
      const run = summary(job);
      const md = join(run.outDir, RESULTS_MD);
      const result = job.result as Partial<GueJobResult> | null;
      const json = join(run.outDir, RESULTS_JSON);
      let results;
      try {
        results = readGueResultsFile(json);
      } catch (e) {
        throw new ApiError({ code: 'bad_file', message: (e as Error).message, file: json });
      }
      return {
        ...run,
        results,
        markdown: existsSync(md) ? readFileSync(md, 'utf8') : null,
        failures: Array.isArray(result?.failures) ? result.failures : [],
      };
    },
  };
}
