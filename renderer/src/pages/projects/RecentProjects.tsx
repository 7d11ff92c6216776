// Recently opened projects, newest first. A file that was moved or deleted since stays listed,
// greyed and marked, so the user understands why it will not open and can forget it.
import { Badge, Button, Card, Center, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { IconFolderOpen, IconTrashX } from '@tabler/icons-react';
import type { RecentProject } from '../../../../shared/contract/projects';
import { ActionsHeader, AgoText, IconAction, PathText, RowActions } from '../../components/TableParts';

interface Props {
  recent: RecentProject[] | undefined;
  loading: boolean;
  openPath: string | undefined;
  busyPath: string | null;
  onOpen: (path: string) => void;
  onForget: (project: RecentProject) => void;
}

export function RecentProjects({ recent, loading, openPath, busyPath, onOpen, onForget }: Props) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="recent-projects-title">
      <Stack gap="sm">
        <Title order={3} id="recent-projects-title">
          Recent projects
        </Title>
        {recent === undefined && loading ? (
          <Center h={80}>
            <Loader size="sm" aria-label="Loading recent projects" />
          </Center>
        ) : !recent || recent.length === 0 ? (
          <Text c="dimmed" size="sm">
            No projects yet. Create one, or open a .loci file you already have.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table highlightOnHover verticalSpacing="xs" aria-labelledby="recent-projects-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>File</Table.Th>
                  <Table.Th w={130}>Last opened</Table.Th>
                  <ActionsHeader width={150} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {recent.map((p) => (
                  <Table.Tr key={p.path} data-missing={!p.exists || undefined}>
                    <Table.Td style={dimIfMissing(p)}>
                      <Group gap="xs" wrap="nowrap">
                        <Text fw={500} size="sm" td={p.exists ? undefined : 'line-through'}>
                          {p.name}
                        </Text>
                        {p.path === openPath && (
                          <Badge size="xs" variant="light">
                            open
                          </Badge>
                        )}
                        {!p.exists && (
                          <Badge size="xs" color="gray" variant="outline">
                            file missing
                          </Badge>
                        )}
                        {p.unavailable !== undefined && (
                          <Badge size="xs" color="red" variant="light">
                            unavailable
                          </Badge>
                        )}
                        {p.readOnly !== undefined && (
                          <Badge size="xs" color="yellow" variant="light">
                            read-only
                          </Badge>
                        )}
                      </Group>
                      {(p.unavailable ?? p.readOnly) !== undefined && (
                        <Text size="xs" c={p.unavailable !== undefined ? 'red' : 'dimmed'} maw={420}>
                          {p.unavailable !== undefined ? `Cannot be opened: ${p.unavailable}` : `Opens for reading only: ${p.readOnly}`}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={dimIfMissing(p)}>
                      <PathText>{p.path}</PathText>
                    </Table.Td>
                    <Table.Td style={dimIfMissing(p)}>
                      <AgoText at={p.openedAt} />
                    </Table.Td>
                    <RowActions>
                      {p.exists && p.unavailable === undefined && p.path !== openPath && (
                        <Button size="xs" variant="light" leftSection={<IconFolderOpen size={14} />} loading={busyPath === p.path} onClick={() => onOpen(p.path)} aria-label={`Open ${p.name}`}>
                          Open
                        </Button>
                      )}
                      {p.exists ? (
                        <IconAction tooltip="Forget (keeps the file)" label={`Forget ${p.name}`} icon={<IconTrashX size={16} />} onClick={() => onForget(p)} />
                      ) : (
                        <Button size="xs" variant="default" onClick={() => onForget(p)} aria-label={`Forget ${p.name}`}>
                          Forget
                        </Button>
                      )}
                    </RowActions>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}

function dimIfMissing(p: RecentProject) {
  return p.exists ? undefined : { opacity: 0.5 };
}
