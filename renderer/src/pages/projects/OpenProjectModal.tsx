// "Open project" by path. Browser mode has no native file dialog (the page cannot see the
// server's disk), so the user types or pastes the path; the desktop menu uses a dialog instead.
import { Modal, Stack } from '@mantine/core';
import { useState } from 'react';
import type { ProjectInfo } from '../../../../shared/contract/projects';
import { useClient } from '../../api/context';
import { ModalActions } from '../../components/ModalActions';
import { PathInput } from '../../components/PathInput';
import { ErrorAlert } from '../../lib/ErrorAlert';
import { coveredByFields, fieldErrors } from '../../lib/errors';
import { notifySuccess } from '../../lib/notify';
import { submitWith, useSubmit } from '../../lib/useSubmit';

const fields = ['path'] as const;

export function OpenProjectModal({ opened, onClose, onOpened }: { opened: boolean; onClose: () => void; onOpened: (project: ProjectInfo) => void }) {
  const client = useClient();
  const [path, setPath] = useState('');
  const { busy, error, setError, run } = useSubmit(
    async () => {
      const project = await client.call('projects.open', { path: path.trim() });
      notifySuccess('Project opened', project.name);
      onOpened(project);
      // As close() does; the error is already cleared by the submit.
      setPath('');
      onClose();
    },
    { failureTitle: 'Could not open the project' },
  );

  function close() {
    setPath('');
    setError(null);
    onClose();
  }

  const errors = fieldErrors(error, fields);
  return (
    <Modal opened={opened} onClose={close} title="Open project" size="lg">
      <form onSubmit={submitWith(run)} noValidate>
        <Stack>
          {error && !coveredByFields(error, fields) && <ErrorAlert error={error} />}
          <PathInput
            label="Project file"
            description="Full path of a .loci file on the computer running Loci."
            placeholder="/home/me/projects/arabidopsis.loci"
            required
            data-autofocus
            value={path}
            onChange={(e) => setPath(e.currentTarget.value)}
            error={errors.path}
          />
          <ModalActions onCancel={close} confirmLabel="Open" busy={busy} />
        </Stack>
      </form>
    </Modal>
  );
}
