// What the scan and interpretation dialogs and lists share: the model picker (a finished
// fine-tuning run or any classifier of the project), the running job's Pause / Cancel / Resume
// buttons, and a list row's state (badge, progress, error) and runtime cells.
import { Badge, Button, Progress, Select, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { ApiError } from '../../../../../shared/contract';
import { toApiError } from '../../../../../shared/client';
import { useClient, useQuery } from '../../../api/context';
import { runtimeText, scanStateColor } from './format';

/** The project's finished runs and classifiers, and the one picked unless the user chose: the newest run, else the first classifier. */
export function useClassifierSources(project: string, chosen: string | null) {
  const runs = useQuery('training.list', { project });
  const models = useQuery('models.list', { project });
  const doneRuns = (runs.data ?? []).filter((r) => r.state === 'done' && r.outputModelId !== null);
  const classifiers = (models.data ?? []).filter((m) => m.kind === 'finetuned' || m.labels.length > 0);
  const sourceChoice = chosen ?? (doneRuns[0] ? `run:${doneRuns[0].id}` : classifiers[0] ? `model:${classifiers[0].id}` : null);
  const noModel = runs.data && models.data && doneRuns.length === 0 && classifiers.length === 0;
  return { doneRuns, classifiers, sourceChoice, noModel };
}

/** "Model": the runs and classifiers of `useClassifierSources`, as `run:ID` / `model:ID`. */
export function ClassifierSelect({ sources, onChange, error }: { sources: ReturnType<typeof useClassifierSources>; onChange: (value: string | null) => void; error?: string | undefined }) {
  const { doneRuns, classifiers } = sources;
  return (
    <Select
      label="Model"
      placeholder="A finished run or a classifier"
      data={[
        ...(doneRuns.length ? [{ group: 'Fine-tuning runs', items: doneRuns.map((r) => ({ value: `run:${r.id}`, label: `${r.name} (${r.modelName} on ${r.datasetName})` })) }] : []),
        ...(classifiers.length ? [{ group: 'Classifiers', items: classifiers.map((m) => ({ value: `model:${m.id}`, label: `${m.name} (${m.labels.join(', ')})` })) }] : []),
      ]}
      value={sources.sourceChoice}
      onChange={onChange}
      error={error}
      allowDeselect={false}
    />
  );
}

type JobAction = 'pause' | 'cancel' | 'resume';

/** Pause, cancel and resume of a started job; a refusal goes to `onError`. */
export function useJobActions(project: string, jobId: string | null, onError: (error: ApiError) => void) {
  const client = useClient();
  const [acting, setActing] = useState<JobAction | null>(null);
  async function act(action: JobAction) {
    if (!jobId) return;
    setActing(action);
    try {
      await client.call(action === 'pause' ? 'jobs.pause' : action === 'cancel' ? 'jobs.cancel' : 'jobs.resume', { project, jobId });
    } catch (err) {
      onError(toApiError(err));
    } finally {
      setActing(null);
    }
  }
  return { acting, act };
}

/** Pause and Cancel while the job runs or waits, Resume once it is paused or interrupted. */
export function JobActionButtons({ state, actions, cancelLabel }: { state: string; actions: ReturnType<typeof useJobActions>; cancelLabel: string }) {
  const { acting, act } = actions;
  const active = state === 'running' || state === 'queued';
  return (
    <>
      {active && (
        <>
          <Button variant="default" onClick={() => void act('pause')} loading={acting === 'pause'}>
            Pause
          </Button>
          <Button variant="light" color="red" onClick={() => void act('cancel')} loading={acting === 'cancel'}>
            {cancelLabel}
          </Button>
        </>
      )}
      {(state === 'paused' || state === 'interrupted') && (
        <Button variant="default" onClick={() => void act('resume')} loading={acting === 'resume'}>
          Resume
        </Button>
      )}
    </>
  );
}

/**
 * A list row's state: its badge, progress while it runs (`amount` says how much is done of what;
 * `amountTitle` the exact figures where `amount` is short, shared/bp.ts), its error.
 */
export function JobStateCell({ name, state, done, total, amount, amountTitle, error }: { name: string; state: string; done: number; total: number; amount: string; amountTitle?: string; error: string | null }) {
  return (
    <Table.Td miw={150}>
      <Badge color={scanStateColor[state] ?? 'gray'} variant="light">
        {state}
      </Badge>
      {(state === 'running' || state === 'paused' || state === 'queued') && total > 0 && (
        <>
          <Progress mt={4} size="sm" value={(done / total) * 100} aria-label={`${name}: ${Math.round((done / total) * 100)}%`} />
          <Text size="xs" c="dimmed" title={amountTitle}>
            {amount}
          </Text>
        </>
      )}
      {error && (
        <Text size="xs" c="red" lineClamp={2} title={error}>
          {error}
        </Text>
      )}
    </Table.Td>
  );
}

/** A list row's runtime, and the backend below it. */
export function RuntimeCell({ seconds, backend }: { seconds: number | null; backend: string | null }) {
  return (
    <Table.Td>
      <Text size="sm">{runtimeText(seconds)}</Text>
      <Text size="xs" c="dimmed">
        {backend ?? '—'}
      </Text>
    </Table.Td>
  );
}
