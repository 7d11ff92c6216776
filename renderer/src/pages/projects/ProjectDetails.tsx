// The open project: where it is, when it was made, what is in it.
import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconPencil, IconTrash, IconX } from '@tabler/icons-react';
import type { ProjectInfo } from '../../../../shared/contract/projects';
import { formatDate } from '../../lib/format';
import { formatBytes } from '../../../../shared/bytes';

interface Props {
  project: ProjectInfo;
  onRename: () => void;
  onDelete: () => void;
  onClose: () => void;
}

export function ProjectDetails({ project, onRename, onDelete, onClose }: Props) {
  const facts: [string, string][] = [
    ['File', project.path],
    ['Created', formatDate(project.createdAt)],
    ['Last changed', formatDate(project.modifiedAt)],
    ['Size', formatBytes(project.sizeBytes)],
    ['Schema version', String(project.schemaVersion)],
  ];
  const counts: [string, number][] = [
    ['Genomes', project.counts.genomes],
    ['Datasets', project.counts.datasets],
    ['Models', project.counts.models],
    ['Training runs', project.counts.runs],
  ];
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="open-project-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Group gap="sm" miw={0}>
            <Title order={3} id="open-project-title" style={{ overflowWrap: 'anywhere' }}>
              {project.name}
            </Title>
            <Badge variant="light">Open</Badge>
          </Group>
          <Group gap="xs">
            <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={onRename}>
              Rename
            </Button>
            <Button size="xs" variant="default" leftSection={<IconX size={14} />} onClick={onClose}>
              Close
            </Button>
            <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={14} />} onClick={onDelete}>
              Delete…
            </Button>
          </Group>
        </Group>
        <Table variant="vertical" layout="fixed" withTableBorder={false} aria-label="Project details">
          <Table.Tbody>
            {facts.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w={160} scope="row">
                  {label}
                </Table.Th>
                <Table.Td ff={label === 'File' ? 'monospace' : undefined} fz={label === 'File' ? 'sm' : undefined} style={{ overflowWrap: 'anywhere' }}>
                  {value}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" role="list" aria-label="Contents">
          {counts.map(([label, n]) => (
            <Card key={label} withBorder padding="sm" role="listitem" aria-label={`${label}: ${n}`}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {label}
              </Text>
              <Text size="xl" fw={700}>
                {n.toLocaleString()}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      </Stack>
    </Card>
  );
}
