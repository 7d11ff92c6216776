// "New report": pick one run (a run report) or several (a comparison). Runs that did not finish
// can be reported too: the report says what is missing.
import { Badge, Checkbox, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { ReportInfo } from '../../../../shared/contract/reports';
import { useClient, useQuery } from '../../api/context';
import { ModalActions } from '../../components/ModalActions';
import { AgoText } from '../../components/TableParts';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { notifySuccess } from '../../lib/notify';
import { submitWith, useSubmit } from '../../lib/useSubmit';

const MAX_RUNS = 8;

export function NewReportModal({ project, onClose, onCreated }: { project: string; onClose: () => void; onCreated: (r: ReportInfo) => void }) {
  const client = useClient();
  const runs = useQuery('training.list', { project });
  const [chosen, setChosen] = useState<number[]>([]);
  const { busy, error, run } = useSubmit(async () => {
    const info = await client.call('reports.create', { project, runIds: chosen });
    notifySuccess('Report made', info.title);
    onCreated(info);
    onClose();
  });
  const toggle = (id: number) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  const what = chosen.length === 0 ? 'Choose a run' : chosen.length === 1 ? 'Make a run report' : `Compare ${chosen.length} runs`;

  return (
    <Modal opened onClose={onClose} title="New report" size="xl">
      <form onSubmit={submitWith(run)} noValidate>
        <Stack>
          <Text size="sm">
            One run gives a run report (data, model, training, test evaluation, genome scans, the commands that reproduce it). Several runs give a comparison side by side, which says whether they were tested on the same test set.
          </Text>
          {runs.error && <ErrorAlert error={runs.error} />}
          {runs.data?.length === 0 && (
            <Text size="sm" c="dimmed">
              This project has no fine-tuning runs yet: train a model on the Train page first.
            </Text>
          )}
          {runs.data && runs.data.length > 0 && (
            <ScrollArea.Autosize mah={360}>
              <Table highlightOnHover aria-label="Runs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={40} />
                    <Table.Th>Run</Table.Th>
                    <Table.Th>Dataset</Table.Th>
                    <Table.Th>Model</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th ta="right">Test MCC</Table.Th>
                    <Table.Th>Started</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {runs.data.map((r) => (
                    <Table.Tr key={r.id} onClick={() => toggle(r.id)} style={{ cursor: 'pointer' }}>
                      <Table.Td>
                        <Checkbox
                          aria-label={`Include run ${r.id} ${r.name}`}
                          checked={chosen.includes(r.id)}
                          disabled={!chosen.includes(r.id) && chosen.length >= MAX_RUNS}
                          onChange={() => toggle(r.id)}
                          onClick={(e) => e.stopPropagation()}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {r.name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          run {r.id}
                        </Text>
                      </Table.Td>
                      <Table.Td>{r.datasetName}</Table.Td>
                      <Table.Td>{r.modelName}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={r.state === 'done' ? 'green' : r.state === 'failed' ? 'red' : 'gray'}>
                          {r.state}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right">{r.testMcc === null ? '–' : r.testMcc.toFixed(3)}</Table.Td>
                      <Table.Td>
                        <AgoText at={r.createdAt} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          )}
          {chosen.length > 0 && (
            <Group gap="xs">
              <Text size="sm" c="dimmed">
                {chosen.length === 1 ? 'Run report of' : 'Comparison of'}
              </Text>
              {chosen.map((id) => (
                <Badge key={id} variant="outline">
                  run {id}
                </Badge>
              ))}
            </Group>
          )}
          {error && <ErrorAlert error={error} />}
          <ModalActions onCancel={onClose} confirmLabel={what} busy={busy} disabled={chosen.length === 0} />
        </Stack>
      </form>
    </Modal>
  );
}
