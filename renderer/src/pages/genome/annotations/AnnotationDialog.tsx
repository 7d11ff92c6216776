// Make or edit one annotation: its class (one of the genome's classes, or a new one typed in), a
// note, and its bounds, shown 1-based inclusive as the view shows them and stored 0-based
// half-open. Delete is here too. Every save is one undoable change on the Node side.
import { Autocomplete, Button, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { Annotation, AnnotationClassInfo } from '../../../../../shared/contract/annotations';
import { useClient } from '../../../api/context';
import { ModalActions } from '../../../components/ModalActions';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { useSubmit } from '../../../lib/useSubmit';
import { formatBp } from '../../../../../shared/bp';

export interface AnnotationDraft {
  chrom: string;
  /** 0-based, as stored. */
  start: number;
  end: number;
  label?: string;
  note?: string;
  source?: Annotation['source'];
  scanId?: number;
  /** Set when editing an existing annotation. */
  id?: number;
}

interface Props {
  project: string;
  genomeId: number;
  draft: AnnotationDraft;
  classes: AnnotationClassInfo[];
  chromLength: number | undefined;
  onClose: () => void;
  onSaved: (a: Annotation) => void;
}

export function AnnotationDialog({ project, genomeId, draft, classes, chromLength, onClose, onSaved }: Props) {
  const client = useClient();
  const editing = draft.id !== undefined;
  const [label, setLabel] = useState(draft.label ?? (classes.length > 1 ? classes[1]! : classes[0])?.name ?? '');
  const [note, setNote] = useState(draft.note ?? '');
  const [first, setFirst] = useState<number | string>(draft.start + 1);
  const [last, setLast] = useState<number | string>(draft.end);
  const save = useSubmit(async () => {
    const bounds = { chrom: draft.chrom, start: Number(first) - 1, end: Number(last) };
    const out =
      draft.id !== undefined
        ? await client.call('annotations.update', { project, id: draft.id, ...bounds, label: label.trim(), note })
        : await client.call('annotations.add', { project, genomeId, ...bounds, label: label.trim(), note, ...(draft.source && { source: draft.source }), ...(draft.scanId !== undefined && { scanId: draft.scanId }) });
    onSaved(out.annotation);
  });
  const remove = useSubmit(async () => {
    if (draft.id === undefined) return;
    await client.call('annotations.remove', { project, ids: [draft.id] });
    onClose();
  });
  const newClass = label.trim() !== '' && !classes.some((c) => c.name === label.trim());
  const length = Number(last) - Number(first) + 1;

  return (
    <Modal opened onClose={onClose} title={editing ? 'Edit annotation' : 'New annotation'} size="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <Stack>
          <Autocomplete
            label="Class"
            description={newClass ? `"${label.trim()}" is a new class` : 'One of the dataset’s classes, or type a new one'}
            data={classes.map((c) => c.name)}
            value={label}
            onChange={setLabel}
            required
            data-autofocus
          />
          <Group grow>
            <TextInput label="Chromosome" value={draft.chrom} readOnly />
            <NumberInput label="Start" description="1-based" min={1} max={chromLength} value={first} onChange={setFirst} thousandSeparator="," allowDecimal={false} />
            <NumberInput label="End" description="included" min={1} max={chromLength} value={last} onChange={setLast} thousandSeparator="," allowDecimal={false} />
          </Group>
          <Text size="xs" c="dimmed">
            {Number.isFinite(length) && length > 0 ? formatBp(length) : 'The end must be at or after the start'}
          </Text>
          <TextInput label="Note" placeholder="Why: e.g. missed peak, known enhancer" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {(save.error ?? remove.error) && <ErrorAlert error={(save.error ?? remove.error)!} />}
          <Group justify="space-between">
            {editing ? (
              <Button color="red" variant="subtle" loading={remove.busy} onClick={() => void remove.run()}>
                Delete
              </Button>
            ) : (
              <span />
            )}
            <ModalActions onCancel={onClose} confirmLabel={editing ? 'Save' : 'Annotate'} busy={save.busy} disabled={!label.trim()} />
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
