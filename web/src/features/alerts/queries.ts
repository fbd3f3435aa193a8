// The Alerts page's data hooks. Every key starts with 'alerts', so Refresh, the "updated" time and the invalidation
// after a change cover exactly these queries.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeliveryStatus, TimeWindow } from '@foodlens/contracts';
import { listModelVersions } from '../../lib/api';
import { getRule, listAlerts, listDeliveries, listRules } from './api';

export const ALERTS_KEY = 'alerts';
export const REFRESH_MS = 15_000;
/** Alerts and state changes shown per alert: enough to read an episode, bounded for a flapping rule. */
export const HISTORY = 20;

type Interval = number | false;

export function useRules(refetchInterval: Interval = false) {
  return useQuery({ queryKey: [ALERTS_KEY, 'rules'], queryFn: listRules, refetchInterval });
}

export function useRule(id: string) {
  return useQuery({ queryKey: [ALERTS_KEY, 'rule', id], queryFn: () => getRule(id), refetchOnWindowFocus: false });
}

/** `limit` rows are shown; one more is asked for so the page knows whether there are more. */
export function useAlerts(scope: 'current' | 'recent', limit: number, refetchInterval: Interval) {
  return useQuery({
    queryKey: [ALERTS_KEY, 'list', scope, limit],
    queryFn: () => listAlerts({ scope, limit: limit + 1, history: HISTORY }),
    // "Show more" keeps the rows already shown while the longer page loads
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

export function useDeliveries(status: DeliveryStatus | undefined, limit: number, refetchInterval: Interval) {
  return useQuery({
    queryKey: [ALERTS_KEY, 'deliveries', status ?? 'all', limit],
    queryFn: () => listDeliveries(status, limit + 1),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

/** Model names and versions for the rule form's suggestions (the registry, whatever the window). */
export function useModelNames() {
  const window: TimeWindow = '24h';
  return useQuery({ queryKey: [ALERTS_KEY, 'model-versions'], queryFn: () => listModelVersions(window), staleTime: 60_000 });
}

/** A change to rules: on success every alerts query is refetched, since a rule's change shows in all of them. */
export function useAlertsMutation<A, R>(fn: (arg: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: [ALERTS_KEY] }),
  });
}

/** Firing and pending alerts, and the evaluator's status (which every alert list carries). */
export const CURRENT_LIMIT = 100;
export function useCurrentAlerts(refetchInterval: Interval) {
  return useAlerts('current', CURRENT_LIMIT, refetchInterval);
}
