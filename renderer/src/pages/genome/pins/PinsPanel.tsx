// Loci pinned for reports: "Pin for report" keeps the locus in view (with a short note) in the
// project, and the run reports' genome section draws each one as the Genome view shows it. The
// panel lists the genome's pins with "go to" and remove; `loci pin` does the same from a terminal.
import { Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconArrowRight, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Pin } from '../../../../../shared/contract/genome-view';
import { formatLocus } from '../../../../../shared/locus';
import { useClient } from '../../../api/context';
import { ModalActions } from '../../../components/ModalActions';
import { ActionsHeader, AgoText, IconAction, RowActions } from '../../../components/TableParts';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { notifySuccess } from '../../../lib/notify';
import { submitWith, useSubmit } from '../../../lib/useSubmit';

export interface PinDraft {
  chrom: string;
  /** 0-based, end excluded. */
  start: number;
  end: number;
}

/** Asks for the pin's note, then pins the locus. */
export function PinDialog({ project, genomeId, draft, onClose, onPinned }: { project: string; genomeId: number; draft: PinDraft; onClose: () => void; onPinned: (pin: Pin) => void }) {
  const client = useClient();
  const [note, setNote] = useState('');
  const { busy, error, run } = useSubmit(async () => {
    const pin = await client.call('genomeView.pins.add', { project, genomeId, ...draft, note });
    notifySuccess('Pinned for reports', `${formatLocus(pin)}: run reports show it in their genome section`);
    onPinned(pin);
  });
  return (
    <Modal opened onClose={onClose} title="Pin this locus for reports">
      <form onSubmit={submitWith(run)}>
        <Stack>
          <Text size="sm">
            <Text span ff="monospace" data-testid="pin-locus">
              {formatLocus(draft)}
            </Text>{' '}
            ({(draft.end - draft.start).toLocaleString('en-US')} bp). Each run report of this genome shows it as an image of the Genome view, with your note.
          </Text>
          <TextInput label="Note (optional)" placeholder="e.g. the promoter the model misses" maxLength={500} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-autofocus />
          {error && <ErrorAlert error={error} />}
          <ModalActions onCancel={onClose} confirmLabel="Pin" busy={busy} />
        </Stack>
      </form>
    </Modal>
  );
}

/** The genome's pins, oldest first, each with "go to" and remove. */
export function PinsPanel({ project, pins, onGo, onRemoved }: { project: string; pins: readonly Pin[]; onGo: (pin: Pin) => void; onRemoved: () => void }) {
  const client = useClient();
  const remove = useSubmit(
    async (pin: Pin) => {
      await client.call('genomeView.pins.remove', { project, id: pin.id });
      onRemoved();
    },
    { failureTitle: 'Could not remove the pin' },
  );
  if (pins.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No pinned loci. “Pin for report” keeps the locus in view; run reports then show it as an image of this view, with your note.
      </Text>
    );
  }
  return (
    <Table striped highlightOnHover aria-label="Pinned loci">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Locus</Table.Th>
          <Table.Th>Note</Table.Th>
          <Table.Th>Pinned</Table.Th>
          <ActionsHeader width={80} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {pins.map((p) => (
          <Table.Tr key={p.id} data-pin={p.id}>
            <Table.Td>
              <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                {formatLocus(p)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{p.note}</Text>
            </Table.Td>
            <Table.Td>
              <AgoText at={p.createdAt} />
            </Table.Td>
            <RowActions>
              <IconAction tooltip="Go to this locus" label={`Go to ${formatLocus(p)}`} icon={<IconArrowRight size={16} />} onClick={() => onGo(p)} />
              <IconAction tooltip="Unpin (reports made from now on leave it out)" label={`Unpin ${formatLocus(p)}`} icon={<IconTrash size={16} />} disabled={remove.busy} onClick={() => void remove.run(p)} />
            </RowActions>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
