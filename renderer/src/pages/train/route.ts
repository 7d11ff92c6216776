// Where in the Train page we are, kept in the address so a reload or the back button returns there:
// `#/train` (runs), `#/train/new[/<dataset id>]` (the wizard, with that dataset chosen), `#/train/run/<id>` (a run's dashboard) and
// `#/train/compare/<id>,<id>[,<id>]`.
import { useCallback, useSyncExternalStore } from 'react';

export type TrainRoute = { view: 'runs' } | { view: 'new'; datasetId?: number } | { view: 'run'; runId: number } | { view: 'compare'; runIds: number[] };

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const currentHash = () => window.location.hash;

/** A run id from the address: a whole number, else null (a stale or hand-typed link). */
const idOf = (text: string): number | null => (/^\d+$/.test(text) && Number(text) > 0 ? Number(text) : null);

export function parseTrainRoute(hash: string): TrainRoute {
  const [, view, arg] = hash.replace(/^#\/?/, '').split('/');
  if (view === 'new') {
    const datasetId = arg ? idOf(arg) : null;
    return datasetId !== null ? { view: 'new', datasetId } : { view: 'new' };
  }
  const runId = view === 'run' && arg ? idOf(arg) : null;
  if (runId !== null) return { view: 'run', runId };
  if (view === 'compare' && arg) {
    const runIds = arg.split(',').map(idOf);
    if (runIds.length >= 2 && runIds.every((id) => id !== null)) return { view: 'compare', runIds: runIds as number[] };
  }
  return { view: 'runs' };
}

export function trainHref(route: TrainRoute): string {
  switch (route.view) {
    case 'runs':
      return '#/train';
    case 'new':
      return route.datasetId !== undefined ? `#/train/new/${route.datasetId}` : '#/train/new';
    case 'run':
      return `#/train/run/${route.runId}`;
    case 'compare':
      return `#/train/compare/${route.runIds.join(',')}`;
  }
}

export function useTrainRoute(): [TrainRoute, (next: TrainRoute) => void] {
  const hash = useSyncExternalStore(subscribe, currentHash);
  const go = useCallback((next: TrainRoute) => {
    window.location.hash = trainHref(next).slice(1);
  }, []);
  return [parseTrainRoute(hash), go];
}
