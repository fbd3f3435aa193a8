// The original specification's tracker as services over the tracking service and the prediction log:
// log_model_metrics, log_parameters, compare_models, get_experiment_runs, get_metrics_history and
// get_prediction_statistics. /api/v1/mlops (api/mlops.routes.ts) is their HTTP face.
export { logModelMetrics, logParameters, type LogMetricsOptions } from './log-model-metrics.js';
export { compareModels, MAX_COMPARED_RUNS } from './compare-models.js';
export { compareRuns, type ComparedMetric, type ComparedParam, type RunComparison } from './compare-runs.js';
export { getExperimentRuns, type ExperimentRunsQuery } from './experiment-runs.js';
export { getFullMetricsHistory, getMetricsHistory, type MetricsHistoryQuery } from './metrics-history.js';
export {
  getPredictionStatistics,
  type PredictionStatistics,
  type PredictionStatisticsQuery,
} from './prediction-statistics.js';
export { countExperimentsAndRuns, type TrackingCounts } from './tracking-counts.js';
export { ensureExperiment } from './ensure-experiment.js';
export { metricDirection, type MetricDirection } from './metric-direction.js';
export * from './run-tags.js';
