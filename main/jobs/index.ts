// The job runner of an app context, and what other domains use: `startJob` (training, scans and
// reports call it), `waitForJob` (a CLI command that shows a progress bar), `registerResultStore`
// (a service says how its kind's results are stored: see ./results.ts, which also says how a new
// kind plugs in), `registerJobKind` (in the worker: see ./registry). main/app passes Electron's
// process launcher through `configureJobs` before the services are created.
//
// This layer sits below main/api: it knows an app context only by the members below (the
// services' AppContext has them all), and imports nothing from main/api.
import type { JobInfo } from '../../shared/contract/jobs';
import type { EventBus } from '../node/bus';
import type { Logger } from '../node/log';
import { existingPath } from '../node/paths';
import type { OpenProjects } from '../store/open-projects';
import type { JobKind } from './kind';
import type { ProcessLauncher, WorkerSpec } from './launcher';
import { resultStoreOf } from './results';
import { JobRunner, type RunnerOptions, type StartOptions } from './runner';

/** What the jobs layer needs of an app context. */
export interface JobsHost {
  dataDir: string;
  bus: EventBus;
  log: Logger;
  projects: OpenProjects;
}

export interface JobsConfig {
  launcher?: ProcessLauncher;
  worker?: WorkerSpec;
  /** Extra environment for worker processes. */
  env?: NodeJS.ProcessEnv;
  /** Fine-tuning of the runner (tests shorten the intervals). */
  tuning?: Pick<RunnerOptions, 'progressIntervalMs' | 'dbIntervalMs' | 'logLinesPerSecond' | 'stopGraceMs' | 'pollMs'>;
}

const configs = new WeakMap<JobsHost, JobsConfig>();
const runners = new WeakMap<JobsHost, JobRunner>();

/** Sets how jobs of this context start their processes; call before the first job (or jobRunner call). */
export function configureJobs(ctx: JobsHost, config: JobsConfig): void {
  if (runners.has(ctx)) throw new Error('configureJobs must be called before the job runner is first used');
  configs.set(ctx, config);
}

/** The context's runner, created on first use; it marks jobs left behind by a dead Loci when a project opens. */
export function jobRunner(ctx: JobsHost): JobRunner {
  let runner = runners.get(ctx);
  if (runner) return runner;
  const config = configs.get(ctx) ?? {};
  runner = new JobRunner({
    dataDir: ctx.dataDir,
    bus: ctx.bus,
    log: ctx.log,
    db: (project) => ctx.projects.get(existingPath(project)),
    resolveProject: existingPath,
    stores: (kind) => resultStoreOf(ctx, kind),
    launcher: config.launcher,
    worker: config.worker,
    env: config.env,
    ...config.tuning,
  });
  runners.set(ctx, runner);
  const r = runner;
  ctx.bus.on('project.changed', ({ path, what }) => {
    if (what !== 'opened' && what !== 'created') return;
    try {
      r.recover(path);
    } catch (err) {
      ctx.log.warn(`could not check the jobs of ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  return runner;
}

/**
 * Starts a job of `kind` in `project`; it is queued if the device is busy. Given the kind's protocol,
 * the params are checked against it and the protocol says whether the job needs the device.
 */
export function startJob<P>(ctx: JobsHost, project: string, kind: string | JobKind<P, unknown>, params: P, options?: StartOptions): JobInfo {
  if (typeof kind === 'string') return jobRunner(ctx).start(project, kind, params, options);
  return jobRunner(ctx).start(project, kind.kind, kind.params.parse(params), { device: kind.device, ...options });
}

/** Resolves when the job stops running in this process (done, failed, cancelled, paused, interrupted). */
export function waitForJob(ctx: JobsHost, project: string, jobId: string): Promise<JobInfo> {
  return jobRunner(ctx).wait(project, jobId);
}

/** Asks running jobs to checkpoint and marks them interrupted; call before closing the projects. */
export function shutdownJobs(ctx: JobsHost): void {
  runners.get(ctx)?.shutdown();
}

export { JobRunner, describeExit, formatEta, newJobId, type RunnerOptions, type StartOptions } from './runner';
export { nodeLauncher, utilityProcessLauncher, defaultWorkerSpec, type ProcessLauncher, type WorkerProcess, type WorkerSpec, type UtilityProcessModuleLike } from './launcher';
export type { JobReport, StopReason } from './protocol';
export { defineJobKind, type JobKind } from './kind';
export { registerResultStore, type FinishedJob, type ResultStore } from './results';
