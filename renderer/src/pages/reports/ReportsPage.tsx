// Reports: the open project's stored reports (a run's, or a comparison of runs), each previewed
// in the app as the self-contained HTML a colleague or reviewer receives; make a new one, open it
// full size, save it as HTML or PDF, delete it. The same reports as `loci report` and `report list`.
import { Anchor, Badge, Button, Card, Center, Group, Loader, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowsMaximize, IconFileText, IconFileTypeHtml, IconFileTypePdf, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { ReportInfo } from '../../../../shared/contract/reports';
import { useClient, useEvent, useQuery } from '../../api/context';
import { ActionsHeader, AgoText, IconAction, RowActions } from '../../components/TableParts';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { formatBytes } from '../../../../shared/bytes';
import { useProject } from '../../project/context';
import { ConfirmRemoveModal } from '../data/ConfirmRemoveModal';
import { NewReportModal } from './NewReportModal';
import { ReportPreview } from './ReportPreview';
import { SaveReportModal } from './SaveReportModal';

type Dialog = { kind: 'new' } | { kind: 'save'; report: ReportInfo; format: 'html' | 'pdf' } | { kind: 'remove'; report: ReportInfo } | { kind: 'open'; report: ReportInfo } | null;

export default function ReportsPage() {
  const client = useClient();
  const { project } = useProject();
  const path = project?.path ?? null;
  const reports = useQuery('reports.list', path ? { project: path } : null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [selected, setSelected] = useState<number | null>(null);
  useEvent('project.changed', (change) => {
    if (change.path === path) reports.reload();
  });
  const close = () => setDialog(null);
  const list = reports.data ?? [];
  const shown = list.find((r) => r.id === selected) ?? list[0] ?? null;

  return (
    <Stack gap="lg" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Reports</Title>
          <Text c="dimmed" size="sm">
            A run, or several side by side, as one file to hand to a colleague or a reviewer: data with checksums, the model, training curves, test evaluation, genome scans, and the commands that reproduce it.
          </Text>
        </div>
        {path && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'new' })}>
            New report
          </Button>
        )}
      </Group>

      {!path ? (
        <Card withBorder padding="xl">
          <Text size="sm" c="dimmed" ta="center">
            Reports live in a project. <Anchor href="#/projects">Open or create a project</Anchor> to see or make one.
          </Text>
        </Card>
      ) : reports.error ? (
        <ErrorAlert error={reports.error} />
      ) : !reports.data ? (
        <Center h={80}>
          <Loader size="sm" aria-label="Loading the reports" />
        </Center>
      ) : list.length === 0 ? (
        <Card withBorder padding="xl">
          <Stack align="center" gap="xs" ta="center">
            <IconFileText size={32} aria-hidden opacity={0.5} />
            <Text fw={600}>No reports in this project yet</Text>
            <Text size="sm" c="dimmed" maw={560}>
              Make one from a fine-tuning run (finished or not: an unfinished run's report says what is missing), or compare several runs.
            </Text>
            <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'new' })}>
              New report
            </Button>
          </Stack>
        </Card>
      ) : (
        <>
          <Card withBorder padding={0}>
            <Table highlightOnHover aria-label="Reports">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Report</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Runs</Table.Th>
                  <Table.Th ta="right">Size</Table.Th>
                  <Table.Th>Made</Table.Th>
                  <ActionsHeader width={170} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((r) => (
                  <Table.Tr key={r.id} onClick={() => setSelected(r.id)} style={{ cursor: 'pointer' }} bg={shown?.id === r.id ? 'var(--mantine-primary-color-light)' : undefined} aria-selected={shown?.id === r.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {r.title}
                      </Text>
                      {r.notes.length > 0 && (
                        <Text size="xs" c="yellow.8">
                          {r.notes.length === 1 ? '1 note' : `${r.notes.length} notes`}: {r.notes[0]}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={r.kind === 'run' ? 'blue' : 'grape'}>
                        {r.kind}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{r.runIds.join(', ')}</Table.Td>
                    <Table.Td ta="right">{formatBytes(r.sizeBytes)}</Table.Td>
                    <Table.Td>
                      <AgoText at={r.createdAt} />
                    </Table.Td>
                    <RowActions>
                      <IconAction tooltip="Open full size" label={`Open ${r.title}`} icon={<IconArrowsMaximize size={16} />} onClick={() => setDialog({ kind: 'open', report: r })} />
                      <IconAction tooltip="Save as HTML" label={`Save ${r.title} as HTML`} icon={<IconFileTypeHtml size={16} />} onClick={() => setDialog({ kind: 'save', report: r, format: 'html' })} />
                      <IconAction tooltip="Save as PDF" label={`Save ${r.title} as PDF`} icon={<IconFileTypePdf size={16} />} onClick={() => setDialog({ kind: 'save', report: r, format: 'pdf' })} />
                      <IconAction tooltip="Delete" label={`Delete ${r.title}`} icon={<IconTrash size={16} />} onClick={() => setDialog({ kind: 'remove', report: r })} />
                    </RowActions>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          {shown && (
            <section aria-labelledby="preview-heading">
              <Group justify="space-between" mb="xs">
                <Title order={3} size="h4" id="preview-heading">
                  Preview: {shown.title}
                </Title>
                <Button variant="default" size="xs" leftSection={<IconArrowsMaximize size={14} />} onClick={() => setDialog({ kind: 'open', report: shown })}>
                  Open full size
                </Button>
              </Group>
              <ReportPreview project={path} id={shown.id} height="70vh" />
            </section>
          )}
        </>
      )}

      {path && dialog?.kind === 'new' && <NewReportModal project={path} onClose={close} onCreated={(r) => setSelected(r.id)} />}
      {path && dialog?.kind === 'save' && <SaveReportModal project={path} report={dialog.report} initialFormat={dialog.format} onClose={close} />}
      {path && dialog?.kind === 'open' && (
        <Modal opened onClose={close} title={dialog.report.title} fullScreen>
          <ReportPreview project={path} id={dialog.report.id} height="calc(100vh - 120px)" />
        </Modal>
      )}
      {path && dialog?.kind === 'remove' && (
        <ConfirmRemoveModal
          title={`Delete ${dialog.report.title}?`}
          confirmLabel="Delete report"
          onConfirm={() => client.call('reports.remove', { project: path, id: dialog.report.id })}
          done={{ title: 'Report deleted', message: dialog.report.title }}
          onClose={close}
          onRemoved={() => reports.reload()}
        >
          The report is removed from the project. The runs it describes stay, and any copy you saved stays where you saved it.
        </ConfirmRemoveModal>
      )}
    </Stack>
  );
}
