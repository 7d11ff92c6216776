// The project's fine-tuning runs, newest first: what trained on what, how it went, and live progress
// for the ones still running. Two or three ticked runs open side by side in the comparison.
import { ActionIcon, Anchor, Badge, Button, Card, Center, Checkbox, Group, Loader, Progress, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconChartLine, IconLayoutColumns, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { JobProgress } from '../../../../shared/contract/events';
import type { RunSummary } from '../../../../shared/contract/training';
import { useEvent, useQuery } from '../../api/context';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { formatAgo, formatDate } from '../../lib/format';
import { EmptyState } from '../data/EmptyState';
import { loss, metric, modeLabel, stateColor } from './format';
import { RemoveRunModal } from './RemoveRunModal';
import { trainHref } from './route';

const MAX_COMPARED = 3;

export function RunsList({ project }: { project: string }) {
  const runs = useQuery('training.list', { project });
  const [selected, setSelected] = useState<number[]>([]);
  const [removing, setRemoving] = useState<RunSummary | null>(null);
  // The latest progress of each running job, so the list moves without refetching.
  const [live, setLive] = useState<Record<string, JobProgress>>({});

  useEvent('project.changed', (change) => {
    if (change.path === project) runs.reload();
  });
  useEvent('job.progress', (event) => {
    const run = runs.data?.find((r) => r.jobId === event.jobId);
    if (!run) {
      // A run started elsewhere (another tab, the CLI) shows up on its first event.
      if (event.project === project && event.kind === 'finetune' && !runs.loading) runs.reload();
      return;
    }
    setLive((prev) => ({ ...prev, [event.jobId]: event }));
    if (event.state !== run.state && !runs.loading) runs.reload();
  });

  const list = runs.data ?? [];
  const toggle = (id: number, on: boolean) => setSelected((s) => (on ? [...s, id].slice(-MAX_COMPARED) : s.filter((x) => x !== id)));
  const compared = selected.filter((id) => list.some((r) => r.id === id));

  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <div style={{ flex: 1, minWidth: 0 }}>
          <Title order={2}>Train</Title>
          <Text c="dimmed" size="sm">
            Fine-tune a model on one of the project’s datasets. Runs work in the background and keep their curves, checkpoints and test metrics.
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          <Button
            variant="default"
            leftSection={<IconLayoutColumns size={16} />}
            disabled={compared.length < 2}
            component="a"
            href={compared.length >= 2 ? trainHref({ view: 'compare', runIds: compared }) : undefined}
            aria-label={`Compare ${compared.length} runs`}
          >
            Compare{compared.length ? ` (${compared.length})` : ''}
          </Button>
          <Button leftSection={<IconPlus size={16} />} component="a" href={trainHref({ view: 'new' })}>
            New training run
          </Button>
        </Group>
      </Group>

      {runs.error && <ErrorAlert error={runs.error} />}

      <Card withBorder padding={list.length ? 0 : 'xl'}>
        {!runs.data && runs.loading ? (
          <Center h={120}>
            <Loader size="sm" aria-label="Loading runs" />
          </Center>
        ) : list.length === 0 ? (
          <EmptyState icon={IconChartLine} title="No training runs yet" action={{ label: 'New training run', onClick: () => (window.location.hash = trainHref({ view: 'new' }).slice(1)) }}>
            Pick a dataset and a model, check the settings and the time estimate, and start. Datasets come from the <Anchor href="#/data/datasets">Data page</Anchor>; models from the{' '}
            <Anchor href="#/models">Models page</Anchor>, or pick one in the wizard.
          </EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={1000}>
            <Table highlightOnHover verticalSpacing="sm" aria-label="Training runs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40}>
                    <VisuallyHidden>Compare</VisuallyHidden>
                  </Table.Th>
                  <Table.Th>Run</Table.Th>
                  <Table.Th>Dataset</Table.Th>
                  <Table.Th>Model</Table.Th>
                  <Table.Th>Mode</Table.Th>
                  <Table.Th w={150}>State</Table.Th>
                  <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
                    Best dev loss
                  </Table.Th>
                  <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>
                    Test MCC
                  </Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th w={48}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((r) => {
                  const progress = r.jobId ? live[r.jobId] : undefined;
                  const state = progress && progress.state !== r.state ? progress.state : r.state;
                  const step = progress?.step ?? r.step;
                  const total = progress?.total ?? r.totalSteps;
                  const isSelected = selected.includes(r.id);
                  return (
                    <Table.Tr key={r.id} data-state={state} bg={isSelected ? 'var(--mantine-color-default-hover)' : undefined}>
                      <Table.Td>
                        <Checkbox
                          checked={isSelected}
                          onChange={(e) => toggle(r.id, e.currentTarget.checked)}
                          aria-label={`Select ${r.name} for comparison`}
                          disabled={!isSelected && compared.length >= MAX_COMPARED}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Anchor href={trainHref({ view: 'run', runId: r.id })} fw={500} size="sm">
                          {r.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{r.datasetName}</Text>
                        <Text size="xs" c="dimmed">
                          {r.classNames.join(' · ')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{r.modelName}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{modeLabel[r.mode]}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={4}>
                          <Badge color={stateColor[state]} variant="light">
                            {state}
                          </Badge>
                          {(state === 'running' || state === 'paused') && step !== null && total ? (
                            <Tooltip label={`step ${step.toLocaleString()} of ${total.toLocaleString()}`}>
                              <Progress value={(100 * step) / total} size="sm" aria-label={`${r.name}: step ${step} of ${total}`} />
                            </Tooltip>
                          ) : null}
                        </Stack>
                      </Table.Td>
                      <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {loss(r.bestDevLoss)}
                      </Table.Td>
                      <Table.Td ta="right" fw={r.testMcc !== null ? 600 : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {metric(r.testMcc)}
                      </Table.Td>
                      <Table.Td>
                        <Tooltip label={formatDate(r.createdAt)}>
                          <Text size="sm">{formatAgo(r.createdAt)}</Text>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td>
                        <Tooltip label="Delete the run">
                          <ActionIcon variant="subtle" color="gray" onClick={() => setRemoving(r)} aria-label={`Delete run ${r.name}`} disabled={state === 'running' || state === 'queued'}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {list.length >= 2 && (
        <Text size="xs" c="dimmed">
          Tick two or three runs to compare their settings, test metrics and dev-loss curves side by side.
        </Text>
      )}
      {removing && (
        <RemoveRunModal
          project={project}
          run={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setSelected((s) => s.filter((id) => id !== removing.id));
            runs.reload();
          }}
        />
      )}
    </Stack>
  );
}
