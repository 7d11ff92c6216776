// The project's benchmark runs (benchmarks.list) on the Models page, live from their `gue` jobs'
// `job.progress` events, with Pause / Resume / Cancel through jobs.* and, once the runner has written
// its tables, each model's mean beside its from-scratch twin's and the published means, and the
// full Markdown table (benchmarks.get).
import { Badge, Button, Card, Group, Modal, Progress, Table, Text, Title } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay, IconTable, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { BenchmarkRun } from '../../../../shared/contract/benchmarks';
import type { JobProgress } from '../../../../shared/contract/events';
import { gueSummary } from '../../../../shared/gue-summary';
import { toApiError } from '../../../../shared/client';
import { useClient, useEvent, useQuery } from '../../api/context';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { formatAgo } from '../../lib/format';
import { notifyFailure } from '../../lib/notify';
import { GueLine } from './CatalogCard';
import { Markdown } from './Markdown';

const stateColor: Record<string, string> = { queued: 'gray', running: 'blue', paused: 'yellow', done: 'teal', failed: 'red', cancelled: 'gray', interrupted: 'orange' };

function BenchmarkTables({ project, run, onClose }: { project: string; run: BenchmarkRun; onClose: () => void }) {
  const detail = useQuery('benchmarks.get', { project, id: run.id });
  const d = detail.data;
  return (
    <Modal opened onClose={onClose} title={`Benchmark of ${run.models.join(', ')}`} size="90%">
      {detail.error && <ErrorAlert error={detail.error} />}
      {d && !d.results && <Text size="sm">No table yet: the runner writes it when the run ends (a paused or cancelled run keeps the tasks it finished).</Text>}
      {d?.results &&
        d.models.map((m) => {
          const s = gueSummary(d.results!, m);
          return s ? (
            <Card key={m} withBorder mb="sm" padding="sm">
              <Text fw={600} size="sm" ff="monospace">
                {m}
              </Text>
              <GueLine gue={s} />
            </Card>
          ) : null;
        })}
      {d?.failures.map((f) => (
        <Text key={f.key} size="xs" c="red">
          {f.key}: {f.error}
        </Text>
      ))}
      {d?.markdown && <Markdown source={d.markdown} />}
      {d && (
        <Text size="xs" c="dimmed" mt="sm">
          Files: {d.outDir}
        </Text>
      )}
    </Modal>
  );
}

export function BenchmarkRuns({ project }: { project: string }) {
  const client = useClient();
  const runs = useQuery('benchmarks.list', { project });
  const [events, setEvents] = useState<Record<string, JobProgress>>({});
  const [acting, setActing] = useState<string | null>(null);
  const [shown, setShown] = useState<BenchmarkRun | null>(null);

  useEvent('job.progress', (e) => {
    if (e.kind !== 'gue' || (e.project !== undefined && e.project !== project)) return;
    setEvents((prev) => ({ ...prev, [e.jobId]: e }));
    const known = runs.data?.find((r) => r.id === e.jobId);
    if (!known || known.state !== e.state) runs.reload();
  });

  async function act(run: BenchmarkRun, action: 'pause' | 'resume' | 'cancel') {
    setActing(`${run.id}:${action}`);
    try {
      await client.call(`jobs.${action}`, { project, jobId: run.id });
      runs.reload();
    } catch (err) {
      notifyFailure(`Could not ${action} the benchmark`, toApiError(err));
    } finally {
      setActing(null);
    }
  }

  if (runs.error) return <ErrorAlert error={runs.error} />;
  if (!runs.data?.length) return null;
  return (
    <section aria-labelledby="benchmarks-heading">
      <Title order={3} id="benchmarks-heading" size="h4" mb={4}>
        Benchmarks
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Test MCC of the lowest-dev-loss checkpoint on each task, beside the same architecture trained from scratch with the same settings.
      </Text>
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={800}>
          <Table verticalSpacing="xs" aria-label="Benchmark runs">
            <Table.Tbody>
              {runs.data.map((stored) => {
                const e = events[stored.id];
                const r = e && e.state === stored.state ? { ...stored, fraction: e.fraction, message: e.message } : stored;
                const active = r.state === 'running' || r.state === 'queued';
                const resumable = r.state === 'paused' || r.state === 'interrupted' || r.state === 'failed';
                return (
                  <Table.Tr key={r.id} aria-label={`Benchmark ${r.id}`}>
                    <Table.Td maw={380}>
                      <Text fw={500} size="sm">
                        {r.models.join(', ')}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {r.root}
                        {r.tasks.length ? ` (${r.tasks.join(', ')})` : ''} · {r.maxSteps !== null ? `${r.maxSteps} steps` : 'default budget'} · seeds {r.seeds.join(', ')}
                        {!r.pretrained ? ' · from-scratch twins only' : r.scratch ? ' · with from-scratch twins' : ''} · started {formatAgo(r.createdAt)}
                      </Text>
                      {r.error && (
                        <Text size="xs" c="red" style={{ whiteSpace: 'pre-wrap' }} lineClamp={3}>
                          {r.error}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td w={120}>
                      <Badge color={stateColor[r.state] ?? 'gray'} variant="light">
                        {r.state}
                      </Badge>
                    </Table.Td>
                    <Table.Td w={280}>
                      <Progress value={r.state === 'done' ? 100 : Math.round((r.fraction ?? 0) * 100)} animated={r.state === 'running'} aria-label={`Progress of benchmark ${r.id}`} size="sm" />
                      <Text size="xs" c="dimmed" mt={4} lineClamp={2}>
                        {r.message}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button size="xs" variant="default" leftSection={<IconTable size={14} />} onClick={() => setShown(r)} aria-label={`Results of benchmark ${r.id}`}>
                          Results
                        </Button>
                        {r.state === 'running' && (
                          <Button size="xs" variant="default" leftSection={<IconPlayerPause size={14} />} loading={acting === `${r.id}:pause`} onClick={() => void act(r, 'pause')}>
                            Pause
                          </Button>
                        )}
                        {resumable && (
                          <Button size="xs" variant="light" leftSection={<IconPlayerPlay size={14} />} loading={acting === `${r.id}:resume`} onClick={() => void act(r, 'resume')}>
                            Resume
                          </Button>
                        )}
                        {(active || resumable) && (
                          <Button size="xs" variant="subtle" color="red" leftSection={<IconX size={14} />} loading={acting === `${r.id}:cancel`} onClick={() => void act(r, 'cancel')}>
                            Cancel
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      {shown && <BenchmarkTables project={project} run={shown} onClose={() => setShown(null)} />}
    </section>
  );
}
