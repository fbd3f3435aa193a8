// The dashboard's data hooks. Every key starts with 'mlops' so Refresh and "updated at" cover exactly these queries;
// panels reading the same endpoint share one request.
import { useQuery } from '@tanstack/react-query';
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

export function useDrift() {
  const { filters, refetchInterval } = useDashboard();
  return useQuery({ queryKey: [MLOPS_KEY, 'drift', filters], queryFn: () => getDrift(filters), refetchInterval });
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
