// get_experiment_runs: one page of an experiment's runs (or of every active experiment's), through the tracking
// service's search so the MLflow filter and order_by grammar, and its page tokens, work here too.
import type { SearchRunsResult, TrackingService, ViewType } from '../types.js';

export interface ExperimentRunsQuery {
  /** ids to search; with neither ids nor a name, every active experiment */
  experimentIds?: string[];
  /** an experiment name instead of ids (NotFound when there is none) */
  experimentName?: string;
  filter?: string;
  orderBy?: string[];
  viewType?: ViewType;
  maxResults?: number;
  pageToken?: string | null;
}

export async function getExperimentRuns(tracking: TrackingService, q: ExperimentRunsQuery): Promise<SearchRunsResult> {
  let experimentIds = q.experimentIds?.length ? q.experimentIds : undefined;
  if (!experimentIds && q.experimentName !== undefined) {
    experimentIds = [(await tracking.getExperimentByName(q.experimentName)).experimentId];
  }
  experimentIds ??= await activeExperimentIds(tracking);
  if (experimentIds.length === 0) return { runs: [], nextPageToken: null };
  return tracking.searchRuns({
    experimentIds,
    filter: q.filter ?? null,
    orderBy: q.orderBy,
    runViewType: q.viewType,
    maxResults: q.maxResults,
    pageToken: q.pageToken ?? null,
  });
}

async function activeExperimentIds(tracking: TrackingService): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | null = null;
  do {
    const page = await tracking.searchExperiments({ viewType: 'ACTIVE_ONLY', maxResults: 1000, pageToken });
    ids.push(...page.experiments.map((e) => e.experimentId));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return ids;
}
