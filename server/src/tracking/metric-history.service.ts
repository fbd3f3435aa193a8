// Metric history: the full series of one run's metric, paged (metrics/get-history), and an evenly sampled series for
// several runs (metrics/get-history-bulk-interval, which the UI charts use).
import { InvalidParameter } from '../util/errors.js';
import type { TrackingContext } from './context.js';
import { fromStoredValue } from './metric-values.js';
import { selectMetricHistory, selectMetricPointsInRange, type MetricPointRow } from './metrics.repository.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import type { GetMetricHistoryBulkIntervalInput, GetMetricHistoryInput, Metric, MetricHistoryPage, RunMetric } from './types.js';

/** What the Python client asks for per page. */
export const METRIC_HISTORY_PAGE_DEFAULT = 25_000;
/** Bounds one answer's memory; MLflow sets no limit (its SQL store ignores paging). */
export const METRIC_HISTORY_PAGE_MAX = 1_000_000;
/** MLflow's limits for get-history-bulk-interval. */
export const BULK_INTERVAL_MAX_RUNS = 100;
export const BULK_INTERVAL_MAX_RESULTS = 2500;
export const BULK_INTERVAL_DEFAULT_RESULTS = 320;

function toPoint(key: string, r: MetricPointRow): Metric {
  return { key, value: fromStoredValue(r.value, r.is_nan), timestamp: Number(r.timestamp), step: Number(r.step) };
}

/** Ordered by (step, timestamp, value). A run that does not exist has no history, as in MLflow's SQL store. */
export async function getMetricHistory(ctx: TrackingContext, input: GetMetricHistoryInput): Promise<MetricHistoryPage> {
  const pageSize = input.maxResults ?? METRIC_HISTORY_PAGE_DEFAULT;
  if (!Number.isSafeInteger(pageSize) || pageSize <= 0 || pageSize > METRIC_HISTORY_PAGE_MAX) {
    throw new InvalidParameter(
      `Invalid value for request parameter max_results. It must be a positive integer of at most ${METRIC_HISTORY_PAGE_MAX}, ` +
        `but got value ${pageSize}`,
    );
  }
  const offset = decodePageToken(input.pageToken);
  const rows = await selectMetricHistory(ctx.db, input.runId, input.metricKey, pageSize + 1, offset);
  const page = rows.length > pageSize ? rows.slice(0, pageSize) : rows;
  return {
    metrics: page.map((r) => toPoint(input.metricKey, r)),
    nextPageToken: rows.length > pageSize ? encodePageToken(offset + pageSize) : null,
  };
}

/**
 * `maxResults` steps out of the sorted distinct `steps`, evenly spaced and always including the first and the last
 * (MLflow's _get_sampled_steps_from_steps).
 */
export function sampleSteps(steps: readonly number[], maxResults: number): Set<number> {
  if (steps.length <= maxResults) return new Set(steps);
  const picked = new Set<number>();
  const interval = (steps.length - 1) / (maxResults - 1 || 1);
  for (let i = 0; i < maxResults; i++) picked.add(steps[Math.round(i * interval)]!);
  picked.add(steps[steps.length - 1]!);
  return picked;
}

export async function getMetricHistoryBulkInterval(
  ctx: TrackingContext,
  input: GetMetricHistoryBulkIntervalInput,
): Promise<RunMetric[]> {
  const runIds = [...new Set(input.runIds)];
  if (runIds.length === 0) throw new InvalidParameter('GetMetricHistoryBulkInterval request must specify at least one run_id.');
  if (runIds.length > BULK_INTERVAL_MAX_RUNS) {
    throw new InvalidParameter(
      `GetMetricHistoryBulkInterval request cannot specify more than ${BULK_INTERVAL_MAX_RUNS} run_ids. Received ${runIds.length} run_ids.`,
    );
  }
  const maxResults = input.maxResults ?? BULK_INTERVAL_DEFAULT_RESULTS;
  if (!Number.isSafeInteger(maxResults) || maxResults <= 0 || maxResults > BULK_INTERVAL_MAX_RESULTS) {
    throw new InvalidParameter(`max_results must be between 1 and ${BULK_INTERVAL_MAX_RESULTS}, got ${maxResults}.`);
  }
  const start = input.startStep ?? null;
  const end = input.endStep ?? null;
  if (start !== null && end !== null && start > end) {
    throw new InvalidParameter(`end_step must be greater than start_step. Found start_step=${start} and end_step=${end}.`);
  }
  const out: RunMetric[] = [];
  for (const runId of [...runIds].sort()) {
    const rows = await selectMetricPointsInRange(ctx.db, runId, input.metricKey, start, end);
    const steps = [...new Set(rows.map((r) => Number(r.step)))];
    const keep = sampleSteps(steps, maxResults);
    for (const r of rows) if (keep.has(Number(r.step))) out.push({ ...toPoint(input.metricKey, r), runId });
  }
  return out;
}
