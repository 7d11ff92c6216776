// What the genome import found: the file's compression, the sequences with their lengths and GC.
import { Alert, SimpleGrid, Table, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import type { Genome } from '../../../../../shared/contract/data';
import { formatBytes } from '../../../../../shared/bytes';
import { formatBp } from '../../../../../shared/bp';
import { genomeGc, percent } from '../format';

export function GenomeImported({ genome }: { genome: Genome }) {
  const shown = genome.sequences.slice(0, 50);
  const facts: Array<[string, string]> = [
    ['Sequences', genome.sequences.length.toLocaleString()],
    ['Total length', formatBp(genome.totalLength)],
    ['GC', percent(genomeGc(genome.sequences))],
    ['File', `${formatBytes(genome.size)}${genome.compression === 'none' ? '' : `, ${genome.compression}`}`],
  ];
  return (
    <>
      <Alert color="teal" variant="light" icon={<IconCircleCheck />} title={`Imported “${genome.name}”`}>
        <Text size="sm">
          Indexed in place: <Text span ff="monospace" size="xs">{genome.path}</Text>. Loci keeps its checksum and tells you if the file moves or changes.
        </Text>
      </Alert>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" role="list" aria-label="Genome facts">
        {facts.map(([label, value]) => (
          <div key={label} role="listitem" aria-label={`${label}: ${value}`}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {label}
            </Text>
            <Text fw={700}>{value}</Text>
          </div>
        ))}
      </SimpleGrid>
      <Table.ScrollContainer minWidth={500} mah={280}>
        <Table fz="xs" verticalSpacing={3} striped stickyHeader withTableBorder aria-label="Sequences">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Sequence</Table.Th>
              <Table.Th>Description (FASTA header)</Table.Th>
              <Table.Th ta="right">Length</Table.Th>
              <Table.Th ta="right">GC</Table.Th>
              <Table.Th ta="right">N</Table.Th>
              <Table.Th ta="right">Soft-masked</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((s) => (
              <Table.Tr key={s.name}>
                <Table.Td ff="monospace">{s.name}</Table.Td>
                <Table.Td c={s.description ? undefined : 'dimmed'}>{s.description || '—'}</Table.Td>
                <Table.Td ta="right">{formatBp(s.length)}</Table.Td>
                <Table.Td ta="right">{percent(s.gc)}</Table.Td>
                <Table.Td ta="right">{percent(s.nFraction)}</Table.Td>
                <Table.Td ta="right">{percent(s.softMaskedFraction)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {genome.sequences.length > shown.length && (
        <Text size="xs" c="dimmed">
          First {shown.length} of {genome.sequences.length.toLocaleString()} sequences shown.
        </Text>
      )}
    </>
  );
}
