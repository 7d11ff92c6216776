// What a built dataset holds: per split, the number of sequences, their lengths and GC content,
// the class counts and reverse-complement copies; how negatives were made; and any warnings.
import { Alert, Badge, Group, List, SimpleGrid, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { countOf, type DatasetSummary } from '../../../../shared/contract/data';
import { percentShares } from '../../../../shared/shares';
import { percent } from './format';
import { FactsTable } from '../../components/FactsTable';
import { formatBp, formatBpRange } from '../../../../shared/bp';

const splits = ['train', 'dev', 'test'] as const;

function lengths(s: DatasetSummary['splits']['train']): string {
  if (s.sequences === 0) return '–';
  return s.lengthMin === s.lengthMax ? formatBp(s.lengthMin) : `${formatBpRange(s.lengthMin, s.lengthMax)} (mean ${formatBp(Math.round(s.lengthMean))})`;
}

export function DatasetSummaryView({ summary }: { summary: DatasetSummary }) {
  const n = summary.negatives;
  const dropped = Object.entries(summary.dropped).filter(([, v]) => v > 0);
  const facts: Array<[string, string]> = [
    ['Sequences', summary.total.toLocaleString()],
    ['Classes', summary.classes.join(', ')],
    ['Split', summary.split],
  ];
  if (summary.version) facts.unshift(['Version of', `${summary.version.parentName} (id ${summary.version.parentId}): ${summary.version.changes}`]);
  if (n && n.strategy !== 'none') {
    const ks = n.ksDistance !== undefined ? ` · GC difference (KS) ${n.ksDistance.toFixed(3)}` : '';
    facts.push(['Negatives', `${n.strategy}, ${n.made.toLocaleString()} of ${n.wanted.toLocaleString()} made (ratio ${n.ratio}, margin ${formatBp(n.margin)})${ks}`]);
  }
  if (dropped.length) facts.push(['Left out', dropped.map(([k, v]) => countOf(v, k)).join(' · ')]);

  const shares = percentShares(splits.map((sp) => summary.splits[sp].sequences));
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        {splits.map((split, i) => (
          <Group key={split} gap="xs" p="sm" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)' }} aria-label={`${split}: ${summary.splits[split].sequences} sequences`} role="group">
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} w={44}>
              {split}
            </Text>
            <Text size="xl" fw={700}>
              {summary.splits[split].sequences.toLocaleString()}
            </Text>
            <Text size="xs" c="dimmed">
              sequences ({shares[i]}%)
            </Text>
          </Group>
        ))}
      </SimpleGrid>

      <FactsTable rows={facts} label="Dataset facts" labelWidth={130} variant="vertical" layout="fixed" withTableBorder={false} />

      <Table.ScrollContainer minWidth={520}>
        <Table striped withTableBorder aria-label="Class counts per split" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Split</Table.Th>
              <Table.Th ta="right">Sequences</Table.Th>
              {summary.classes.map((c) => (
                <Table.Th key={c} ta="right">
                  {c}
                </Table.Th>
              ))}
              <Table.Th>Lengths</Table.Th>
              <Table.Th ta="right">Mean GC</Table.Th>
              <Table.Th ta="right">RC copies</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {splits.map((split) => {
              const s = summary.splits[split];
              return (
                <Table.Tr key={split} data-split={split}>
                  <Table.Td fw={500}>{split}</Table.Td>
                  <Table.Td ta="right">{s.sequences.toLocaleString()}</Table.Td>
                  {summary.classes.map((c) => (
                    <Table.Td key={c} ta="right" data-class={c}>
                      {(s.classCounts[c] ?? 0).toLocaleString()}
                    </Table.Td>
                  ))}
                  <Table.Td>{lengths(s)}</Table.Td>
                  <Table.Td ta="right">{s.sequences ? percent(s.gcMean) : '–'}</Table.Td>
                  <Table.Td ta="right">{s.augmented.toLocaleString()}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      {summary.warnings.length > 0 && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle />} title={`${summary.warnings.length} warning${summary.warnings.length === 1 ? '' : 's'}`}>
          <List size="sm" spacing={2}>
            {summary.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {summary.warnings.length === 0 && (
        <Group gap="xs">
          <Badge color="teal" variant="light">
            No warnings
          </Badge>
          <Text size="xs" c="dimmed">
            Classes and splits look usable for training.
          </Text>
        </Group>
      )}
    </>
  );
}
