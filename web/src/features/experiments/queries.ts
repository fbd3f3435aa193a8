// Data hooks of the Experiments pages. Keys start with 'experiments'; lists keep the previous page on screen while the
// next one loads, so paging and sorting do not flash an empty table.
import { type UseQueryResult, useQueries, useQuery } from '@tanstack/react-query';
import {
  compareRuns,
  countRuns,
  getExperiment,
  getMetricHistory,
  getRun,
  listArtifacts,
  listExperiments,
  listRuns,
  readArtifactText,
  type MetricSeries,
  type RunsQuery,
  type ViewType,
} from './api';

const KEY = 'experiments';

/**
 * placeholderData that keeps the previous answer on screen while the next page, sort or filter loads, but only within
 * the same experiment or run (key[2]): another one's rows must never show under this one's heading.
 */
function keepWithin<T>(scope: string | undefined) {
  return (previous: T | undefined, query: { queryKey: readonly unknown[] } | undefined): T | undefined =>
    query?.queryKey[2] === scope ? previous : undefined;
}
/** Bytes of a text artifact shown in its preview. */
export const PREVIEW_BYTES = 64 * 1024;
/** Runs counted per experiment in the list (one page of the runs endpoint; more shows as "100+"). */
export const RUN_COUNT_CAP = 100;

export function useExperimentList(p: { filter?: string; view: ViewType; maxResults: number; pageToken?: string }) {
  return useQuery({ queryKey: [KEY, 'list', 'all', p], queryFn: () => listExperiments(p), placeholderData: keepWithin('all') });
}

export function useExperiment(experimentId: string | undefined) {
  return useQuery({
    queryKey: [KEY, 'experiment', experimentId],
    queryFn: () => getExperiment(experimentId!),
    enabled: experimentId !== undefined,
  });
}

export function useRunCount(experimentId: string, view: ViewType) {
  return useQuery({
    queryKey: [KEY, 'run-count', experimentId, view],
    queryFn: () => countRuns(experimentId, view, RUN_COUNT_CAP),
    staleTime: 30_000,
  });
}

export function useRuns(q: RunsQuery) {
  return useQuery({
    queryKey: [KEY, 'runs', q.experimentId, q],
    queryFn: () => listRuns(q),
    placeholderData: keepWithin(q.experimentId),
  });
}

export function useRun(runId: string | undefined) {
  return useQuery({ queryKey: [KEY, 'run', runId], queryFn: () => getRun(runId!), enabled: runId !== undefined });
}

const historyQuery = (runId: string, metricKey: string) => ({
  queryKey: [KEY, 'history', runId, metricKey],
  queryFn: ({ signal }: { signal: AbortSignal }) => getMetricHistory(runId, metricKey, signal),
  staleTime: 30_000,
});

export function useMetricHistory(runId: string, metricKey: string) {
  return useQuery(historyQuery(runId, metricKey));
}

/** Module level, so useQueries re-runs it (and hands out a new object) only when one of the histories changes. */
function combineHistories(results: UseQueryResult<MetricSeries>[]) {
  return {
    pending: results.some((r) => r.isPending),
    error: results.find((r) => r.isError)?.error ?? null,
    series: results.map((r) => r.data),
  };
}

/** One metric's history for each run, e.g. for an overlaid chart. */
export function useMetricHistories(runIds: readonly string[], metricKey: string) {
  return useQueries({ queries: runIds.map((id) => historyQuery(id, metricKey)), combine: combineHistories });
}

export function useComparison(runIds: readonly string[]) {
  return useQuery({
    queryKey: [KEY, 'compare', runIds],
    queryFn: () => compareRuns(runIds),
    enabled: runIds.length >= 2,
  });
}

export function useArtifacts(runId: string, path: string) {
  return useQuery({
    queryKey: [KEY, 'artifacts', runId, path],
    queryFn: () => listArtifacts(runId, path),
    placeholderData: keepWithin(runId),
  });
}

export function useArtifactText(url: string | null) {
  return useQuery({
    queryKey: [KEY, 'artifact-text', url],
    queryFn: ({ signal }) => readArtifactText(url!, PREVIEW_BYTES, signal),
    enabled: url !== null,
    staleTime: 60_000,
  });
}
