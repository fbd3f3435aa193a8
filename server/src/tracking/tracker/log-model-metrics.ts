// log_model_metrics and log_parameters of the original tracker, built on the batch call (MLflow's log_batch), in
// as few batches as MLflow's limits allow (1000 metrics, 100 params per call).
import type { Metric, Param, TrackingService } from '../types.js';

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_PER_BATCH = 100;

export interface LogMetricsOptions {
  /** default 0 */
  step?: number;
  /** epoch ms; default now */
  timestamp?: number;
}

/** Logs `{ key: value }` metrics at one step and time. Returns what was logged. */
export async function logModelMetrics(
  tracking: TrackingService,
  runId: string,
  metrics: Readonly<Record<string, number>>,
  opts: LogMetricsOptions = {},
): Promise<Metric[]> {
  const step = opts.step ?? 0;
  const timestamp = opts.timestamp ?? Date.now();
  const list = Object.entries(metrics).map(([key, value]) => ({ key, value, step, timestamp }));
  for (const chunk of chunks(list, MAX_METRICS_PER_BATCH)) await tracking.logBatch({ runId, metrics: chunk });
  return list;
}

/**
 * Logs `{ key: value }` params. Values are stringified as MLflow's Python client does with str(): strings as they are,
 * numbers and booleans in their usual form, objects as JSON (Python would print a dict repr; JSON is what other
 * languages can read back). null/undefined values are skipped: MLflow params have no null.
 */
export async function logParameters(
  tracking: TrackingService,
  runId: string,
  params: Readonly<Record<string, unknown>>,
): Promise<Param[]> {
  const list: Param[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    list.push({ key, value: typeof value === 'object' ? JSON.stringify(value) : String(value) });
  }
  for (const chunk of chunks(list, MAX_PARAMS_PER_BATCH)) await tracking.logBatch({ runId, params: chunk });
  return list;
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
