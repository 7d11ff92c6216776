// Two or three runs side by side: their settings and test metrics in one table (the best value of
// each metric in bold, settings that differ highlighted) and their dev-loss curves overlaid.
import { Anchor, Card, Center, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { ApiError } from '../../../../shared/contract';
import type { RunDetail } from '../../../../shared/contract/training';
import { toApiError } from '../../../../shared/client';
import { useClient } from '../../api/context';
import { CurveChart } from '../../components/CurveChart';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { settingsRows } from '../../../../shared/run-settings';
import { loss, lr, metric, modeLabel } from './format';
import { trainHref } from './route';
import { bestIndices, type Row } from './best';

const colours = ['teal.6', 'indigo.6', 'orange.6'];

function rows(runs: RunDetail[]): { settings: Row[]; results: Row[] } {
  const s = (f: (r: RunDetail) => string): string[] => runs.map(f);
  const n = (f: (r: RunDetail) => number | null | undefined): Array<number | null> => runs.map((r) => f(r) ?? null);
  const m = (label: string, f: (r: RunDetail) => number | null | undefined, better: 'high' | 'low' = 'high', fmt = metric): Row => {
    const numbers = n(f);
    return { label, numbers, values: numbers.map((v) => fmt(v)), better };
  };
  return {
    settings: [
      { label: 'Dataset', values: s((r) => r.datasetName) },
      { label: 'Model', values: s((r) => r.modelName) },
      { label: 'Mode', values: s((r) => modeLabel[r.mode]) },
      { label: 'Length', values: s((r) => settingsRows(r.settings).find(([k]) => k === 'Length')?.[1] ?? '') },
      { label: 'Batch size', values: s((r) => `${r.settings.batchSize}${r.settings.accumulate > 1 ? ` × ${r.settings.accumulate}` : ''}`) },
      { label: 'Learning rate', values: s((r) => lr(r.settings.lr)) },
      { label: 'Warm-up', values: s((r) => (r.settings.warmupSteps !== undefined ? String(r.settings.warmupSteps) : 'auto')) },
      { label: 'Weight decay', values: s((r) => String(r.settings.weightDecay)) },
      { label: 'Class weights', values: s((r) => r.settings.classWeights) },
      { label: 'Seed', values: s((r) => String(r.settings.seed)) },
      { label: 'Backend', values: s((r) => r.backend ?? r.settings.backend) },
      { label: 'State', values: s((r) => r.state) },
      { label: 'Steps', values: s(stepsText) },
    ],
    results: [
      m('Best dev loss', (r) => r.bestDevLoss, 'low', loss),
      m('Test MCC', (r) => r.test?.mcc),
      m('Test F1 (macro)', (r) => r.test?.f1Macro),
      m('Test accuracy', (r) => r.test?.accuracy),
      m('Test precision', (r) => r.test?.precisionMacro),
      m('Test recall', (r) => r.test?.recallMacro),
      m('Test AUROC', (r) => r.test?.auroc),
      m('Test AUPRC', (r) => r.test?.auprc),
    ],
  };
}

/** "412 of 412", "cancelled at step 120 of 400", "not started": never a bare "0 / ?". */
function stepsText(r: RunDetail): string {
  const total = r.totalSteps !== null ? ` of ${r.totalSteps.toLocaleString()}` : '';
  if (r.step === null || (r.step === 0 && r.state !== 'running')) return r.state === 'queued' ? 'not started' : `none${r.state === 'cancelled' ? ' (cancelled before the first step)' : ''}`;
  return `${r.state === 'cancelled' ? 'cancelled at ' : ''}${r.step.toLocaleString()}${total}`;
}

/** Runs often share an automatic name: the header adds the run's number and start time. */
function runWhen(r: RunDetail): string {
  return `run ${r.id} · ${new Date(r.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`;
}

export function Compare({ project, runIds }: { project: string; runIds: number[] }) {
  const client = useClient();
  const [runs, setRuns] = useState<RunDetail[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  // The ids as one string: the route makes a new array on every render.
  const ids = runIds.join(',');
  useEffect(() => {
    let live = true;
    Promise.all(ids.split(',').map((runId) => client.call('training.get', { project, runId: Number(runId) }))).then(
      (r) => live && setRuns(r),
      (err: unknown) => live && setError(toApiError(err)),
    );
    return () => {
      live = false;
    };
  }, [client, project, ids]);

  const table = runs ? rows(runs) : null;
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Anchor href={trainHref({ view: 'runs' })} size="sm">
          <Group gap={4} component="span">
            <IconArrowLeft size={14} aria-hidden /> All runs
          </Group>
        </Anchor>
        <Title order={2} mt={4}>
          Compare runs
        </Title>
        <Text c="dimmed" size="sm">
          Settings that differ are highlighted; the best value of each metric is in bold.
        </Text>
      </div>
      {error && <ErrorAlert error={error} />}
      {!runs || !table ? (
        !error && (
          <Center h={200}>
            <Loader aria-label="Loading the runs" />
          </Center>
        )
      ) : (
        <>
          <Card withBorder padding={0}>
            <Table.ScrollContainer minWidth={300 + 220 * runs.length}>
              <Table aria-label="Compared runs" verticalSpacing={6} withColumnBorders>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={180} />
                    {runs.map((r) => (
                      <Table.Th key={r.id}>
                        <Anchor href={trainHref({ view: 'run', runId: r.id })} fw={600}>
                          {r.name}
                        </Anchor>
                        <Text size="xs" c="dimmed" fw={400}>
                          {runWhen(r)}
                        </Text>
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  <SectionRow label="Results" span={runs.length + 1} />
                  {table.results.map((row) => {
                    const best = bestIndices(row);
                    return (
                      <Table.Tr key={row.label}>
                        <Table.Th fw={500}>{row.label}</Table.Th>
                        {row.values.map((v, i) => (
                          <Table.Td key={i} fw={best.has(i) ? 700 : undefined} c={best.has(i) ? 'teal' : undefined} style={{ fontVariantNumeric: 'tabular-nums' }} data-best={best.has(i) || undefined}>
                            {v}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    );
                  })}
                  <SectionRow label="Settings" span={runs.length + 1} />
                  {table.settings.map((row) => {
                    const differs = new Set(row.values).size > 1;
                    return (
                      <Table.Tr key={row.label} bg={differs ? 'color-mix(in srgb, var(--mantine-color-yellow-light) 55%, transparent)' : undefined} data-differs={differs || undefined}>
                        <Table.Th fw={500}>{row.label}</Table.Th>
                        {row.values.map((v, i) => (
                          <Table.Td key={i}>{v}</Table.Td>
                        ))}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
          <Card withBorder padding="md">
            <Title order={3} size="h5" mb="xs">
              Dev loss
            </Title>
            <CurveChart
              label="Dev loss of the compared runs"
              xLabel="step"
              height={280}
              series={runs.map((r, i) => ({ name: `run${i}`, label: r.name, color: colours[i % colours.length]!, dots: true, points: r.dev.map((d) => ({ x: d.step, y: d.loss })) }))}
            />
          </Card>
        </>
      )}
    </Stack>
  );
}

function SectionRow({ label, span }: { label: string; span: number }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={span} bg="var(--mantine-color-default-hover)">
        <Text size="xs" fw={600} c="dimmed" tt="uppercase">
          {label}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
