// Step 1: the dataset to train on, with its split sizes and classes, so a lopsided or tiny one is
// seen before any time is spent on it.
import { Anchor, Badge, Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconDatabase } from '@tabler/icons-react';
import type { DatasetSummary } from '../../../../../shared/contract/data';
import { classTotals } from '../../data/DatasetsTable';
import { EmptyState } from '../../data/EmptyState';
import { formatBpRange } from '../../../../../shared/bp';

export function DatasetStep({ datasets, value, onChange }: { datasets: DatasetSummary[]; value: string | null; onChange: (id: string) => void }) {
  if (datasets.length === 0) {
    return (
      <EmptyState icon={IconDatabase} title="No datasets in this project yet">
        A dataset holds labelled sequences split into train, dev and test. Build one on the <Anchor href="#/data/datasets">Data page</Anchor> from a genome and a BED file, or from a labelled CSV,
        then come back.
      </EmptyState>
    );
  }
  return (
    <Radio.Group value={value} onChange={onChange} label="Which dataset should the model learn?" description="The model trains on train, picks its best checkpoint on dev, and is scored once on test.">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm" mt="xs">
        {datasets.map((d) => {
          const totals = classTotals(d);
          const smallest = Math.min(...totals.map(([, n]) => n));
          const largest = Math.max(...totals.map(([, n]) => n));
          return (
            <Radio.Card key={d.id} value={String(d.id)} p="md" radius="md" aria-label={`Dataset ${d.name}`}>
              <Group wrap="nowrap" align="flex-start" gap="sm">
                <Radio.Indicator mt={2} />
                <Stack gap={6} miw={0} style={{ flex: 1 }}>
                  <Group justify="space-between" gap="xs" wrap="nowrap">
                    <Text fw={600} truncate>
                      {d.name}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {d.total.toLocaleString()} sequences
                    </Text>
                  </Group>
                  <Group gap="lg">
                    {(['train', 'dev', 'test'] as const).map((s) => (
                      <div key={s}>
                        <Text size="xs" c="dimmed">
                          {s}
                        </Text>
                        <Text size="sm" fw={500} data-testid={`${d.name}-${s}`}>
                          {d.splits[s].sequences.toLocaleString()}
                        </Text>
                      </div>
                    ))}
                    <div>
                      <Text size="xs" c="dimmed">
                        length
                      </Text>
                      <Text size="sm" fw={500}>
                        {formatBpRange(d.splits.train.lengthMin, d.splits.train.lengthMax)}
                      </Text>
                    </div>
                  </Group>
                  <Group gap={4}>
                    {totals.map(([c, n]) => (
                      <Badge key={c} variant="light" color="gray" tt="none" size="sm">
                        {c}: {n.toLocaleString()}
                      </Badge>
                    ))}
                    {smallest > 0 && largest / smallest >= 3 && (
                      <Badge variant="light" color="yellow" tt="none" size="sm">
                        imbalanced: consider balanced class weights
                      </Badge>
                    )}
                  </Group>
                </Stack>
              </Group>
            </Radio.Card>
          );
        })}
      </SimpleGrid>
    </Radio.Group>
  );
}
