// The project's genomes: where each FASTA is (Loci reads it in place), its size and sequences, and
// whether the file is still there (ok), gone (moved: locate it) or different (changed).
import { Button, Popover, Table, Text, Tooltip } from '@mantine/core';
import { IconMapPin, IconTrash } from '@tabler/icons-react';
import type { Genome } from '../../../../shared/contract/data';
import { ActionsHeader, IconAction, PathText, RowActions, StatusBadge } from '../../components/TableParts';
import { formatDate } from '../../lib/format';
import { formatBytes } from '../../../../shared/bytes';
import { formatBp } from '../../../../shared/bp';
import { genomeGc, percent } from './format';

const statusColor: Record<Genome['status'], string> = { ok: 'teal', moved: 'orange', changed: 'red' };

function SequencesPopover({ genome }: { genome: Genome }) {
  const n = genome.sequences.length;
  return (
    <Popover width={640} position="bottom-start" withArrow shadow="md">
      <Popover.Target>
        <Button variant="subtle" size="compact-sm" aria-label={`${n} sequences of ${genome.name}`}>
          {n.toLocaleString()}
        </Button>
      </Popover.Target>
      <Popover.Dropdown mah={360} style={{ overflowY: 'auto' }}>
        <Table fz="xs" verticalSpacing={4} aria-label={`Sequences of ${genome.name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Sequence</Table.Th>
              <Table.Th>Description (FASTA header)</Table.Th>
              <Table.Th ta="right">Length</Table.Th>
              <Table.Th ta="right">GC</Table.Th>
              <Table.Th ta="right">N</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {genome.sequences.slice(0, 500).map((s) => (
              <Table.Tr key={s.name}>
                <Table.Td ff="monospace">{s.name}</Table.Td>
                <Table.Td c={s.description ? undefined : 'dimmed'}>{s.description || '—'}</Table.Td>
                <Table.Td ta="right">{formatBp(s.length)}</Table.Td>
                <Table.Td ta="right">{percent(s.gc)}</Table.Td>
                <Table.Td ta="right">{percent(s.nFraction)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {n > 500 && (
          <Text size="xs" c="dimmed" mt={4}>
            First 500 of {n.toLocaleString()} shown.
          </Text>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

export function GenomesTable({ genomes, onLocate, onRemove }: { genomes: Genome[]; onLocate: (g: Genome) => void; onRemove: (g: Genome) => void }) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table highlightOnHover verticalSpacing="xs" aria-label="Genomes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>File</Table.Th>
            <Table.Th ta="right">Size</Table.Th>
            <Table.Th ta="right">Sequences</Table.Th>
            <Table.Th ta="right">Length</Table.Th>
            <Table.Th ta="right">GC</Table.Th>
            <Table.Th>Status</Table.Th>
            <ActionsHeader width={150} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {genomes.map((g) => (
            <Table.Tr key={g.id} data-status={g.status}>
              <Table.Td>
                <Tooltip label={`Added ${formatDate(g.addedAt)}`}>
                  <Text fw={500} size="sm">
                    {g.name}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <PathText>{g.path}</PathText>
              </Table.Td>
              <Table.Td ta="right">
                <Tooltip label={g.compression === 'none' ? 'plain FASTA' : `${g.compression}-compressed`}>
                  <Text size="sm">{formatBytes(g.size)}</Text>
                </Tooltip>
              </Table.Td>
              <Table.Td ta="right">
                <SequencesPopover genome={g} />
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm">{formatBp(g.totalLength)}</Text>
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm">{percent(genomeGc(g.sequences))}</Text>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={g.status} detail={g.statusDetail} color={statusColor[g.status]} />
              </Table.Td>
              <RowActions>
                {g.status === 'moved' && (
                  <Button size="xs" variant="light" color="orange" leftSection={<IconMapPin size={14} />} onClick={() => onLocate(g)} aria-label={`Locate file of ${g.name}`}>
                    Locate file…
                  </Button>
                )}
                <IconAction tooltip="Remove from the project (keeps the file)" label={`Remove genome ${g.name}`} icon={<IconTrash size={16} />} onClick={() => onRemove(g)} />
              </RowActions>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
