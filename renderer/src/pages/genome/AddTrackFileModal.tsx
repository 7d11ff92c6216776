// Add one of the user's own track files (bigWig, bedGraph, BED, GFF3, BAM/CRAM with its index) by
// reference: Loci keeps the path and igv.js reads the file by byte range where it is.
import { Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ApiError } from '../../../../shared/contract';
import { toApiError } from '../../../../shared/client';
import { useClient } from '../../api/context';
import { ModalActions } from '../../components/ModalActions';
import { PathInput } from '../../components/PathInput';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { notifySuccess } from '../../lib/notify';

export function AddTrackFileModal({ project, genomeId, onClose, onAdded }: { project: string; genomeId: number; onClose: () => void; onAdded: () => void }) {
  const client = useClient();
  const [path, setPath] = useState('');
  const [indexPath, setIndexPath] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function add() {
    setBusy(true);
    setError(null);
    try {
      const f = await client.call('genomeView.addTrackFile', { project, genomeId, path: path.trim(), ...(indexPath.trim() && { indexPath: indexPath.trim() }), ...(name.trim() && { name: name.trim() }) });
      notifySuccess('Track added', `${f.name} (${f.format}) is in the view`);
      onAdded();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={onClose} title="Add a track file" size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          Your own signal or annotation beside the predictions: bigWig, bedGraph, BED, GFF3, or BAM/CRAM with its index. The file stays where it is and is read by byte range; nothing is copied.
        </Text>
        <PathInput label="File" placeholder="/data/chip/H3K27ac.bw" value={path} onChange={(e) => setPath(e.currentTarget.value)} required data-autofocus />
        <PathInput label="Index (optional)" description="For BAM (.bai/.csi), CRAM (.crai) or bgzipped files (.tbi); found next to the file when left empty" value={indexPath} onChange={(e) => setIndexPath(e.currentTarget.value)} />
        <TextInput label="Name (optional)" placeholder="The file name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        {error && <ErrorAlert error={error} />}
        <ModalActions onCancel={onClose} confirmLabel="Add track" busy={busy} disabled={!path.trim()} onConfirm={() => void add()} />
      </Stack>
    </Modal>
  );
}
