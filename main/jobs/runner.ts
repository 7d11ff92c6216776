// The job runner, in the serving process (Electron main, `loci serve`, a CLI command): it keeps each
// job's row in its project's `jobs` table up to date, starts one worker process per job run, forwards
// progress and log lines to the event bus (throttled) and the job's log file, carries out cancel,
// pause and resume, runs jobs that need the compute device one at a time, and on opening a project
// marks the jobs a dead Loci left `running` as `interrupted`.
//
// Only this process writes the project file; the worker talks to it over IPC. A worker that
// crashes, runs out of memory or is killed takes nothing down with it: its job becomes `failed`
// with the exit code or signal and the last lines of its log. A worker that finishes has its
// result stored by `finish` (the job-result mechanism: ./results.ts).
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../shared/contract/errors';
import type { JobProgress } from '../../shared/contract/events';
import type { JobInfo, JobLogTail, JobState } from '../../shared/contract/jobs';
import type { EventBus } from '../node/bus';
import type { Logger } from '../node/log';
import type { Db } from '../store/project-file';
import { defaultWorkerSpec, nodeLauncher, type ProcessLauncher, type WorkerProcess, type WorkerSpec } from './launcher';
import { readDone, writeFailure } from './files';
import { JobLogFile, LineSplitter, tailFile } from './log-file';
import type { FromWorker, JobReport, LogLevel, StopReason } from './protocol';
import { JobQueue } from './queue';
import { isOwnerAlive, pidAlive, registerRunner, unregisterRunner } from './owners';
import { assertTransition, isActive } from './states';
import { checkResult, commitResult, type KindEntry } from './results';
import { getJob, insertJob, listJobs, publicJob, updateJob, type JobPatch, type StoredJob } from './store';
import { RateGate, systemClock, Throttle, type Clock } from './throttle';

export interface RunnerOptions {
  dataDir: string;
  bus: EventBus;
  log: Logger;
  /** The open database of a project, by the path the caller gave. */
  db(project: string): Db;
  /** The canonical path of a project (symlinks resolved), so one project has one key. */
  resolveProject?(project: string): string;
  /** How a kind's results are stored (./results.ts); a kind without one is done when its worker is. */
  stores?(kind: string): KindEntry | undefined;
  launcher?: ProcessLauncher;
  worker?: WorkerSpec;
  /** Extra environment for workers (tests: LOCI_JOB_MODULES). */
  env?: NodeJS.ProcessEnv;
  /** Progress events per job at most every this many ms (default 100: 10 per second). */
  progressIntervalMs?: number;
  /** Progress written to the project at most every this many ms (default 1000). */
  dbIntervalMs?: number;
  /** Log lines per job per second sent to the bus (the file gets all). Default 50. */
  logLinesPerSecond?: number;
  /** How long a stopped job gets to save its checkpoint before its process is killed (default 60 s). */
  stopGraceMs?: number;
  /** How often to look for a cancel/pause asked by another process (default 1000 ms). */
  pollMs?: number;
  clock?: Clock;
}

export interface StartOptions {
  /** Needs the compute device: runs after the device jobs queued before it. Default true. */
  device?: boolean;
  /**
   * Links the new job to the row its result belongs to (a run's job_id, a scan's), in the
   * transaction that inserts the job: a crash can never leave a job whose result has no row to go
   * to (the store would find none and the job would end done with nothing stored).
   */
  link?: (db: Db, jobId: string) => void;
}

interface Active {
  id: string;
  project: string;
  kind: string;
  device: boolean;
  child: WorkerProcess | null;
  logFile: JobLogFile;
  outcome: FromWorker | null;
  stopping: StopReason | null;
  killTimer: NodeJS.Timeout | null;
  bus: Throttle<JobProgress>;
  store: Throttle<JobPatch>;
  logGate: RateGate;
  /** For the ETA when the job gives none: its first report of this run. */
  firstReport: { at: number; step: number } | null;
  last: Pick<JobInfo, 'fraction' | 'step' | 'total' | 'etaSeconds' | 'metrics' | 'message'>;
}

interface QueuedJob {
  id: string;
  project: string;
  device: boolean;
}

const STOP_MESSAGE: Record<StopReason, string> = {
  cancel: 'Cancelling',
  pause: 'Pausing: saving a checkpoint',
  interrupt: 'Loci is closing: saving a checkpoint',
};
/** How long a cancelled job may take to stop on its own before its process is killed. */
export const CANCEL_GRACE_MS = 1500;
const FINAL_STATE: Record<StopReason, JobState> = { cancel: 'cancelled', pause: 'paused', interrupt: 'interrupted' };
const STOPPED_MESSAGE: Record<StopReason, string> = {
  cancel: 'Cancelled',
  pause: 'Paused; resume continues from the checkpoint',
  interrupt: 'Interrupted when Loci closed; resume continues from the last checkpoint',
};

export class JobRunner {
  /** This runner instance; stored with the jobs it owns. */
  readonly id = randomUUID();
  private readonly queue = new JobQueue<QueuedJob>();
  private readonly active = new Map<string, Active>();
  private readonly waiters = new Map<string, ((job: JobInfo) => void)[]>();
  /** Jobs whose worker finished and whose result this runner is storing. */
  private readonly finishing = new Map<string, Promise<void>>();
  private readonly launcher: ProcessLauncher;
  private workerSpec: WorkerSpec | undefined;
  private readonly clock: Clock;
  private pollTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly opts: RunnerOptions) {
    this.launcher = opts.launcher ?? nodeLauncher;
    this.workerSpec = opts.worker;
    this.clock = opts.clock ?? systemClock;
    registerRunner(this.id);
  }

  // ---------------------------------------------------------------- queries

  list(project: string, filter: { states?: readonly JobState[]; limit?: number } = {}): JobInfo[] {
    const path = this.path(project);
    this.recover(path);
    return listJobs(this.opts.db(path), path, filter).map(publicJob);
  }

  get(project: string, jobId: string): JobInfo {
    return publicJob(this.stored(project, jobId));
  }

  log(project: string, jobId: string, tail = 200): JobLogTail {
    const job = this.stored(project, jobId);
    if (!job.logPath) return { jobId, path: null, lines: [], truncated: false };
    return { jobId, path: job.logPath, ...tailFile(job.logPath, tail) };
  }

  /** Resolves when the job stops running in this runner (done, failed, cancelled, paused, interrupted). */
  wait(project: string, jobId: string): Promise<JobInfo> {
    const job = this.get(project, jobId);
    if (!this.active.has(jobId) && !this.queue.has(jobId) && !this.finishing.has(jobId)) return Promise.resolve(job);
    return new Promise((resolve) => {
      const list = this.waiters.get(jobId) ?? [];
      list.push(resolve);
      this.waiters.set(jobId, list);
    });
  }

  // ---------------------------------------------------------------- commands

  /** Records a new job as queued and starts it as soon as the queue allows. */
  start(project: string, kind: string, params: unknown, options: StartOptions = {}): JobInfo {
    this.assertOpen();
    if (!kind.trim()) throw new ApiError({ code: 'invalid_input', message: 'A job needs a kind', issues: [{ path: 'kind', message: 'required' }] });
    const path = this.path(project);
    const db = this.opts.db(path);
    const id = newJobId();
    const device = options.device ?? true;
    db.transaction(() => {
      insertJob(db, {
        id,
        kind,
        params: params ?? {},
        device,
        logPath: join(this.opts.dataDir, 'logs', `${id}.log`),
        checkpointDir: join(this.opts.dataDir, 'checkpoints', id),
        runnerId: this.id,
        runnerPid: process.pid,
        now: this.now(),
      });
      options.link?.(db, id);
    }).immediate();
    const job = this.stored(path, id);
    this.emitState(job);
    this.queue.enqueue({ id, project: path, device });
    this.pump();
    return this.get(path, id);
  }

  cancel(project: string, jobId: string): JobInfo {
    return this.stopJob(project, jobId, 'cancel');
  }

  pause(project: string, jobId: string): JobInfo {
    return this.stopJob(project, jobId, 'pause');
  }

  /** Queues a paused, interrupted or failed job again; its handler finds its checkpoint and continues. */
  resume(project: string, jobId: string): JobInfo {
    this.assertOpen();
    const path = this.path(project);
    this.recover(path);
    const job = this.stored(path, jobId);
    assertTransition(jobId, job.state, 'queued');
    if (job.workerPid !== null && pidAlive(job.workerPid) && !this.active.has(jobId)) {
      // A worker orphaned by a crashed Loci may still be writing its checkpoint.
      throw new ApiError({ code: 'conflict', message: `Job ${jobId}'s previous process (pid ${job.workerPid}) is still saving its checkpoint; try again in a moment` });
    }
    const done = this.write(path, jobId, {
      state: 'queued',
      message: 'Waiting to start (resuming)',
      error: null,
      etaSeconds: null,
      queuedAt: this.now(),
      endedAt: null,
      runnerId: this.id,
      runnerPid: process.pid,
      workerPid: null,
      requested: null,
    }, job.state);
    if (!done) throw new ApiError({ code: 'conflict', message: `Job ${jobId} changed while resuming it; try again` });
    this.emitState(this.stored(path, jobId));
    this.queue.enqueue({ id: jobId, project: path, device: job.device });
    this.pump();
    return this.get(path, jobId);
  }

  /**
   * Marks the jobs of `project` that a Loci process left behind as interrupted: `running` or
   * `queued` but owned by a runner that no longer exists (the app was killed, or crashed). One
   * whose worker had finished (done.json) is claimed by this runner and its result stored.
   */
  recover(project: string): JobInfo[] {
    const path = this.path(project);
    const db = this.opts.db(path);
    const recovered: JobInfo[] = [];
    for (const job of listJobs(db, path, { states: ['running', 'queued'] })) {
      if (job.runnerId === this.id && (this.active.has(job.id) || this.queue.has(job.id) || this.finishing.has(job.id))) continue;
      if (job.runnerId !== this.id && isOwnerAlive(job.runnerId, job.runnerPid)) continue;
      const done = job.state === 'running' && !this.closed ? readDone(job.checkpointDir) : null;
      if (done) {
        // Two Loci may claim it at once; only the one whose id is on the row when it commits stores it.
        const claimed = this.write(path, job.id, { runnerId: this.id, runnerPid: process.pid, workerPid: null, message: 'Finished while no Loci was watching; saving its result' }, 'running');
        if (claimed) this.finish(path, job.id, done.result);
        continue;
      }
      const message =
        job.state === 'running'
          ? 'Interrupted: Loci stopped while this job ran; resume continues from its last checkpoint'
          : 'Interrupted: Loci stopped before this job started; resume queues it again';
      if (this.write(path, job.id, { state: 'interrupted', message, endedAt: this.now(), etaSeconds: null, requested: null }, job.state)) {
        const now = this.stored(path, job.id);
        this.emitState(now);
        recovered.push(publicJob(now));
      }
    }
    return recovered;
  }

  /**
   * Stops everything this runner runs, for quitting: running jobs are asked to checkpoint and marked
   * interrupted (resumable), queued ones too. Synchronous, so it fits a close hook; the workers
   * finish saving on their own and are killed after the grace period if they hang.
   */
  shutdown(): void {
    if (this.closed) return;
    for (const id of this.queue.pending) {
      const item = this.queuedItem(id);
      this.queue.remove(id);
      if (item) this.finalWrite(item.project, id, { state: 'interrupted', message: 'Interrupted: Loci closed before this job started; resume queues it again', endedAt: this.now() }, 'queued');
    }
    for (const a of this.active.values()) {
      this.stop(a, 'interrupt');
      a.store.flush();
      this.finalWrite(a.project, a.id, { state: 'interrupted', message: STOPPED_MESSAGE.interrupt, endedAt: this.now(), etaSeconds: null }, 'running');
      a.bus.cancel();
    }
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    unregisterRunner(this.id);
    for (const [id, list] of this.waiters) {
      const a = this.active.get(id);
      const job = a ? this.tryStored(a.project, id) : null;
      if (job) for (const w of list) w(publicJob(job));
    }
    this.waiters.clear();
  }

  /** Like shutdown, then waits until every worker has exited and every result being stored is (tests, and a CLI that wants to exit cleanly). */
  async shutdownAndWait(): Promise<void> {
    const children = [...this.active.values()].map((a) => a.child).filter((c): c is WorkerProcess => c !== null);
    const exited = children.map((c) => new Promise<void>((resolve) => c.onExit(() => resolve())));
    const storing = [...this.finishing.values()];
    this.shutdown();
    await Promise.all([...exited, ...storing]);
  }

  /** Jobs this runner is running or has queued (for tests and the status bar). */
  get busy(): { running: string[]; queued: string[]; deviceJob: string | null } {
    return { running: [...this.active.keys()], queued: this.queue.pending, deviceJob: this.queue.deviceJob };
  }

  // ---------------------------------------------------------------- internals

  private stopJob(project: string, jobId: string, reason: 'cancel' | 'pause'): JobInfo {
    this.assertOpen();
    const path = this.path(project);
    this.recover(path);
    const job = this.stored(path, jobId);
    const target = FINAL_STATE[reason];
    assertTransition(jobId, job.state, target);
    const mine = this.active.get(jobId);
    if (mine) {
      this.stop(mine, reason);
      return this.get(path, jobId);
    }
    if (this.queue.remove(jobId)) {
      this.finalWrite(path, jobId, { state: target, message: reason === 'cancel' ? 'Cancelled before it started' : 'Paused before it started', endedAt: this.now() }, 'queued');
      this.pump();
      return this.get(path, jobId);
    }
    if (isActive(job.state)) {
      // Queued or running in another live Loci process: ask it through the project file.
      this.write(path, jobId, { requested: reason, message: `${reason === 'cancel' ? 'Cancel' : 'Pause'} requested; the Loci process running it (pid ${job.runnerPid ?? '?'}) will carry it out` });
      return this.get(path, jobId);
    }
    this.finalWrite(path, jobId, { state: target, message: reason === 'cancel' ? 'Cancelled' : 'Paused', endedAt: this.now() }, job.state);
    return this.get(path, jobId);
  }

  private stop(a: Active, reason: StopReason): void {
    if (a.stopping) {
      // A cancel during a pause (or Loci closing during either) changes what the job ends as.
      if (reason === 'cancel' || reason === 'interrupt') a.stopping = reason;
      return;
    }
    a.stopping = reason;
    a.child?.send({ type: 'stop', reason });
    a.logFile.note('info', `${reason} requested`);
    if (!this.closed) this.write(a.project, a.id, { message: STOP_MESSAGE[reason] });
    a.last.message = STOP_MESSAGE[reason];
    this.emitActive(a, 'running');
    // A cancelled job is never resumed and its checkpoints are already on disk (written atomically),
    // so it has nothing to save: it gets a moment to stop between steps, then its process is killed
    // (an evaluation or embedding pass can take a minute on a CPU).
    const wait = reason === 'cancel' ? Math.min(CANCEL_GRACE_MS, this.grace()) : this.grace();
    a.killTimer = setTimeout(() => {
      a.logFile.note(reason === 'cancel' ? 'info' : 'warn', `the job did not stop within ${(wait / 1000).toFixed(1)} s of the ${reason} request; killing its process`);
      a.child?.kill('SIGKILL');
    }, wait);
    a.killTimer.unref();
  }

  private pump(): void {
    if (this.closed) return;
    for (const item of this.queue.takeStartable()) {
      try {
        this.launch(item);
      } catch (err) {
        this.queue.release(item.id);
        const message = err instanceof Error ? err.message : String(err);
        this.opts.log.error(`could not start job ${item.id}: ${message}`);
        this.finalWrite(item.project, item.id, { state: 'failed', error: `Could not start the job's process: ${message}`, message: 'Failed to start', endedAt: this.now() }, 'queued');
      }
    }
    this.updatePolling();
  }

  private launch(item: QueuedJob): void {
    const job = this.stored(item.project, item.id);
    const attempt = job.attempts + 1;
    const started = this.write(item.project, item.id, {
      state: 'running',
      attempts: attempt,
      startedAt: this.now(),
      endedAt: null,
      error: null,
      message: 'Starting',
      runnerId: this.id,
      runnerPid: process.pid,
      requested: null,
    }, 'queued');
    if (!started) {
      this.queue.release(item.id);
      return;
    }
    const checkpointDir = job.checkpointDir ?? join(this.opts.dataDir, 'checkpoints', item.id);
    const done = readDone(checkpointDir);
    if (done) {
      // Its worker finished in an earlier run but the result was not stored (a crash, or a store
      // that failed): store it now rather than doing the work again.
      this.queue.release(item.id);
      this.finish(item.project, item.id, done.result);
      return;
    }
    mkdirSync(checkpointDir, { recursive: true });
    const logFile = new JobLogFile(job.logPath ?? join(this.opts.dataDir, 'logs', `${item.id}.log`));
    logFile.note('info', `run ${attempt} of job ${item.id} (${job.kind}) started`);
    const interval = this.opts.progressIntervalMs ?? 100;
    const a: Active = {
      id: item.id,
      project: item.project,
      kind: job.kind,
      device: job.device,
      child: null,
      logFile,
      outcome: null,
      stopping: null,
      killTimer: null,
      bus: new Throttle<JobProgress>(interval, (p) => this.opts.bus.emit('job.progress', p), this.clock),
      store: new Throttle<JobPatch>(this.opts.dbIntervalMs ?? 1000, (patch) => this.write(item.project, item.id, patch, 'running'), this.clock),
      logGate: new RateGate(this.opts.logLinesPerSecond ?? 50, this.clock),
      firstReport: null,
      last: { fraction: job.fraction, step: job.step, total: job.total, etaSeconds: null, metrics: job.metrics, message: 'Starting' },
    };
    this.active.set(item.id, a);
    this.emitActive(a, 'running');

    this.workerSpec ??= defaultWorkerSpec();
    const child = this.launcher.launch({
      ...this.workerSpec,
      env: { ...process.env, ...this.opts.env, LOCI_JOB_ID: item.id },
      name: `Loci job: ${job.kind}`,
    });
    a.child = child;
    const splitters = {
      stdout: new LineSplitter((line) => this.onLog(a, 'info', line)),
      stderr: new LineSplitter((line) => this.onLog(a, 'warn', line)),
    };
    child.onOutput((stream, text) => splitters[stream].push(text));
    child.onMessage((m) => this.onMessage(a, m));
    child.onExit((code, signal) => {
      splitters.stdout.end();
      splitters.stderr.end();
      this.onExit(a, code, signal);
    });
    if (child.pid !== undefined) this.write(item.project, item.id, { workerPid: child.pid });
    child.send({ type: 'start', jobId: item.id, kind: job.kind, params: job.params, checkpointDir, attempt });
  }

  private onMessage(a: Active, m: FromWorker): void {
    if (this.closed) return;
    switch (m.type) {
      case 'progress':
        return this.onProgress(a, m.report);
      case 'log':
        for (const { level, line } of m.lines) this.onLog(a, level, line);
        return;
      case 'done':
      case 'stopped':
      case 'failed':
        a.outcome = m;
        return;
    }
  }

  private onLog(a: Active, level: LogLevel, line: string): void {
    const at = new Date(this.clock.now()).toISOString();
    a.logFile.write(level, line, at);
    if (this.closed) return;
    const pass = a.logGate.admit((dropped) =>
      this.opts.bus.emit('job.log', { jobId: a.id, level: 'info', line: `(${dropped} more lines; see the log file ${a.logFile.path})`, at }),
    );
    if (pass) this.opts.bus.emit('job.log', { jobId: a.id, level, line, at });
  }

  private onProgress(a: Active, r: JobReport): void {
    const now = this.clock.now();
    const step = finite(r.step) ? Math.round(r.step) : a.last.step;
    const total = finite(r.total) ? Math.round(r.total) : a.last.total;
    let fraction = finite(r.fraction) ? clamp01(r.fraction) : step !== null && total ? clamp01(step / total) : a.last.fraction;
    if (fraction !== null && !Number.isFinite(fraction)) fraction = null;
    if (step !== null && a.firstReport === null) a.firstReport = { at: now, step };
    let eta: number | null = finite(r.etaSeconds) ? Math.max(0, r.etaSeconds) : null;
    if (eta === null && step !== null && total && a.firstReport && step > a.firstReport.step) {
      const perStep = (now - a.firstReport.at) / 1000 / (step - a.firstReport.step);
      eta = Math.max(0, (total - step) * perStep);
    }
    const metrics: Record<string, number> = { ...a.last.metrics };
    for (const [k, v] of Object.entries({ loss: r.loss, lr: r.lr, tokensPerSec: r.tokensPerSec, ...r.metrics })) if (finite(v)) metrics[k] = v;
    const message = a.stopping ? STOP_MESSAGE[a.stopping] : (r.message ?? defaultMessage(step, total, metrics.loss, eta));
    a.last = { fraction, step, total, etaSeconds: eta, metrics, message };
    a.bus.push(this.progressPayload(a, 'running'));
    a.store.push({ fraction, step, total, etaSeconds: eta, metrics, message });
  }

  private onExit(a: Active, code: number | null, signal: NodeJS.Signals | null): void {
    if (a.killTimer) clearTimeout(a.killTimer);
    this.active.delete(a.id);
    const outcome = a.outcome;
    // A device job that finished holds the device until its result is stored (finish releases it),
    // so the next one starts after this one has ended.
    if (outcome?.type !== 'done' || a.stopping === 'cancel' || this.closed) this.queue.release(a.id);
    const exitText = signal ? `signal ${signal}` : `exit code ${code}`;
    a.logFile.note(outcome?.type === 'failed' || (!outcome && !a.stopping) ? 'error' : 'info', `run ended: ${outcome?.type ?? 'no result'} (${exitText})`);
    if (outcome?.type === 'failed' && outcome.stack) a.logFile.note('error', outcome.stack);
    void a.logFile.close();
    if (this.closed) return; // shutdown already recorded the job as interrupted

    a.store.flush();
    a.bus.flush();
    const now = this.now();
    let patch: JobPatch;
    if (outcome?.type === 'done' && a.stopping !== 'cancel') {
      this.write(a.project, a.id, { workerPid: null, requested: null }, 'running');
      this.finish(a.project, a.id, outcome.result);
      this.pump();
      return;
    } else if (outcome?.type === 'stopped' || (outcome?.type === 'done' && a.stopping === 'cancel')) {
      const reason = outcome.type === 'stopped' ? outcome.reason : 'cancel';
      patch = { state: FINAL_STATE[reason], etaSeconds: null, message: STOPPED_MESSAGE[reason] };
    } else if (outcome?.type === 'failed') {
      patch = { state: 'failed', etaSeconds: null, message: 'Failed', error: withLastLines(outcome.message, a.logFile.lastLines(10)) };
    } else if (a.stopping) {
      // Killed after it did not stop in time: the last periodic checkpoint is what a resume gets.
      const state: JobState = a.stopping === 'cancel' ? 'cancelled' : 'interrupted';
      patch = { state, etaSeconds: null, message: state === 'cancelled' ? 'Cancelled' : 'Interrupted: its process did not stop in time and was killed; resume continues from its last checkpoint' };
    } else {
      patch = { state: 'failed', etaSeconds: null, message: 'Failed', error: withLastLines(describeExit(code, signal, a.logFile.lastLines(40)), a.logFile.lastLines(10)) };
    }
    this.finalWrite(a.project, a.id, { ...patch, endedAt: now, workerPid: null, requested: null }, 'running');
    this.pump();
  }

  /**
   * Stores the result of a job whose worker finished (`result`: what its handler returned), once:
   * see ./results.ts. The job stays `running` until the one transaction marks it `done`; a store
   * that throws marks it `failed` (resume tries again). Tracked in `finishing` meanwhile.
   */
  private finish(project: string, jobId: string, result: unknown): void {
    if (this.finishing.has(jobId)) return;
    // Started a tick later, so `finishing` holds it before anything can announce the job's end.
    const p = Promise.resolve()
      .then(() => this.storeResult(project, jobId, result))
      .finally(() => {
        this.finishing.delete(jobId);
        this.queue.release(jobId);
        // Not stored by this runner (another Loci got to it first): those waiting here hear how it stands.
        const list = this.active.has(jobId) || this.queue.has(jobId) ? [] : (this.waiters.get(jobId) ?? []);
        const job = list.length ? this.tryStored(project, jobId) : null;
        if (job) {
          this.waiters.delete(jobId);
          for (const w of list) w(publicJob(job));
        }
        this.pump();
      });
    this.finishing.set(jobId, p);
  }

  private async storeResult(project: string, jobId: string, result: unknown): Promise<void> {
    const job = this.tryStored(project, jobId);
    if (!job || job.state !== 'running' || job.runnerId !== this.id) return;
    const entry = this.opts.stores?.(job.kind);
    if (entry) {
      this.write(project, jobId, { message: 'Saving the result into the project', fraction: 1, etaSeconds: 0 }, 'running');
      const saving = this.tryStored(project, jobId);
      if (saving && !this.closed) this.emitState(saving);
    }
    try {
      const finished = checkResult(entry, publicJob(job), result);
      const prepared = entry?.store.prepare ? await entry.store.prepare(finished) : undefined;
      if (!commitResult(this.opts.db(project), this.id, finished, entry?.store, prepared, this.now())) return;
      const stored = this.tryStored(project, jobId);
      if (!stored) return;
      if (entry?.store.stored) {
        try {
          await entry.store.stored(publicJob(stored));
        } catch (err) {
          this.opts.log.warn(`job ${jobId} (${job.kind}): its result is stored, but tidying up after it failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      this.announce(jobId, stored);
    } catch (err) {
      if (this.closed) return; // the projects are closing: the next Loci finds done.json and stores it
      const message = err instanceof Error ? err.message : String(err);
      // A user's problem (a name taken meanwhile, a removed genome) is the job's error; anything else is ours, so log it too.
      if (!(err instanceof ApiError)) this.opts.log.warn(`job ${jobId} (${job.kind}) finished but its result could not be stored in ${project}: ${message}`);
      if (job.checkpointDir) writeFailure(job.checkpointDir, err);
      this.finalWrite(project, jobId, {
        state: 'failed',
        message: 'Finished, but its result could not be stored',
        error: `${message}\nThe job's work is kept: resume it to try storing the result again, or cancel it.`,
        etaSeconds: null,
        endedAt: this.now(),
        workerPid: null,
        requested: null,
      }, 'running');
    }
  }

  /** Writes a job's final state of this run, emits it, and wakes those waiting on it. */
  private finalWrite(project: string, jobId: string, patch: JobPatch, from: JobState): void {
    if (patch.state) assertTransition(jobId, from, patch.state);
    if (!this.write(project, jobId, patch, from)) return;
    const job = this.tryStored(project, jobId);
    if (!job) return;
    // Those waiting hear of it once its kind's store has removed what it made, so a caller that
    // sees `cancelled` finds the files gone (the UI hears of the state at once).
    const discarding = job.state === 'cancelled' ? this.discard(job) : null;
    if (!discarding || this.finishing.has(jobId)) return this.announce(jobId, job);
    if (!this.closed) this.emitState(job);
    const p = discarding.finally(() => {
      this.finishing.delete(jobId);
      this.announce(jobId, this.tryStored(project, jobId) ?? job);
    });
    this.finishing.set(jobId, p);
  }

  /** Emits a job's new state and, once it no longer runs, wakes those waiting on it. */
  private announce(jobId: string, job: StoredJob): void {
    if (!this.closed) this.emitState(job);
    if (!isActive(job.state)) {
      this.queue.release(jobId); // a job that ended holds the device no longer
      const list = this.waiters.get(jobId) ?? [];
      this.waiters.delete(jobId);
      for (const w of list) w(publicJob(job));
    }
  }

  /** A job cancelled for good: its kind's store removes what it made (best effort; never rejects). Null when the kind has nothing to remove. */
  private discard(job: StoredJob): Promise<void> | null {
    const discard = this.opts.stores?.(job.kind)?.store.discard;
    if (!discard) return null;
    const failed = (err: unknown) => this.opts.log.warn(`job ${job.id} (${job.kind}) was cancelled, but removing its files failed: ${err instanceof Error ? err.message : String(err)}`);
    return Promise.resolve()
      .then(() => discard(publicJob(job)))
      .catch(failed);
  }

  private write(project: string, jobId: string, patch: JobPatch, onlyIfState?: JobState): boolean {
    try {
      return updateJob(this.opts.db(project), jobId, patch, this.now(), onlyIfState);
    } catch (err) {
      // The project may have been deleted or closed under a running job; the job's own process is unaffected.
      this.opts.log.warn(`could not record job ${jobId} in ${project}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  private emitActive(a: Active, state: JobState): void {
    a.bus.flush();
    this.opts.bus.emit('job.progress', this.progressPayload(a, state));
  }

  private progressPayload(a: Active, state: JobState): JobProgress {
    return { jobId: a.id, kind: a.kind, project: a.project, state, error: null, ...a.last };
  }

  private emitState(job: StoredJob): void {
    const payload: JobProgress = {
      jobId: job.id,
      kind: job.kind,
      project: job.project,
      state: job.state,
      fraction: job.fraction,
      message: job.message,
      etaSeconds: job.etaSeconds,
      metrics: job.metrics,
      step: job.step,
      total: job.total,
      error: job.error,
    };
    this.opts.bus.emit('job.progress', payload);
  }

  /** While jobs run here, looks for cancel/pause requests that other Loci processes wrote in the project. */
  private updatePolling(): void {
    const want = this.active.size > 0 || this.queue.pending.length > 0;
    if (want && !this.pollTimer && !this.closed) {
      this.pollTimer = setInterval(() => this.poll(), this.opts.pollMs ?? 1000);
      this.pollTimer.unref();
    } else if (!want && this.pollTimer) {
      clearInterval(this.pollTimer);
      this.pollTimer = null;
    }
  }

  private poll(): void {
    const mine = [...this.active.values()].map((a) => ({ id: a.id, project: a.project })).concat(this.queue.pending.map((id) => this.queuedItem(id)).filter((q): q is QueuedJob => q !== undefined));
    for (const { id, project } of mine) {
      const job = this.tryStored(project, id);
      if (!job?.requested) continue;
      this.write(project, id, { requested: null });
      try {
        this.stopJob(project, id, job.requested);
      } catch (err) {
        this.opts.log.warn(`could not ${job.requested} job ${id}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.updatePolling();
  }

  private queuedItem(id: string): QueuedJob | undefined {
    return this.queue.get(id);
  }

  private stored(project: string, jobId: string): StoredJob {
    const path = this.path(project);
    const job = getJob(this.opts.db(path), path, jobId);
    if (!job) throw new ApiError({ code: 'not_found', message: `No job ${jobId} in ${path}` });
    return job;
  }

  private tryStored(project: string, jobId: string): StoredJob | null {
    try {
      return getJob(this.opts.db(project), project, jobId);
    } catch {
      return null;
    }
  }

  private path(project: string): string {
    return this.opts.resolveProject ? this.opts.resolveProject(project) : project;
  }

  private grace(): number {
    return this.opts.stopGraceMs ?? 60_000;
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private assertOpen(): void {
    if (this.closed) throw new ApiError({ code: 'conflict', message: 'Loci is closing; no new jobs can start' });
  }
}

/** Sortable, unique and readable: job-20240611-153012-1a2b3c4d. */
export function newJobId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `job-${stamp}-${randomUUID().slice(0, 8)}`;
}

function finite(v: number | undefined | null): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

export function formatEta(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

function defaultMessage(step: number | null, total: number | null, loss: number | undefined, eta: number | null): string {
  const parts: string[] = [];
  if (step !== null) parts.push(total ? `step ${step}/${total}` : `step ${step}`);
  if (loss !== undefined) parts.push(`loss ${loss.toPrecision(4)}`);
  if (eta !== null) parts.push(`${formatEta(eta)} left`);
  return parts.length ? parts.join(', ') : 'Running';
}

const OOM_PATTERNS = [/heap out of memory/i, /Reached heap limit/i, /Allocation failed/i, /out of memory/i, /OOM/, /std::bad_alloc/, /Cannot allocate memory/i];

/** Why a worker ended without saying so, in words a biologist can act on. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null, lastLines: readonly string[]): string {
  const oom = lastLines.some((l) => OOM_PATTERNS.some((p) => p.test(l)));
  if (oom) {
    return `The job ran out of memory (${signal ? `signal ${signal}` : `exit code ${code}`}). Try a smaller batch size or sequence length, or close other programs`;
  }
  if (signal === 'SIGKILL' || code === 137) {
    return 'The job\'s process was killed (SIGKILL); the system may have run out of memory. Resume continues from its last checkpoint';
  }
  if (signal) return `The job's process was stopped by signal ${signal}`;
  return `The job's process exited unexpectedly with exit code ${code}`;
}

function withLastLines(message: string, lines: readonly string[]): string {
  const tail = lines.slice(-10);
  return tail.length ? `${message}\nLast lines of its log:\n${tail.join('\n')}` : message;
}
