// The project's ISM and variant-effect runs, kept fresh as useScans keeps the scans: reloaded when
// the project changes (one starts, ends, is removed) and, while one runs, from its job's progress.
import { useState } from 'react';
import type { JobProgress } from '../../../../../shared/contract/events';
import { useEvent, useQuery } from '../../../api/context';

export function useInterpretations(project: string) {
  const list = useQuery('interpret.list', { project });
  const [progress, setProgress] = useState<Record<string, JobProgress>>({});
  useEvent('project.changed', (change) => {
    if (change.path === project && change.what === 'interpretations') list.reload();
  });
  useEvent('job.progress', (event) => {
    if ((event.kind !== 'ism' && event.kind !== 'variants') || (event.project !== undefined && event.project !== project)) return;
    setProgress((p) => ({ ...p, [event.jobId]: event }));
    if (event.state !== 'running' && event.state !== 'queued') list.reload();
  });
  return { ...list, progress };
}
