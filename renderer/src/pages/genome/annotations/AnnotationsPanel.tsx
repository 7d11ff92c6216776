// The annotations of the genome shown: a table filtered by class, chromosome and text (a page at a
// time, filtered on the Node side so 10,000 annotations stay quick), one click to jump there, bulk
// delete of the selected rows, undo/redo of the last changes, conflicts to resolve before
// retraining, and BED/GFF3 import and export by path.
import { ActionIcon, Alert, Badge, Button, Checkbox, ColorSwatch, Group, Modal, MultiSelect, Select, Stack, Switch, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconArrowForwardUp, IconDownload, IconFileImport, IconPencil, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Annotation, AnnotationClassInfo, AnnotationFormat, UndoState } from '../../../../../shared/contract/annotations';
import { formatLocus } from '../../../../../shared/locus';
import { useClient, useQuery } from '../../../api/context';
import { ModalActions } from '../../../components/ModalActions';
import { PathInput } from '../../../components/PathInput';
import { ActionsHeader, AgoText, IconAction, RowActions } from '../../../components/TableParts';
import { ErrorAlert } from '../../../lib/ErrorAlert';
import { notifySuccess } from '../../../lib/notify';
import { useSubmit } from '../../../lib/useSubmit';
import { formatBp } from '../../../../../shared/bp';

const PAGE = 200;

interface Props {
  project: string;
  genomeId: number;
  chromosomes: { name: string }[];
  classes: AnnotationClassInfo[];
  undo: UndoState | undefined;
  /** Bumped by the page on every project.changed of annotations. */
  revision: number;
  onJump: (a: Annotation) => void;
  onEdit: (a: Annotation) => void;
  onUndo: () => void;
  onRedo: () => void;
}

export function AnnotationsPanel({ project, genomeId, chromosomes, classes, undo, revision, onJump, onEdit, onUndo, onRedo }: Props) {
  const client = useClient();
  const [labels, setLabels] = useState<string[]>([]);
  const [chrom, setChrom] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [port, setPort] = useState<'import' | 'export' | null>(null);
  const list = useQuery('annotations.list', { project, genomeId, ...(labels.length && { labels }), ...(chrom && { chrom }), ...(text.trim() && { text: text.trim() }), limit }, `${genomeId} ${labels.join('\t')} ${chrom} ${text} ${limit} ${revision}`);
  const conflicts = useQuery('annotations.conflicts', { project, genomeId, limit: 50 }, `${genomeId} ${revision}`);
  const rows = list.data?.annotations ?? [];
  const visibleSelected = rows.filter((r) => selected.has(r.id)).map((r) => r.id);
  const removeSelected = useSubmit(
    async () => {
      const out = await client.call('annotations.remove', { project, ids: visibleSelected });
      setSelected(new Set());
      notifySuccess('Annotations removed', `${out.change.description}. Undo brings them back.`);
    },
    { failureTitle: 'Could not remove the annotations' },
  );

  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="wrap">
          <MultiSelect size="xs" w={220} placeholder="All classes" aria-label="Filter by class" data={classes.map((c) => c.name)} value={labels} onChange={setLabels} clearable />
          <Select size="xs" w={140} placeholder="All chromosomes" aria-label="Filter by chromosome" data={chromosomes.map((c) => c.name)} value={chrom} onChange={setChrom} clearable searchable />
          <TextInput size="xs" w={160} placeholder="Search notes" aria-label="Search class or note" value={text} onChange={(e) => setText(e.currentTarget.value)} />
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Tooltip label={undo?.undo ? `Undo: ${undo.undo.description} (Ctrl+Z)` : 'Nothing to undo'}>
            <ActionIcon variant="default" aria-label="Undo" disabled={!undo?.undo} onClick={onUndo}>
              <IconArrowBackUp size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={undo?.redo ? `Redo: ${undo.redo.description} (Ctrl+Shift+Z)` : 'Nothing to redo'}>
            <ActionIcon variant="default" aria-label="Redo" disabled={!undo?.redo} onClick={onRedo}>
              <IconArrowForwardUp size={16} />
            </ActionIcon>
          </Tooltip>
          <Button size="xs" variant="default" leftSection={<IconFileImport size={14} />} onClick={() => setPort('import')}>
            Import
          </Button>
          <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => setPort('export')}>
            Export
          </Button>
          <Button size="xs" color="red" variant="light" leftSection={<IconTrash size={14} />} disabled={visibleSelected.length === 0} loading={removeSelected.busy} onClick={() => void removeSelected.run()}>
            Delete {visibleSelected.length || ''}
          </Button>
        </Group>
      </Group>
      {conflicts.data && conflicts.data.total > 0 && (
        <Alert color="orange" p="xs" title={`${conflicts.data.total} conflict${conflicts.data.total === 1 ? '' : 's'}: overlapping annotations with different classes`} aria-label="Conflicts">
          <Text size="xs">Resolve them (edit or delete one of each pair) before retraining.</Text>
          {conflicts.data.conflicts.slice(0, 5).map((c) => (
            <Group key={`${c.a.id}-${c.b.id}`} gap={6}>
              <Button size="compact-xs" variant="subtle" onClick={() => onJump(c.a)}>
                {c.a.label} {formatLocus(c.a)}
              </Button>
              <Text size="xs">overlaps</Text>
              <Button size="compact-xs" variant="subtle" onClick={() => onJump(c.b)}>
                {c.b.label} {formatLocus(c.b)}
              </Button>
              <Text size="xs" c="dimmed">
                by {formatBp(c.overlap)}
              </Text>
            </Group>
          ))}
        </Alert>
      )}
      {list.error && <ErrorAlert error={list.error} />}
      {rows.length === 0 && !list.loading ? (
        <Text size="sm" c="dimmed">
          {labels.length || chrom || text ? 'No annotation matches.' : 'No annotations yet. Shift-drag on the ruler to select a region, or click a called region and choose “Annotate this”.'}
        </Text>
      ) : (
        <Table striped highlightOnHover fz="sm" aria-label="Annotations" verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={30}>
                <Checkbox
                  aria-label="Select all shown"
                  size="xs"
                  checked={rows.length > 0 && visibleSelected.length === rows.length}
                  indeterminate={visibleSelected.length > 0 && visibleSelected.length < rows.length}
                  onChange={(e) => setSelected(e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                />
              </Table.Th>
              <Table.Th>Class</Table.Th>
              <Table.Th>Region</Table.Th>
              <Table.Th>Note</Table.Th>
              <Table.Th>Made</Table.Th>
              <Table.Th>Changed</Table.Th>
              <ActionsHeader width={40} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((a) => (
              <Table.Tr key={a.id} data-annotation-id={a.id}>
                <Table.Td>
                  <Checkbox
                    size="xs"
                    aria-label={`Select ${a.label} at ${formatLocus(a)}`}
                    checked={selected.has(a.id)}
                    onChange={(e) => {
                      const next = new Set(selected);
                      if (e.currentTarget.checked) next.add(a.id);
                      else next.delete(a.id);
                      setSelected(next);
                    }}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <ColorSwatch color={a.color} size={12} />
                    {a.label}
                    {a.source !== 'manual' && (
                      <Badge size="xs" variant="light" color="gray">
                        {a.source}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" ff="monospace" onClick={() => onJump(a)} aria-label={`Go to ${formatLocus(a)}`}>
                    {formatLocus(a)}
                  </Button>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" truncate maw={220}>
                    {a.note}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <AgoText at={a.createdAt} />
                </Table.Td>
                <Table.Td>
                  <AgoText at={a.updatedAt} />
                </Table.Td>
                <RowActions>
                  <IconAction tooltip="Edit" label={`Edit ${a.label} at ${formatLocus(a)}`} icon={<IconPencil size={16} />} onClick={() => onEdit(a)} />
                </RowActions>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && list.data.total > rows.length && (
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            {rows.length.toLocaleString('en-US')} of {list.data.total.toLocaleString('en-US')} shown
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={() => setLimit((l) => l + PAGE * 5)}>
            Show more
          </Button>
        </Group>
      )}
      {port && <PortDialog project={project} genomeId={genomeId} mode={port} onClose={() => setPort(null)} />}
    </Stack>
  );
}

function PortDialog({ project, genomeId, mode, onClose }: { project: string; genomeId: number; mode: 'import' | 'export'; onClose: () => void }) {
  const client = useClient();
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<AnnotationFormat>('bed');
  const [newClasses, setNewClasses] = useState(false);
  const submit = useSubmit(async () => {
    if (mode === 'export') {
      const out = await client.call('annotations.export', { project, genomeId, format, out: path.trim() });
      notifySuccess('Annotations exported', `${out.count} annotation${out.count === 1 ? '' : 's'} written to ${out.path}`);
    } else {
      const out = await client.call('annotations.import', { project, genomeId, path: path.trim(), newClasses });
      notifySuccess('Annotations imported', `${out.change.description}. Undo removes them again.`);
    }
    onClose();
  });
  return (
    <Modal opened onClose={onClose} title={mode === 'export' ? 'Export annotations' : 'Import annotations'} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit.run();
        }}
      >
        <Stack>
          {mode === 'export' ? (
            <Select label="Format" data={[{ value: 'bed', label: 'BED (class in the name column, colour in itemRgb)' }, { value: 'gff3', label: 'GFF3' }]} value={format} onChange={(v) => v && setFormat(v as AnnotationFormat)} allowDeselect={false} />
          ) : (
            <Text size="sm" c="dimmed">
              A BED file with the class in the name column (as IGV’s region navigator exports), or a GFF3 file (class from the class or Name attribute, else the type). Every line is checked first; nothing is imported when one is wrong.
            </Text>
          )}
          <PathInput label={mode === 'export' ? 'Save as' : 'File'} placeholder={mode === 'export' ? `/home/me/annotations.${format === 'bed' ? 'bed' : 'gff3'}` : '/home/me/regions.bed'} value={path} onChange={(e) => setPath(e.currentTarget.value)} required data-autofocus />
          {mode === 'import' && <Switch label="Accept classes no dataset or annotation uses yet" checked={newClasses} onChange={(e) => setNewClasses(e.currentTarget.checked)} />}
          {submit.error && <ErrorAlert error={submit.error} />}
          <ModalActions onCancel={onClose} confirmLabel={mode === 'export' ? 'Export' : 'Import'} busy={submit.busy} disabled={!path.trim()} />
        </Stack>
      </form>
    </Modal>
  );
}
