// The dashboard's data hooks. Every key starts with 'mlops' so Refresh and "updated at" cover exactly these queries;
// panels reading the same endpoint share one request.
import { useQuery } from '@tanstack/react-query';
import { DriftReferenceList } from '@foodlens/contracts';
import {
  compareVersions,
  getConfidenceMonitoring,
  getDrift,
  getMonitoringHealth,
  getPerformanceMonitoring,
  getPredictionMonitoring,
  listCurrentAlerts,
  listModelVersions,
  listPredictions,
  query,
  request,
} from '../../lib/api';
import { useDashboard } from './dashboard-context';

export const MLOPS_KEY = 'mlops';

export function usePredictionSummary() {
  const { filters, refetchInterval } = useDashboard();
  return useQuery({
    queryKey: [MLOPS_KEY, 'predictions-summary', filters],
    queryFn: () => getPredictionMonitoring(filters),
    refetchInterval,
  });
}

export function useConfidence() {
  const { filters, refetchInterval } = useDashboard();
  return useQuery({ queryKey: [MLOPS_KEY, 'confidence', filters], queryFn: () => getConfidenceMonitoring(filters), refetchInterval });
}

export function usePerformance() {
  const { filters, refetchInterval } = useDashboard();
  return useQuery({ queryKey: [MLOPS_KEY, 'performance', filters], queryFn: () => getPerformanceMonitoring(filters), refetchInterval });
}

export function useMonitoringHealth() {
  const { refetchInterval } = useDashboard();
  return useQuery({ queryKey: [MLOPS_KEY, 'health'], queryFn: getMonitoringHealth, refetchInterval });
}

/** Which versions of `model` have a drift reference: asked before the drift report, which answers 404 without one. */
export function useDriftReferences(model: string) {
  const { refetchInterval } = useDashboard();
  return useQuery({
    queryKey: [MLOPS_KEY, 'drift-references', model],
    queryFn: () => request(DriftReferenceList, `/api/v1/mlops/monitoring/drift/references?${query({ model })}`),
    refetchInterval,
  });
}

/** The drift report of one model version, asked only once the caller knows the version has a reference. */
export function useDrift(model: string, version: string | undefined, enabled: boolean) {
  const { filters, refetchInterval } = useDashboard();
  const f = { ...filters, model, version };
  return useQuery({ queryKey: [MLOPS_KEY, 'drift', f], queryFn: () => getDrift(f), enabled: enabled && version !== undefined, refetchInterval });
}

export function useModelVersions() {
  const { filters, refetchInterval } = useDashboard();
  return useQuery({
    queryKey: [MLOPS_KEY, 'model-versions', filters.window],
    queryFn: () => listModelVersions(filters.window),
    refetchInterval,
  });
}

/** Compares the given versions of one model; waits until the version list has named them. */
export function useVersionComparison(model: string | undefined, versions: string[]) {
  const { filters, refetchInterval } = useDashboard();
  return useQuery({
    queryKey: [MLOPS_KEY, 'compare', model, versions, filters.window],
    queryFn: () => compareVersions(model!, versions, filters.window),
    enabled: model !== undefined && versions.length > 0,
    refetchInterval,
  });
}

export function useRecentPredictions() {
  const { refetchInterval } = useDashboard();
  return useQuery({ queryKey: [MLOPS_KEY, 'recent-predictions'], queryFn: () => listPredictions(10), refetchInterval });
}

export function useCurrentAlerts() {
  const { refetchInterval } = useDashboard();
  return useQuery({ queryKey: [MLOPS_KEY, 'alerts-current'], queryFn: listCurrentAlerts, refetchInterval });
}
