// The open project's running, queued and paused jobs, of every kind, in the status bar on every
// page: how many, each one's progress and status line, and a link to the page that shows it. The
// list comes from jobs.list and is kept current by the `job.progress` events (a job that ends
// drops out; one that starts makes the list load again).
import { Anchor, Badge, Group, Loader, Popover, Progress, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconPlayerPause } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { JobProgress } from '../../../shared/contract/events';
import type { JobInfo } from '../../../shared/contract/jobs';
import { useEvent, useQuery } from '../api/context';
import { trainHref } from '../pages/train/route';
import { useProject } from '../project/context';

const ACTIVE: JobInfo['state'][] = ['queued', 'running', 'paused'];

const KIND_LABELS: Record<string, { label: string; page: string }> = {
  finetune: { label: 'Fine-tuning', page: '#/train' },
  pretrain: { label: 'Adaptation (pre-training)', page: '#/models' },
  'genome-index': { label: 'Genome import', page: '#/data' },
  'regions-read': { label: 'Region import', page: '#/data' },
  'dataset-build': { label: 'Dataset build', page: '#/data' },
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind]?.label ?? kind;
}

interface Row {
  id: string;
  kind: string;
  state: JobInfo['state'];
  fraction: number | null;
  message: string;
  etaSeconds: number | null;
}

function eta(seconds: number | null): string {
  if (!seconds) return '';
  return seconds < 60 ? ` · about ${Math.max(1, Math.round(seconds))} s left` : ` · about ${Math.round(seconds / 60)} min left`;
}

export function ActiveJobs() {
  const { project } = useProject();
  const path = project?.path ?? null;
  const jobs = useQuery('jobs.list', path ? { project: path, states: ACTIVE } : null);
  const hasFinetune = (jobs.data ?? []).some((j) => j.kind === 'finetune');
  // Fine-tuning jobs open their run's dashboard: the run that holds the job's id.
  const runs = useQuery('training.list', path && hasFinetune ? { project: path } : null, `${path ?? ''} ${(jobs.data ?? []).map((j) => j.id).join(',')}`);
  const [live, setLive] = useState<Record<string, JobProgress>>({});
  const [opened, setOpened] = useState(false);

  useEvent('job.progress', (e) => {
    if (!path || (e.project !== undefined && e.project !== path)) return;
    setLive((prev) => ({ ...prev, [e.jobId]: e }));
    const known = jobs.data?.some((j) => j.id === e.jobId);
    // A new job, or one that ended: fetch the list again (cheap, and the only source of queued jobs).
    if (!known || !ACTIVE.includes(e.state)) jobs.reload();
  });

  const rows: Row[] = useMemo(
    () =>
      (jobs.data ?? [])
        .map((j) => {
          const e = live[j.id];
          const newer = e !== undefined;
          return {
            id: j.id,
            kind: j.kind,
            state: newer ? e.state : j.state,
            fraction: newer ? e.fraction : j.fraction,
            message: newer ? e.message : j.message,
            etaSeconds: newer ? e.etaSeconds : j.etaSeconds,
          };
        })
        .filter((r) => ACTIVE.includes(r.state)),
    [jobs.data, live],
  );

  if (!path || rows.length === 0) return null;
  const running = rows.filter((r) => r.state === 'running').length;
  const queued = rows.filter((r) => r.state === 'queued').length;
  const paused = rows.filter((r) => r.state === 'paused').length;
  const summary = [running && `${running} running`, queued && `${queued} queued`, paused && `${paused} paused`].filter(Boolean).join(', ');
  const hrefOf = (r: Row): string => {
    if (r.kind === 'finetune') {
      const run = runs.data?.find((x) => x.jobId === r.id);
      if (run) return trainHref({ view: 'run', runId: run.id });
    }
    return KIND_LABELS[r.kind]?.page ?? '#/projects';
  };

  return (
    // Above the toasts (z-index 400), which share this corner.
    <Popover opened={opened} onChange={setOpened} position="top-end" withArrow shadow="md" width={380} zIndex={500}>
      <Popover.Target>
        <UnstyledButton onClick={() => setOpened((o) => !o)} aria-label={`Jobs: ${summary}`} data-testid="active-jobs">
          <Badge size="sm" variant="light" color={running ? 'blue' : 'gray'} leftSection={running ? <Loader size={10} /> : <IconPlayerPause size={12} />} tt="none">
            Jobs: {summary}
          </Badge>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm" data-testid="active-jobs-list">
          {rows.map((r) => {
            const pct = r.fraction === null ? null : Math.round(r.fraction * 100);
            return (
              <Stack key={r.id} gap={4}>
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" fw={500}>
                    {kindLabel(r.kind)}
                  </Text>
                  <Anchor size="xs" href={hrefOf(r)} onClick={() => setOpened(false)}>
                    Open
                  </Anchor>
                </Group>
                <Progress value={pct ?? 100} striped={pct === null || r.state === 'queued'} animated={r.state === 'running'} color={r.state === 'paused' ? 'gray' : 'blue'} aria-label={`${kindLabel(r.kind)}: ${pct !== null ? `${pct}%` : r.state}`} />
                <Text size="xs" c="dimmed" truncate title={r.message}>
                  {r.state}
                  {pct !== null ? ` · ${pct}%` : ''}
                  {r.state === 'running' ? eta(r.etaSeconds) : ''}
                  {r.message ? ` · ${r.message}` : ''}
                </Text>
              </Stack>
            );
          })}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
