// The project's scans, kept fresh: reloaded when the project changes (a scan starts, ends, is
// removed, a threshold moves) and, while one runs, from its job's progress events.
import { useState } from 'react';
import type { JobProgress } from '../../../../../shared/contract/events';
import { useEvent, useQuery } from '../../../api/context';

export function useScans(project: string) {
  const scans = useQuery('scans.list', { project });
  const [progress, setProgress] = useState<Record<string, JobProgress>>({});
  useEvent('project.changed', (change) => {
    if (change.path === project) scans.reload();
  });
  useEvent('job.progress', (event) => {
    if (event.kind !== 'scan' || (event.project !== undefined && event.project !== project)) return;
    setProgress((p) => ({ ...p, [event.jobId]: event }));
    if (event.state !== 'running' && event.state !== 'queued') scans.reload();
  });
  return { ...scans, progress };
}
