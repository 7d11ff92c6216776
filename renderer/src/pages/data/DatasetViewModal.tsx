// One dataset: its summary and the first examples of each split, as they will go to training.
import { Alert, Badge, Center, Loader, Modal, Stack, Table, Tabs, Text } from '@mantine/core';
import type { DatasetSummary } from '../../../../shared/contract/data';
import { useQuery } from '../../api/context';
import { Locus } from '../../components/Locus';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { DatasetSummaryView } from './DatasetSummaryView';
import { formatBp } from '../../../../shared/bp';

const splits = ['train', 'dev', 'test'] as const;
const EXAMPLES = 8;

export function DatasetViewModal({ project, dataset, onClose }: { project: string; dataset: DatasetSummary; onClose: () => void }) {
  const got = useQuery('datasets.get', { project, id: dataset.id, examples: EXAMPLES });
  return (
    <Modal opened onClose={onClose} title={`Dataset: ${dataset.name}`} size={1000}>
      <Stack gap="md">
        <DatasetSummaryView summary={got.data?.summary ?? dataset} />
        {got.error && <ErrorAlert error={got.error} />}
        {!got.data && !got.error ? (
          <Center h={80}>
            <Loader size="sm" aria-label="Loading examples" />
          </Center>
        ) : got.data ? (
          <Tabs defaultValue="train" keepMounted={false}>
            <Tabs.List aria-label="Examples per split">
              {splits.map((s) => (
                <Tabs.Tab key={s} value={s}>
                  {s} examples
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {splits.map((s) => {
              const rows = got.data!.examples.filter((e) => e.split === s);
              return (
                <Tabs.Panel key={s} value={s} pt="xs">
                  {rows.length === 0 ? (
                    <Alert variant="light" color="gray">
                      No {s} examples.
                    </Alert>
                  ) : (
                    <Table.ScrollContainer minWidth={700}>
                      <Table fz="xs" verticalSpacing={4} striped aria-label={`First ${s} examples`}>
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>Label</Table.Th>
                            <Table.Th>Where</Table.Th>
                            <Table.Th>Origin</Table.Th>
                            <Table.Th>Sequence</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {rows.map((e, i) => (
                            <Table.Tr key={i}>
                              <Table.Td>
                                <Badge size="sm" variant="light" tt="none">
                                  {e.label}
                                </Badge>
                              </Table.Td>
                              <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                                {e.chrom !== null && e.start !== null && e.end !== null ? <Locus chrom={e.chrom} start={e.start} end={e.end} strand={e.strand} /> : '–'}
                              </Table.Td>
                              <Table.Td>{e.origin}</Table.Td>
                              <Table.Td ff="monospace" maw={520}>
                                <Text size="xs" ff="monospace" truncate title={e.sequence}>
                                  {e.sequence}
                                </Text>
                                <Text size="xs" c="dimmed">
                                  {formatBp(e.sequence.length)}
                                </Text>
                              </Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </Table.ScrollContainer>
                  )}
                </Tabs.Panel>
              );
            })}
          </Tabs>
        ) : null}
      </Stack>
    </Modal>
  );
}
