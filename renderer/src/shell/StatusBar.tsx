// The footer: where training runs (the compute backend, and why not a faster one), the open
// project's running jobs, whether this is the desktop app or browser mode, and whether live
// updates are connected.
import { Badge, Group, Loader, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconCpu, IconPlugConnected, IconPlugConnectedX } from '@tabler/icons-react';
import type { BackendReport } from '../../../shared/contract/system';
import { useConnectionState, useQuery } from '../api/context';
import { ActiveJobs } from './ActiveJobs';

export function StatusBar() {
  const backend = useQuery('system.backend', {});
  const info = useQuery('system.info', {});
  const connection = useConnectionState();
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="md" role="status" aria-label="Status bar">
      <Group gap={6} wrap="nowrap" miw={0}>
        <IconCpu size={16} aria-hidden />
        {backend.data ? (
          <Tooltip label={<BackendDetails report={backend.data} />} multiline w={420} withArrow position="top-start">
            <Text size="xs" truncate tabIndex={0} data-testid="compute-backend">
              Compute: {backend.data.summary}
            </Text>
          </Tooltip>
        ) : backend.error ? (
          <Text size="xs" c="red" truncate data-testid="compute-backend">
            Compute: unknown ({backend.error.message})
          </Text>
        ) : (
          <Group gap={6} wrap="nowrap">
            <Loader size={10} />
            <Text size="xs">Compute: checking…</Text>
          </Group>
        )}
      </Group>
      <Group gap="xs" wrap="nowrap">
        <ActiveJobs />
        {connection === 'reconnecting' ? (
          <Badge size="sm" color="orange" variant="light" leftSection={<IconPlugConnectedX size={12} />}>
            Reconnecting…
          </Badge>
        ) : connection === 'open' ? (
          <Tooltip label="Live updates connected">
            <IconPlugConnected size={14} aria-label="Live updates connected" />
          </Tooltip>
        ) : null}
        {info.data && (
          <Tooltip label={`Loci ${info.data.version} · data in ${info.data.dataDir}`}>
            <Badge size="sm" variant="default" data-testid="app-mode">
              {info.data.mode === 'desktop' ? 'Desktop' : 'Browser mode'}
            </Badge>
          </Tooltip>
        )}
      </Group>
    </Group>
  );
}

function BackendDetails({ report }: { report: BackendReport }) {
  return (
    <Stack gap={4}>
      <Text size="xs" fw={600}>
        Backend: {report.chosen} {report.gpu ? '(GPU)' : '(CPU)'} · preference: {report.preference}
      </Text>
      <Table fz="xs" withRowBorders={false} verticalSpacing={2} horizontalSpacing={6}>
        <Table.Tbody>
          {report.candidates.map((c) => (
            <Table.Tr key={c.name}>
              <Table.Td>{c.available ? '✓' : '✗'}</Table.Td>
              <Table.Td ff="monospace">{c.name}</Table.Td>
              <Table.Td>{c.reason}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
