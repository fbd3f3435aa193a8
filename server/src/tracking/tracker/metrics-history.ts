// get_metrics_history: a metric's points for one run, in (step, timestamp, value) order, a page at a time or whole.
import type { Metric, MetricHistoryPage, TrackingService } from '../types.js';

export interface MetricsHistoryQuery {
  runId: string;
  metricKey: string;
  maxResults?: number;
  pageToken?: string | null;
}

/** NotFound for a run that does not exist (MLflow's store would answer an empty history). */
export async function getMetricsHistory(tracking: TrackingService, q: MetricsHistoryQuery): Promise<MetricHistoryPage> {
  await tracking.getRun(q.runId);
  return tracking.getMetricHistory({
    runId: q.runId,
    metricKey: q.metricKey,
    maxResults: q.maxResults ?? null,
    pageToken: q.pageToken ?? null,
  });
}

/** Every point, following page tokens. For code that needs the whole series (tests, exports), not for the API. */
export async function getFullMetricsHistory(tracking: TrackingService, runId: string, metricKey: string): Promise<Metric[]> {
  await tracking.getRun(runId);
  const all: Metric[] = [];
  let pageToken: string | null = null;
  do {
    const page = await tracking.getMetricHistory({ runId, metricKey, pageToken });
    all.push(...page.metrics);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return all;
}
