// The address's hash, parsed, as state that follows hashchange (like the Train page's route hook).
import { useMemo, useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const currentHash = () => window.location.hash;

export function useHashRoute<T>(parse: (hash: string) => T): T {
  const hash = useSyncExternalStore(subscribe, currentHash);
  return useMemo(() => parse(hash), [parse, hash]);
}
