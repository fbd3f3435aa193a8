// Whether a bigger value of a metric is better, for comparisons that name a best run. MLflow stores no direction, so
// it is guessed from the key: losses, errors, latencies and durations are "lower is better", everything else
// (accuracy, precision, recall, f1, auc, requests, ...) "higher is better". Callers can name more lower-is-better keys.

export type MetricDirection = 'higher_is_better' | 'lower_is_better';

// Word-ish matches, so 'error_rate', 'val_loss', 'p95_latency_ms', 'mae', 'train/rmse' are all caught while
// 'precision' or 'accuracy' never are.
const LOWER_IS_BETTER = /(^|[^a-z])(loss|error|errors|err|latency|duration|time|mae|mse|rmse|mape|log_loss|perplexity|failed|failures)([^a-z]|$)|_ms$|_s$|_seconds$/i;

export function metricDirection(key: string, lowerIsBetter: ReadonlySet<string> = new Set()): MetricDirection {
  return lowerIsBetter.has(key) || LOWER_IS_BETTER.test(key) ? 'lower_is_better' : 'higher_is_better';
}
