// Details of what was clicked in the view: the feature's position and fields (igv's popup rows,
// shown in our own panel), and for a scan track the score per strand at that base (scans.scoreAt).
import { ActionIcon, Card, Group, Table, Text } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ArrangedTrack } from './tracks';

export interface ClickedFeature {
  key: string | undefined;
  rows: { name?: string; value?: unknown }[];
  position: number | undefined;
  chr: string | undefined;
}

/** igv's popup rows hold HTML strings for some values; show them as text. */
function plain(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  return s.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();
}

export function FeatureDetails({ clicked, arranged, onClose, extra }: { project: string; clicked: ClickedFeature; arranged: ArrangedTrack[]; onClose: () => void; extra?: ReactNode }) {
  const track = arranged.find((a) => a.descriptor.key === clicked.key);
  const rows = clicked.rows.filter((r) => r.name !== undefined || r.value !== undefined).filter((r) => plain(r.value) !== '' || plain(r.name) !== '');
  return (
    <Card withBorder radius="md" padding="sm" aria-label="Details" component="section" style={{ flexShrink: 0, maxHeight: 220, overflow: 'auto' }}>
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Text fw={600} size="sm">
          {track?.descriptor.name ?? 'Details'}
          {clicked.chr !== undefined && clicked.position !== undefined && (
            <Text span c="dimmed" size="sm" ff="monospace">
              {'  '}
              {clicked.chr}:{(clicked.position + 1).toLocaleString('en-US')}
            </Text>
          )}
        </Text>
        <ActionIcon variant="subtle" aria-label="Close the details" onClick={onClose}>
          <IconX size={16} />
        </ActionIcon>
      </Group>
      {extra}
      {rows.length > 0 ? (
        <Table withRowBorders={false} verticalSpacing={2} fz="sm">
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={i}>
                <Table.Td c="dimmed" w={160}>
                  {plain(r.name)}
                </Table.Td>
                <Table.Td ff="monospace">{plain(r.value)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        !extra && (
          <Text size="sm" c="dimmed">
            Nothing at this position.
          </Text>
        )
      )}
    </Card>
  );
}
