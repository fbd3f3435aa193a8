// Data hooks of the Models pages. Every key starts with MODELS_KEY, so a change (alias, stage, deployment, new version)
// invalidates everything these pages show in one call.
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ModelVersionEntry, TimeWindow } from '@foodlens/contracts';
import { compareVersions, listModelVersions } from '../../lib/api';
import { getDeployment, getRegisteredModel, searchModelVersions, searchRegisteredModels } from './api';

export const MODELS_KEY = 'models';
/** Registered models per page of the list. */
export const MODELS_PAGE_SIZE = 25;
/** Versions listed on a model page (newest first); more are counted, not shown. */
export const VERSIONS_SHOWN = 100;

export function useRegisteredModels(filter: string | undefined, pageToken: string | undefined) {
  return useQuery({
    queryKey: [MODELS_KEY, 'search', filter, pageToken],
    queryFn: () => searchRegisteredModels(filter, MODELS_PAGE_SIZE, pageToken),
    placeholderData: keepPreviousData,
  });
}

/** The serving view of every version (all models, or one): roles, loaded, runtime, size. */
export function useServingVersions(model?: string) {
  return useQuery({
    queryKey: [MODELS_KEY, 'serving', model ?? null],
    queryFn: () => listModelVersions('24h', model),
  });
}

export function useRegisteredModel(name: string) {
  return useQuery({ queryKey: [MODELS_KEY, 'model', name], queryFn: () => getRegisteredModel(name) });
}

export function useModelVersions(name: string) {
  return useQuery({ queryKey: [MODELS_KEY, 'versions', name], queryFn: () => searchModelVersions(name, VERSIONS_SHOWN) });
}

/** The live deployment; only asked for when the serving view says the model is deployed (any other model answers
 * 404, which is not an error here). */
export function useDeployment(model: string, deployed: boolean) {
  return useQuery({
    queryKey: [MODELS_KEY, 'deployment', model],
    queryFn: () => getDeployment(model),
    enabled: deployed,
    // loads and unloads finish after a change: keep the loaded/in-flight view current
    refetchInterval: 15_000,
  });
}

export function useComparison(model: string, versions: string[], window: TimeWindow) {
  return useQuery({
    queryKey: [MODELS_KEY, 'compare', model, versions, window],
    queryFn: () => compareVersions(model, versions, window),
    enabled: versions.length >= 2,
    placeholderData: keepPreviousData,
  });
}

export function useInvalidateModels() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: [MODELS_KEY] });
}

/** True when some version of the model has a role in a live deployment. */
export function isDeployed(entries: readonly ModelVersionEntry[]): boolean {
  return entries.some((e) => e.serving.roles.length > 0);
}
