// The worker side of a job: waits for the runner's `start`, loads the job kind's handler, runs it
// with a progress reporter, a logger and an AbortSignal, and tells the runner how it ended. It talks
// to the runner over Node's IPC channel (child_process.fork) or Electron's parentPort
// (utilityProcess.fork); both look the same from here.
import { mkdirSync } from 'node:fs';
import { delimiter } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeDone, writeFailure } from './files';
import type { FromWorker, JobReport, LogLevel, StopReason, ToWorker } from './protocol';
import { jobHandler, type JobContext } from './registry';
import { Throttle } from './throttle';

/** Progress messages to the runner at most this often (the runner throttles the UI further). */
const PROGRESS_INTERVAL_MS = 50;
const LOG_FLUSH_MS = 50;
const LOG_BATCH = 200;
/** After the runner disappears, how long the handler gets to checkpoint before the worker exits anyway. */
const ORPHAN_GRACE_MS = 30_000;

export interface ParentChannel {
  send(message: FromWorker): Promise<void>;
  onMessage(listener: (message: ToWorker) => void): void;
  /** The runner went away (crashed or was killed). */
  onDisconnect(listener: () => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

/** The channel to the runner: Electron's parentPort inside a utility process, else Node's IPC. */
export function parentChannel(): ParentChannel {
  const port = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (port) {
    return {
      send: async (m) => port.postMessage(m),
      onMessage: (l) => port.on('message', (e) => l(e.data as ToWorker)),
      // Electron ends utility processes with their parent, so there is nothing to watch.
      onDisconnect: () => {},
    };
  }
  if (!process.send) throw new Error('The job worker must be started by the Loci job runner (it has no IPC channel)');
  return {
    send: (m) =>
      new Promise((resolve) => {
        if (!process.connected) return resolve();
        // A closed channel here means the runner is gone; the message has nobody to go to.
        process.send!(m, undefined, {}, () => resolve());
      }),
    onMessage: (l) => process.on('message', (m) => l(m as ToWorker)),
    onDisconnect: (l) => process.on('disconnect', l),
  };
}

/** Imports the modules named in LOCI_JOB_MODULES (test-only job kinds), separated like PATH. */
export async function loadExtraModules(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  for (const path of (env.LOCI_JOB_MODULES ?? '').split(delimiter).filter(Boolean)) {
    await import(pathToFileURL(path).href);
  }
}

function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Runs one job to its end and resolves with the exit code the worker should use. */
export async function runWorker(channel: ParentChannel): Promise<number> {
  const start = await new Promise<Extract<ToWorker, { type: 'start' }>>((resolve) => {
    const controller = stopController;
    channel.onMessage((m) => {
      if (m.type === 'start') resolve(m);
      else if (m.type === 'stop' && !controller.signal.aborted) controller.abort(m.reason);
    });
    channel.onDisconnect(() => {
      if (!controller.signal.aborted) controller.abort('interrupt' satisfies StopReason);
      // The handler gets a grace period to checkpoint; then the worker leaves even if it is stuck.
      setTimeout(() => process.exit(1), ORPHAN_GRACE_MS).unref();
      resolve({ type: 'start', jobId: '', kind: '', params: null, checkpointDir: '', attempt: 0 });
    });
  });
  if (!start.jobId) return 1; // the runner left before giving us a job

  let pendingLogs: { level: LogLevel; line: string }[] = [];
  let logTimer: NodeJS.Timeout | null = null;
  const flushLogs = () => {
    if (logTimer) clearTimeout(logTimer);
    logTimer = null;
    if (pendingLogs.length === 0) return Promise.resolve();
    const lines = pendingLogs;
    pendingLogs = [];
    return channel.send({ type: 'log', lines });
  };
  // Log lines written before a report go out before it, so the two streams stay in order.
  const progress = new Throttle<JobReport>(PROGRESS_INTERVAL_MS, (report) => {
    void flushLogs();
    void channel.send({ type: 'progress', report });
  });

  let carried: Pick<JobReport, 'step' | 'total'> = {};
  const signal = stopController.signal;
  const ctx: JobContext = {
    jobId: start.jobId,
    params: start.params,
    checkpointDir: start.checkpointDir,
    attempt: start.attempt,
    signal,
    // A report without a step (a later phase) carries the last step forward: the throttle keeps only
    // the latest report, and the runner keeps the last step it *received*, so a final training step
    // still pending when the next phase reports would otherwise be lost (a done job at step 11/12).
    report: (report) => {
      carried = { step: report.step ?? carried.step, total: report.total ?? carried.total };
      progress.push({ ...report, ...carried });
    },
    log: (line, level = 'info') => {
      for (const l of String(line).split('\n')) pendingLogs.push({ level, line: l });
      if (pendingLogs.length >= LOG_BATCH) void flushLogs();
      else logTimer ??= setTimeout(() => void flushLogs(), LOG_FLUSH_MS);
    },
  };

  let outcome: FromWorker;
  try {
    mkdirSync(start.checkpointDir, { recursive: true });
    const handler = await jobHandler(start.kind);
    const result = await handler(ctx);
    if (signal.aborted) {
      outcome = { type: 'stopped', reason: signal.reason as StopReason };
    } else {
      // On disk before the runner hears of it: a serving process that dies now finds the job
      // finished when it (or another Loci) opens the project, and stores its result then.
      const value = toJson(result);
      writeDone(start.checkpointDir, value);
      outcome = { type: 'done', result: value };
    }
  } catch (err) {
    if (signal.aborted) {
      outcome = { type: 'stopped', reason: signal.reason as StopReason };
    } else {
      const e = err instanceof Error ? err : new Error(String(err));
      // The caller gets the API error itself (file, line, field issues), not only its message.
      writeFailure(start.checkpointDir, err);
      outcome = { type: 'failed', message: e.message, stack: e.stack };
    }
  }
  progress.flush();
  await flushLogs();
  await channel.send(outcome);
  return outcome.type === 'failed' ? 1 : 0;
}

// Created at load so a `stop` that arrives while modules load is not lost.
const stopController = new AbortController();

/** Asks the running handler to stop (signals from the system, see worker.ts). */
export function requestStop(reason: StopReason): void {
  if (!stopController.signal.aborted) stopController.abort(reason);
}
