// Step 2 for labelled sequences: the format, the classes and how many of each, sequence lengths,
// the first rows, and the lines that could not be read.
import { Badge, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { TablePreview } from '../../../../../shared/contract/data';
import { LineErrorsTable } from './LineErrorsTable';
import { formatBpRange } from '../../../../../shared/bp';

export function TablePreviewStep({ preview }: { preview: TablePreview }) {
  return (
    <Stack gap="md">
      <Group gap="xs">
        <Badge variant="light" size="lg" tt="none">
          Detected: {preview.format.toUpperCase()}
        </Badge>
        <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {preview.summary}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Sequences
          </Text>
          <Text fw={700}>{preview.count.toLocaleString()}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Lengths
          </Text>
          <Text fw={700}>{formatBpRange(preview.lengthMin, preview.lengthMax)}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Lines with problems
          </Text>
          <Text fw={700}>{preview.errorCount.toLocaleString()}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Classes
          </Text>
          <Group gap={4} mt={2} role="group" aria-label="Class counts">
            {preview.classes.map((c) => (
              <Badge key={c} variant="light" color="gray" tt="none">
                {c}: {(preview.classCounts[c] ?? 0).toLocaleString()}
              </Badge>
            ))}
          </Group>
        </div>
      </SimpleGrid>
      <Table.ScrollContainer minWidth={600} mah={260}>
        <Table fz="xs" verticalSpacing={3} striped stickyHeader withTableBorder aria-label="First rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th ta="right">Line</Table.Th>
              <Table.Th>Id</Table.Th>
              <Table.Th>Label</Table.Th>
              <Table.Th>Sequence</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.rows.map((r) => (
              <Table.Tr key={r.line}>
                <Table.Td ta="right" ff="monospace">
                  {r.line}
                </Table.Td>
                <Table.Td>{r.id ?? ''}</Table.Td>
                <Table.Td>{r.label}</Table.Td>
                <Table.Td maw={480}>
                  <Text size="xs" ff="monospace" truncate title={r.sequence}>
                    {r.sequence}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <LineErrorsTable errors={preview.errors} total={preview.errorCount} />
      {preview.errorCount > 0 && (
        <Text size="sm" c="red">
          A dataset is built only from a file without problems: fix these lines and preview again.
        </Text>
      )}
    </Stack>
  );
}
