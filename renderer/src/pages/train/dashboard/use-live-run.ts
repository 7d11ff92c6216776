// One run as the dashboard shows it: fetched once (`training.get`), then kept live from events.
// Curve points from `run.metrics` are appended as they come, without fetching the run again; step,
// ETA and state come from `job.progress`. The run is fetched again only when its state changes or
// after a dev evaluation (new checkpoint, best step), and points that came in meanwhile are
// re-applied so none is lost or doubled.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../../../shared/contract';
import type { JobProgress } from '../../../../../shared/contract/events';
import type { RunDetail } from '../../../../../shared/contract/training';
import { toApiError } from '../../../../../shared/client';
import { useClient, useEvent } from '../../../api/context';

export type TrainPoint = RunDetail['train'][number];
export type DevPoint = RunDetail['dev'][number];
type LivePoint = { seq: number } & ({ split: 'train'; point: TrainPoint } | { split: 'dev'; point: DevPoint });

/**
 * Adds points in arrival order. A point at step s replaces every point at s or later: after a resume
 * from an earlier checkpoint, the steps after it are run again and the old ones no longer hold.
 */
export function appendPoints<P extends { step: number }>(base: readonly P[], added: readonly P[]): P[] {
  let out = [...base];
  for (const p of added) {
    if (out.length && out[out.length - 1]!.step >= p.step) out = out.filter((q) => q.step < p.step);
    out.push(p);
  }
  return out;
}

export interface LiveRun {
  run: RunDetail | undefined;
  error: ApiError | undefined;
  train: TrainPoint[];
  dev: DevPoint[];
  /** The latest job.progress of the run's job (step, total, ETA). */
  progress: JobProgress | null;
  /** The run's state: from the latest event when it is newer than the fetched run. */
  state: RunDetail['state'] | undefined;
  reload: () => void;
}

export function useLiveRun(project: string, runId: number): LiveRun {
  const client = useClient();
  const [fetched, setFetched] = useState<{ run: RunDetail; seq: number }>();
  const [error, setError] = useState<ApiError>();
  const [live, setLive] = useState<LivePoint[]>([]);
  const [progress, setProgress] = useState<{ seq: number; event: JobProgress } | null>(null);
  // Every event gets a number, so a fetch knows which events it already includes.
  const seq = useRef(0);
  const jobId = useRef<string | null>(null);
  const lastState = useRef<string | null>(null);
  const fetching = useRef(false);
  const again = useRef(false);

  const reload = useCallback(() => {
    // One fetch at a time; a request during one runs once more after it.
    if (fetching.current) {
      again.current = true;
      return;
    }
    fetching.current = true;
    const startedAt = seq.current;
    const next = () => {
      fetching.current = false;
      if (again.current) {
        again.current = false;
        reload();
      }
    };
    client.call('training.get', { project, runId }).then(
      (run) => {
        jobId.current = run.jobId;
        setFetched({ run, seq: startedAt });
        setError(undefined);
        // Points that came before this fetch began are in `run` now; later ones are applied again.
        setLive((points) => points.filter((p) => p.seq > startedAt));
        next();
      },
      (err: unknown) => {
        setError(toApiError(err));
        next();
      },
    );
  }, [client, project, runId]);

  useEffect(reload, [reload]);

  // After an evaluation the run has a new checkpoint (maybe a new best): fetched at most every 2 s.
  const devTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (devTimer.current && clearTimeout(devTimer.current)), []);

  useEvent('run.metrics', (m) => {
    if (m.runId !== runId || m.project !== project) return;
    const n = ++seq.current;
    const v = m.values;
    if (m.split === 'train') {
      setLive((points) => [...points, { seq: n, split: 'train', point: { step: m.step, loss: v.loss ?? NaN, lr: v.lr ?? 0, tokensPerSecond: v.tokensPerSecond ?? null } }]);
    } else {
      setLive((points) => [...points, { seq: n, split: 'dev', point: { step: m.step, loss: v.loss ?? NaN, mcc: v.mcc ?? null, accuracy: v.accuracy ?? null, f1: v.f1 ?? null } }]);
      devTimer.current ??= setTimeout(() => {
        devTimer.current = null;
        reload();
      }, 2000);
    }
  });

  useEvent('job.progress', (event) => {
    if (event.jobId !== jobId.current) return;
    setProgress({ seq: ++seq.current, event });
    // A new state (paused, done, failed...) changes what the run holds: checkpoints, test metrics.
    if (event.state !== lastState.current) {
      lastState.current = event.state;
      reload();
    }
  });

  // The run's row changed (its result stored at the end, a resume from the Jobs page or the CLI).
  useEvent('project.changed', (change) => {
    if (change.path === project && change.what === 'runs') reload();
  });

  const run = fetched?.run;
  const current = progress && progress.event.jobId === run?.jobId ? progress : null;
  const state = current && fetched && current.seq > fetched.seq ? current.event.state : run?.state;
  const train = appendPoints(run?.train ?? [], live.flatMap((p) => (p.split === 'train' ? [p.point] : [])));
  const dev = appendPoints(run?.dev ?? [], live.flatMap((p) => (p.split === 'dev' ? [p.point] : [])));
  return { run, error, train, dev, progress: current?.event ?? null, state, reload };
}
