// "Retrain with my annotations" (issue 12, point 4): the dialog that says what the new dataset
// version would use (or why it cannot start) and starts it, and the before/after card a retraining
// run shows when it ends, with "Rescan".
import { Alert, Badge, Button, Card, Checkbox, Group, Loader, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconScan } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiError } from '../../../../../shared/contract';
import type { RunDetail, TestMetrics } from '../../../../../shared/contract/training';
import { toApiError } from '../../../../../shared/client';
import { useClient, useQuery } from '../../../api/context';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { notifySuccess } from '../../../lib/notify';
import { metric } from '../format';
import { trainHref } from '../route';

export function RetrainDialog({ project, run, onClose }: { project: string; run: RunDetail; onClose: () => void }) {
  const client = useClient();
  const [includeTest, setIncludeTest] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const preview = useQuery('retrain.preview', { project, runId: run.id, includeTest });
  const p = preview.data;

  async function start() {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('retrain.start', { project, runId: run.id, includeTest, ...(name.trim() && { datasetName: name.trim() }) });
      notifySuccess('Retraining started', `Dataset "${r.dataset.name}" built; fine-tuning ${run.name}'s model on it.`);
      onClose();
      window.location.hash = trainHref({ view: 'run', runId: r.run.id });
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={onClose} title="Retrain with my annotations" size="lg">
      <Stack gap="sm">
        <Text size="sm">
          A new version of <b>{run.datasetName}</b>: its windows, relabelled where your annotations cover them, plus windows cut from the annotations with the same length and split rule. Then{' '}
          <b>{run.name}</b>&apos;s model is fine-tuned on it with the same settings.
        </Text>
        {preview.error && <ErrorAlert error={preview.error} />}
        {!p && !preview.error && <Loader size="sm" aria-label="Checking the annotations" />}
        {p && (
          <Group gap="xs" data-testid="retrain-counts">
            <Badge variant="light">{p.annotations} annotations</Badge>
            <Badge variant="light" color="green">
              {p.usable} usable
            </Badge>
            {p.conflicting > 0 && (
              <Badge variant="light" color="orange">
                {p.conflicting} in conflict
              </Badge>
            )}
            {Object.entries(p.unknownClasses).map(([k, v]) => (
              <Badge key={k} variant="light" color="gray">
                {v} of class “{k}” (not in the model)
              </Badge>
            ))}
          </Group>
        )}
        {p?.refusal && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title="Cannot retrain yet" data-testid="retrain-refusal">
            {p.refusal}
          </Alert>
        )}
        {p && !p.refusal && p.conflicting > 0 && (
          <Alert color="yellow" variant="light" title="Conflicting annotations are left out">
            {p.conflicting} annotations overlap one of another class; resolve them in the Genome view&apos;s annotations table to use them.
          </Alert>
        )}
        <TextInput label="Name of the dataset version" placeholder={p?.datasetName ?? ''} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Checkbox
          checked={includeTest}
          onChange={(e) => setIncludeTest(e.currentTarget.checked)}
          label="Also put annotations in the test set"
          description="Off: the test set stays exactly as it was, so before and after are measured on the same examples."
        />
        {error && <ErrorAlert error={error} onClose={() => setError(null)} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button onClick={() => void start()} loading={busy} disabled={!p || p.refusal !== null}>
            Build and retrain
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const ROWS: Array<[string, (t: TestMetrics) => number | null]> = [
  ['MCC', (t) => t.mcc],
  ['F1 (macro)', (t) => t.f1Macro],
  ['Accuracy', (t) => t.accuracy],
  ['AUROC', (t) => t.auroc],
];

export function BeforeAfter({ run, after, onRescan }: { run: RunDetail; after: TestMetrics; onRescan?: (() => void) | undefined }) {
  const r = run.retrain!;
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="before-after-title" data-testid="before-after">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5" id="before-after-title">
          Before and after retraining with your annotations
        </Title>
        {onRescan && (
          <Button size="xs" leftSection={<IconScan size={14} />} onClick={onRescan}>
            Rescan
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        Before: <a href={trainHref({ view: 'run', runId: r.parentRunId })}>{r.parentName}</a>.{' '}
        {r.sameTestSet ? 'Both on the same test set.' : 'Not the same test set: annotations were put in test too, so the figures are not directly comparable.'}
      </Text>
      <Table withTableBorder={false} verticalSpacing={4} aria-label="Before and after test metrics">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th>Before</Table.Th>
            <Table.Th>After</Table.Th>
            <Table.Th>Change</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ROWS.map(([label, get]) => {
            const b = r.before ? get(r.before) : null;
            const a = get(after);
            const d = a !== null && b !== null ? a - b : null;
            return (
              <Table.Tr key={label}>
                <Table.Td>{label}</Table.Td>
                <Table.Td>{metric(b)}</Table.Td>
                <Table.Td>{metric(a)}</Table.Td>
                <Table.Td c={d === null ? undefined : d >= 0 ? 'green' : 'red'}>{d === null ? '—' : `${d >= 0 ? '+' : ''}${d.toFixed(3)}`}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="xs">
        Dataset changes: {r.changes}
      </Text>
    </Card>
  );
}
