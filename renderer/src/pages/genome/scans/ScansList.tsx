// The project's scans: model, genome, what was scanned and how, runtime and backend, progress while
// one runs; per class of interest its threshold (from the dev set, or the user's), which can be
// changed without rescanning; exports (bigWig, bedGraph, BED of called regions); remove; and
// "Show in genome view".
import { ActionIcon, Button, Group, Modal, NumberInput, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconDownload, IconEye, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiError } from '../../../../../shared/contract';
import type { JobProgress } from '../../../../../shared/contract/events';
import type { ScanInfo, ScanThreshold } from '../../../../../shared/contract/scans';
import { toApiError } from '../../../../../shared/client';
import { useClient } from '../../../api/context';
import { ModalActions } from '../../../components/ModalActions';
import { PathInput } from '../../../components/PathInput';
import { ActionsHeader, AgoText, IconAction, RowActions } from '../../../components/TableParts';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { notifyFailure, notifySuccess } from '../../../lib/notify';
import { genomeHref } from '../route';
import { progressText, settingsText, targetText } from './format';
import { JobStateCell, RuntimeCell } from './job-parts';

const sourceLabel: Record<ScanThreshold['source'], string> = { 'dev-mcc': 'best dev MCC', user: 'set by you', 'default-0.5': 'default' };

function ThresholdEditor({ project, scan, t }: { project: string; scan: ScanInfo; t: ScanThreshold }) {
  const client = useClient();
  const [value, setValue] = useState<number | string>(t.threshold);
  const [saving, setSaving] = useState(false);
  const changed = typeof value === 'number' && Math.abs(value - t.threshold) > 1e-9;
  async function save() {
    setSaving(true);
    try {
      await client.call('scans.setThreshold', { project, scanId: scan.id, classIndex: t.classIndex, threshold: Number(value) });
      notifySuccess('Threshold changed', `${t.className}: called regions now at score ≥ ${Number(value).toFixed(2)}`);
    } catch (err) {
      notifyFailure('Could not change the threshold', toApiError(err));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="xs" w={70} truncate title={t.className}>
        {t.className}
      </Text>
      <NumberInput size="xs" w={84} min={0} max={1} step={0.05} decimalScale={3} value={value} onChange={setValue} aria-label={`Threshold of ${t.className} in ${scan.name}`} />
      {changed ? (
        <Button size="compact-xs" onClick={() => void save()} loading={saving}>
          Apply
        </Button>
      ) : (
        <Tooltip label={t.devMcc !== null ? `dev MCC ${t.devMcc.toFixed(3)} at this threshold` : sourceLabel[t.source]}>
          <Text size="xs" c="dimmed">
            {sourceLabel[t.source]}
          </Text>
        </Tooltip>
      )}
    </Group>
  );
}

function ExportModal({ project, scan, onClose }: { project: string; scan: ScanInfo; onClose: () => void }) {
  const client = useClient();
  const [classIndex, setClassIndex] = useState<string>(String(scan.thresholds[0]?.classIndex ?? scan.classesOfInterest[0] ?? 0));
  const [format, setFormat] = useState<'bigwig' | 'bedgraph' | 'bed'>('bigwig');
  const [out, setOut] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function run() {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('scans.export', { project, scanId: scan.id, classIndex: Number(classIndex), format, out: out.trim() });
      notifySuccess('Exported', `${r.path} (${r.bytes.toLocaleString('en-US')} bytes)`);
      onClose();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }
  const ext = format === 'bigwig' ? 'bw' : format;
  return (
    <Modal opened onClose={onClose} title={`Export ${scan.name}`} size="lg">
      <Stack>
        <Select label="Class" data={scan.thresholds.map((t) => ({ value: String(t.classIndex), label: t.className }))} value={classIndex} onChange={(v) => v && setClassIndex(v)} allowDeselect={false} />
        <Select
          label="Format"
          data={[
            { value: 'bigwig', label: 'bigWig: the per-base score track' },
            { value: 'bedgraph', label: 'bedGraph: the per-base score track as text' },
            { value: 'bed', label: 'BED: the called regions, with their max score' },
          ]}
          value={format}
          onChange={(v) => v && setFormat(v as typeof format)}
          allowDeselect={false}
        />
        <PathInput label="Save as" placeholder={`/data/results/${scan.name.replace(/\W+/g, '-')}.${ext}`} value={out} onChange={(e) => setOut(e.currentTarget.value)} required />
        {error && <ErrorAlert error={error} />}
        <ModalActions onCancel={onClose} confirmLabel="Export" busy={busy} disabled={!out.trim()} onConfirm={() => void run()} />
      </Stack>
    </Modal>
  );
}

interface Props {
  project: string;
  scans: ScanInfo[];
  progress: Record<string, JobProgress>;
  /** Called after a removal (the page reloads the list). */
  onChanged: () => void;
}

export function ScansList({ project, scans, progress, onChanged }: Props) {
  const client = useClient();
  const [exporting, setExporting] = useState<ScanInfo | null>(null);
  const [removing, setRemoving] = useState<ScanInfo | null>(null);
  const [busy, setBusy] = useState(false);

  async function remove(scan: ScanInfo) {
    setBusy(true);
    try {
      await client.call('scans.remove', { project, scanId: scan.id });
      notifySuccess('Scan removed', `${scan.name} and its tracks are gone from the project`);
      onChanged();
    } catch (err) {
      notifyFailure('Could not remove the scan', toApiError(err));
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  }

  if (scans.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No scans yet. “Scan genome” runs a trained classifier over the genome and adds its scores and called regions here.
      </Text>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={980}>
        <Table verticalSpacing={6} highlightOnHover aria-label="Scans" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Scan</Table.Th>
              <Table.Th>Model</Table.Th>
              <Table.Th>Scanned</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Runtime · backend</Table.Th>
              <Table.Th>Thresholds</Table.Th>
              <ActionsHeader width={110} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {scans.map((s) => {
              const live = s.jobId ? progress[s.jobId] : undefined;
              const state = live?.state ?? s.state;
              const bpDone = live?.metrics?.bpDone ?? s.bpDone;
              const bpTotal = live?.metrics?.bpTotal ?? s.bpTotal;
              return (
                <Table.Tr key={s.id} data-scan-id={s.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {s.name}
                    </Text>
                    <AgoText at={s.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{s.modelName}</Text>
                    {s.runId && (
                      <Text size="xs" c="dimmed">
                        run {s.runId}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {s.genomeName} · {targetText(s.target)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {settingsText(s.settings)}
                    </Text>
                  </Table.Td>
                  <JobStateCell name={s.name} state={state} done={bpDone} total={bpTotal} amount={progressText(bpDone, bpTotal).text} amountTitle={progressText(bpDone, bpTotal).title} error={s.error} />
                  <RuntimeCell seconds={s.runtimeSeconds} backend={s.backend} />
                  <Table.Td>
                    <Stack gap={4}>
                      {s.thresholds.map((t) => (
                        <ThresholdEditor key={`${t.classIndex}:${t.threshold}`} project={project} scan={s} t={t} />
                      ))}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <RowActions>
                      <Tooltip label="Show in genome view">
                        <ActionIcon component="a" variant="subtle" aria-label={`Show ${s.name} in genome view`} href={genomeHref({ scanId: s.id, ...(s.genomeId !== null && { genomeId: s.genomeId }) })} disabled={state !== 'done'}>
                          <IconEye size={18} />
                        </ActionIcon>
                      </Tooltip>
                      <IconAction tooltip="Export" label={`Export ${s.name}`} icon={<IconDownload size={18} />} onClick={() => setExporting(s)} disabled={state !== 'done'} />
                      <IconAction tooltip="Remove" label={`Remove ${s.name}`} icon={<IconTrash size={18} />} onClick={() => setRemoving(s)} />
                    </RowActions>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {exporting && <ExportModal project={project} scan={exporting} onClose={() => setExporting(null)} />}
      {removing && (
        <Modal opened onClose={() => setRemoving(null)} title={`Remove ${removing.name}?`}>
          <Stack>
            <Text size="sm">Its score tracks and called regions are deleted from the project{removing.state === 'running' ? '; the running scan is cancelled first' : ''}. Exported files are kept.</Text>
            <ModalActions onCancel={() => setRemoving(null)} confirmLabel="Remove scan" danger busy={busy} onConfirm={() => void remove(removing)} />
          </Stack>
        </Modal>
      )}
    </>
  );
}
