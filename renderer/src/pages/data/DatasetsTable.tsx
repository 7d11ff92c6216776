// The project's datasets: where they came from, how they are split and how balanced the classes
// are, with view, export and delete.
import { Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconDownload, IconEye, IconTrash } from '@tabler/icons-react';
import type { DatasetSummary, Genome } from '../../../../shared/contract/data';
import { ActionsHeader, AgoText, IconAction, RowActions } from '../../components/TableParts';

const splits = ['train', 'dev', 'test'] as const;

export function classTotals(d: DatasetSummary): Array<[string, number]> {
  return d.classes.map((c) => [c, splits.reduce((a, s) => a + (d.splits[s].classCounts[c] ?? 0), 0)]);
}

function source(d: DatasetSummary, genomes: Genome[]): string {
  if (d.source === 'regions') return `regions on ${genomes.find((g) => g.id === d.genomeId)?.name ?? 'a removed genome'}`;
  return d.source === 'tables' ? 'labelled tables (train/dev/test)' : 'labelled table';
}

interface Props {
  datasets: DatasetSummary[];
  genomes: Genome[];
  onView: (d: DatasetSummary) => void;
  onExport: (d: DatasetSummary) => void;
  onRemove: (d: DatasetSummary) => void;
}

export function DatasetsTable({ datasets, genomes, onView, onExport, onRemove }: Props) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table highlightOnHover verticalSpacing="xs" aria-label="Datasets">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Source</Table.Th>
            <Table.Th style={{ whiteSpace: 'nowrap' }}>Train / dev / test</Table.Th>
            <Table.Th>Classes</Table.Th>
            <Table.Th>Created</Table.Th>
            <ActionsHeader width={200} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {datasets.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>
                <Stack gap={2} align="flex-start">
                  <Text fw={500} size="sm">
                    {d.name}
                  </Text>
                  {d.version && (
                    <Tooltip label={d.version.changes} multiline maw={420}>
                      <Text size="xs" c="dimmed" tabIndex={0} data-testid="dataset-version">
                        version of {d.version.parentName} (id {d.version.parentId}) · with annotations
                      </Text>
                    </Tooltip>
                  )}
                  {d.warnings.length > 0 && (
                    <Tooltip label={d.warnings.join('\n')} multiline maw={420} style={{ whiteSpace: 'pre-line' }}>
                      <Badge size="xs" color="yellow" variant="light" tt="none" tabIndex={0}>
                        {d.warnings.length} warning{d.warnings.length === 1 ? '' : 's'}
                      </Badge>
                    </Tooltip>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Tooltip label={d.split} multiline maw={360}>
                  <Text size="sm">{source(d, genomes)}</Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <Text size="sm" data-testid="split-sizes">
                  {splits.map((s) => d.splits[s].sequences.toLocaleString()).join(' / ')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {classTotals(d).map(([c, n]) => (
                    <Badge key={c} variant="light" color="gray" tt="none" size="sm">
                      {c}: {n.toLocaleString()}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <AgoText at={d.createdAt} />
              </Table.Td>
              <RowActions>
                <Button size="xs" variant="light" leftSection={<IconEye size={14} />} onClick={() => onView(d)} aria-label={`View ${d.name}`}>
                  View
                </Button>
                <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => onExport(d)} aria-label={`Export ${d.name}`}>
                  Export
                </Button>
                <IconAction tooltip="Delete the dataset" label={`Delete dataset ${d.name}`} icon={<IconTrash size={16} />} onClick={() => onRemove(d)} />
              </RowActions>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
