import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';

/** When the newest answer (data or error) of the queries under `prefix` arrived, epoch ms; 0 before any. */
export function useLastUpdated(prefix: string): number {
  const cache = useQueryClient().getQueryCache();
  const subscribe = useCallback((onChange: () => void) => cache.subscribe(onChange), [cache]);
  const snapshot = useCallback(
    () =>
      cache
        .findAll({ queryKey: [prefix] })
        .reduce((t, q) => Math.max(t, q.state.dataUpdatedAt, q.state.errorUpdatedAt), 0),
    [cache, prefix],
  );
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
