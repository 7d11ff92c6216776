// Writes a dataset out of the project: GUE-style CSV (train/dev/test.csv), FASTA or BED, plus a
// manifest, into a folder the user names.
import { Checkbox, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { DatasetSummary } from '../../../../shared/contract/data';
import { useClient } from '../../api/context';
import { LabelledChoice } from '../../components/LabelledChoice';
import { ModalActions } from '../../components/ModalActions';
import { PathInput } from '../../components/PathInput';
import { WrittenFiles } from '../../components/WrittenFiles';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { fieldErrors } from '../../lib/errors';
import { notifySuccess } from '../../lib/notify';
import { submitWith, useSubmit } from '../../lib/useSubmit';

type Format = 'csv' | 'fasta' | 'bed';
const formats: Array<{ value: Format; label: string; hint: string }> = [
  { value: 'csv', label: 'CSV', hint: 'train.csv, dev.csv and test.csv with sequence,label columns, the label as class number (the GUE layout DNABERT scripts read).' },
  { value: 'fasta', label: 'FASTA', hint: 'One dataset.fa; each header carries the label, the split and where the sequence comes from.' },
  { value: 'bed', label: 'BED', hint: 'dataset.bed: the windows as genome coordinates, the label as name. Shuffled negatives, reverse-complement copies and imported sequences have no position of their own and are skipped.' },
];

export function ExportDatasetModal({ project, dataset, onClose }: { project: string; dataset: DatasetSummary; onClose: () => void }) {
  const client = useClient();
  const [format, setFormat] = useState<Format>('csv');
  const [dir, setDir] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [written, setWritten] = useState<{ files: string[]; skipped: number } | null>(null);
  const { busy, error, run } = useSubmit(async () => {
    setWritten(null);
    const out = await client.call('datasets.export', { project, datasetId: dataset.id, format, dir: dir.trim(), overwrite });
    setWritten(out);
    notifySuccess('Dataset exported', `${out.files.length} files written to ${dir.trim()}`);
  });

  const errors = fieldErrors(error, ['dir']);
  return (
    <Modal opened onClose={onClose} title={`Export ${dataset.name}`} size="lg">
      <form onSubmit={submitWith(run)} noValidate>
        <Stack>
          <LabelledChoice
            id="export-format-label"
            label="Format"
            value={format}
            onChange={setFormat}
            data={formats.map(({ value, label }) => ({ value, label }))}
            hint={formats.find((f) => f.value === format)?.hint}
          />
          <PathInput
            label="Folder"
            description="Created if it does not exist."
            placeholder="/home/me/exports/my-dataset"
            value={dir}
            onChange={(e) => setDir(e.currentTarget.value)}
            error={errors.dir}
            data-autofocus
          />
          <Checkbox label="Replace files of the same names already in this folder" checked={overwrite} onChange={(e) => setOverwrite(e.currentTarget.checked)} />
          {error && !errors.dir && <ErrorAlert error={error} />}
          {written && (
            <WrittenFiles files={written.files}>
              {written.skipped > 0 && (
                <Text size="xs" c="dimmed">
                  {written.skipped.toLocaleString()} sequences without coordinates were skipped.
                </Text>
              )}
            </WrittenFiles>
          )}
          <ModalActions onCancel={onClose} cancelLabel={written ? 'Close' : 'Cancel'} confirmLabel="Export" busy={busy} disabled={!dir.trim()} />
        </Stack>
      </form>
    </Modal>
  );
}
