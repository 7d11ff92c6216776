// The project's ISM and variant-effect runs on this genome: what was explained with which model and
// class, state and progress while one runs, runtime and backend; open one under the view (its
// heatmap or table), export it (ISM: CSV table or bedGraph importance; variants: TSV or VCF with
// the scores in INFO), remove it (a running one is cancelled first).
import { ActionIcon, Modal, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconDownload, IconEye, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiError } from '../../../../../shared/contract';
import type { JobProgress } from '../../../../../shared/contract/events';
import type { InterpretInfo } from '../../../../../shared/contract/interpret';
import { toApiError } from '../../../../../shared/client';
import { useClient } from '../../../api/context';
import { ModalActions } from '../../../components/ModalActions';
import { PathInput } from '../../../components/PathInput';
import { ActionsHeader, AgoText, IconAction, RowActions } from '../../../components/TableParts';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { notifyFailure, notifySuccess } from '../../../lib/notify';
import { JobStateCell, RuntimeCell } from '../scans/job-parts';
import { formatBp } from '../../../../../shared/bp';
import { formatLocus } from '../../../../../shared/locus';

type Format = 'csv' | 'bedgraph' | 'tsv' | 'vcf';
const FORMATS: Record<InterpretInfo['kind'], { value: Format; label: string }[]> = {
  ism: [
    { value: 'csv', label: 'CSV: the 4 x L table (combined and per strand) and importance' },
    { value: 'bedgraph', label: 'bedGraph: per-base importance' },
  ],
  variants: [
    { value: 'tsv', label: 'TSV: every scored allele, combined and per strand' },
    { value: 'vcf', label: 'VCF: the input records with the scores in INFO fields' },
  ],
};

export function whatText(r: InterpretInfo): string {
  if (r.region) return `${formatLocus(r.region)} · ${formatBp(r.region.end - r.region.start)}`;
  return r.vcfPath ? (r.vcfPath.split(/[\\/]/).pop() ?? r.vcfPath) : `${r.total.toLocaleString('en-US')} typed allele(s)`;
}

export function ExportModal({ project, run, format: initial, onClose }: { project: string; run: InterpretInfo; format?: Format; onClose: () => void }) {
  const client = useClient();
  const [format, setFormat] = useState<Format>(initial ?? FORMATS[run.kind][0]!.value);
  const [out, setOut] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function save() {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('interpret.export', { project, id: run.id, format, out: out.trim() });
      notifySuccess('Exported', `${r.path} (${r.bytes.toLocaleString('en-US')} bytes)`);
      onClose();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal opened onClose={onClose} title={`Export ${run.name}`} size="lg">
      <Stack>
        <Select label="Format" data={FORMATS[run.kind]} value={format} onChange={(v) => v && setFormat(v as Format)} allowDeselect={false} />
        <PathInput label="Save as" placeholder={`/data/results/${run.name.replace(/\W+/g, '-')}.${format}`} value={out} onChange={(e) => setOut(e.currentTarget.value)} required />
        {error && <ErrorAlert error={error} />}
        <ModalActions onCancel={onClose} confirmLabel="Export" busy={busy} disabled={!out.trim()} onConfirm={() => void save()} />
      </Stack>
    </Modal>
  );
}

interface Props {
  project: string;
  runs: InterpretInfo[];
  progress: Record<string, JobProgress>;
  openedId: number | null;
  onOpen: (run: InterpretInfo) => void;
  onRemoved: (id: number) => void;
}

export function InterpretList({ project, runs, progress, openedId, onOpen, onRemoved }: Props) {
  const client = useClient();
  const [exporting, setExporting] = useState<InterpretInfo | null>(null);
  const [removing, setRemoving] = useState<InterpretInfo | null>(null);
  const [busy, setBusy] = useState(false);

  async function remove(run: InterpretInfo) {
    setBusy(true);
    try {
      await client.call('interpret.remove', { project, id: run.id });
      notifySuccess('Removed', `${run.name} and its results are gone from the project`);
      onRemoved(run.id);
    } catch (err) {
      notifyFailure('Could not remove it', toApiError(err));
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  }

  if (runs.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Nothing explained yet. “Explain region” shows which bases drive a classifier&apos;s score (in-silico mutagenesis); “Variant effects” scores the variants of a VCF.
      </Text>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing={6} highlightOnHover aria-label="Interpretations" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Model · class</Table.Th>
              <Table.Th>Explained</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Runtime · backend</Table.Th>
              <ActionsHeader width={110} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.map((r) => {
              const live = r.jobId ? progress[r.jobId] : undefined;
              const state = live?.state ?? r.state;
              const done = live?.metrics?.done ?? r.done;
              const total = live?.metrics?.total ?? r.total;
              return (
                <Table.Tr key={r.id} data-interpretation-id={r.id} bg={openedId === r.id ? 'var(--mantine-color-blue-light)' : undefined}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {r.name}
                    </Text>
                    <AgoText at={r.createdAt} />
                  </Table.Td>
                  <Table.Td>{r.kind === 'ism' ? 'ISM' : 'Variants'}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.modelName}</Text>
                    <Text size="xs" c="dimmed">
                      {r.className} · window {formatBp(r.window)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{whatText(r)}</Text>
                  </Table.Td>
                  <JobStateCell name={r.name} state={state} done={done} total={total} amount={`${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`} error={r.error} />
                  <RuntimeCell seconds={r.runtimeSeconds} backend={r.backend} />
                  <RowActions>
                    <Tooltip label="Open under the view">
                      <ActionIcon variant="subtle" aria-label={`Open ${r.name}`} onClick={() => onOpen(r)} disabled={state !== 'done'}>
                        <IconEye size={18} />
                      </ActionIcon>
                    </Tooltip>
                    <IconAction tooltip="Export" label={`Export ${r.name}`} icon={<IconDownload size={18} />} onClick={() => setExporting(r)} disabled={state !== 'done'} />
                    <IconAction tooltip="Remove" label={`Remove ${r.name}`} icon={<IconTrash size={18} />} onClick={() => setRemoving(r)} />
                  </RowActions>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {exporting && <ExportModal project={project} run={exporting} onClose={() => setExporting(null)} />}
      {removing && (
        <Modal opened onClose={() => setRemoving(null)} title={`Remove ${removing.name}?`}>
          <Stack>
            <Text size="sm">Its results and track are deleted from the project{removing.state === 'running' ? '; the running job is cancelled first' : ''}. Exported files are kept.</Text>
            <ModalActions onCancel={() => setRemoving(null)} confirmLabel="Remove" danger busy={busy} onConfirm={() => void remove(removing)} />
          </Stack>
        </Modal>
      )}
    </>
  );
}
