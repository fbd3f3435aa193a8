// /api/v1/mlops: the tracker of the original specification (experiments, runs, metric history, model comparison)
// and the prediction statistics, in FoodLens's own JSON (snake_case, times as epoch ms like MLflow's). MLflow clients
// use /api/2.0/mlflow instead; both read the same store.
import { z } from 'zod';

/** Accepts one value, a repeated query parameter or a comma-separated list; answers the list. */
export const stringList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== ''));

/** Epoch milliseconds or an ISO 8601 date-time, answered as epoch ms. */
export const instant = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = typeof v === 'number' || /^-?\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isSafeInteger(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 date-time' });
    return z.NEVER;
  }
  return ms;
});

export const MlopsViewType = z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']);

const pageToken = z.string().min(1).max(4096).optional();

// ---------------------------------------------------------------------------------------------------------------
// Experiments and runs.

export const MlopsExperiment = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string(),
  lifecycle_stage: z.enum(['active', 'deleted']),
  creation_time: z.number().nullable(),
  last_update_time: z.number().nullable(),
  tags: z.record(z.string(), z.string()),
});
export type MlopsExperiment = z.infer<typeof MlopsExperiment>;

export const MlopsExperimentListQuery = z.object({
  /** MLflow filter grammar, e.g. `name LIKE 'food-%'` */
  filter: z.string().max(4096).optional(),
  view_type: MlopsViewType.default('ACTIVE_ONLY'),
  max_results: z.coerce.number().int().min(1).max(1000).default(100),
  page_token: pageToken,
});

export const MlopsExperimentList = z.object({
  experiments: z.array(MlopsExperiment),
  next_page_token: z.string().nullable(),
});
export type MlopsExperimentList = z.infer<typeof MlopsExperimentList>;

/** A metric value; null stands for NaN (JSON has no NaN). */
const metricValue = z.number().nullable();

export const MlopsMetricPoint = z.object({ value: metricValue, step: z.number(), timestamp: z.number() });
export type MlopsMetricPoint = z.infer<typeof MlopsMetricPoint>;

export const MlopsRun = z.object({
  run_id: z.string(),
  run_name: z.string(),
  experiment_id: z.string(),
  user_id: z.string().nullable(),
  status: z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']),
  start_time: z.number().nullable(),
  end_time: z.number().nullable(),
  artifact_uri: z.string(),
  lifecycle_stage: z.enum(['active', 'deleted']),
  params: z.record(z.string(), z.string()),
  /** the latest value of each metric */
  metrics: z.record(z.string(), MlopsMetricPoint),
  tags: z.record(z.string(), z.string()),
  datasets: z.array(z.object({ name: z.string(), digest: z.string(), context: z.string().nullable() })),
});
export type MlopsRun = z.infer<typeof MlopsRun>;

export const MlopsRunListQuery = z
  .object({
    /** one or more experiment ids (repeat the parameter or separate with commas); default every experiment */
    experiment_id: stringList.optional(),
    /** an experiment name instead of ids */
    experiment_name: z.string().min(1).max(500).optional(),
    /** MLflow filter grammar, e.g. `metrics.accuracy > 0.8 and params.model_version = '2'` */
    filter: z.string().max(4096).optional(),
    /** e.g. `metrics.accuracy DESC`; repeat or separate with commas */
    order_by: stringList.optional(),
    view_type: MlopsViewType.default('ACTIVE_ONLY'),
    max_results: z.coerce.number().int().min(1).max(1000).default(100),
    page_token: pageToken,
  })
  .refine((q) => !(q.experiment_id?.length && q.experiment_name), {
    message: 'give experiment_id or experiment_name, not both',
  });

export const MlopsRunList = z.object({
  runs: z.array(MlopsRun),
  next_page_token: z.string().nullable(),
});
export type MlopsRunList = z.infer<typeof MlopsRunList>;

// ---------------------------------------------------------------------------------------------------------------
// Comparison (compare_models).

export const MlopsRunCompareQuery = z.object({
  /** 2 to 20 run ids, repeated or comma-separated */
  run_ids: stringList.pipe(z.array(z.string().min(1).max(64)).min(2).max(20)),
  /** metrics where lower is better beyond the built-in ones (names with loss, error, latency, _ms, ...) */
  lower_is_better: stringList.optional(),
});

export const MlopsRunComparison = z.object({
  /** in the order asked */
  runs: z.array(
    z.object({
      run_id: z.string(),
      run_name: z.string(),
      experiment_id: z.string(),
      status: z.string(),
      start_time: z.number().nullable(),
      /** `<model name>/<version>` when the run says which model it evaluated or serves */
      model: z.string().nullable(),
    }),
  ),
  /** every param key any run has; values[i] belongs to runs[i], null when that run lacks it */
  params: z.array(z.object({ key: z.string(), values: z.array(z.string().nullable()), differs: z.boolean() })),
  /** every metric key any run has, latest values aligned the same way */
  metrics: z.array(
    z.object({
      key: z.string(),
      values: z.array(metricValue),
      direction: z.enum(['higher_is_better', 'lower_is_better']),
      /** the run with the best value; null when fewer than two runs have a value or they all tie */
      best_run_id: z.string().nullable(),
    }),
  ),
});
export type MlopsRunComparison = z.infer<typeof MlopsRunComparison>;

// ---------------------------------------------------------------------------------------------------------------
// Aggregated metrics (get_prediction_statistics plus tracking counts).

export const MlopsMetricsQuery = z
  .object({
    /** inclusive; epoch ms or ISO 8601 */
    from: instant.optional(),
    /** exclusive; epoch ms or ISO 8601 */
    to: instant.optional(),
    model_name: z.string().min(1).max(500).optional(),
    model_version: z.string().min(1).max(50).optional(),
    top_users: z.coerce.number().int().min(0).max(1000).default(10),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to' });

export const MlopsMetrics = z.object({
  /** predictions in the window, successful and failed */
  total_predictions: z.number().int(),
  successful_predictions: z.number().int(),
  failed_predictions: z.number().int(),
  /** failed / total; null without predictions */
  error_rate: z.number().nullable(),
  /** successful predictions that found no known food */
  unrecognised_predictions: z.number().int(),
  /** mean top-food confidence of the predictions that found a food; null when none did */
  average_confidence: z.number().nullable(),
  unique_users: z.number().int(),
  unique_foods: z.number().int(),
  /** active experiments and runs in the tracking store (not limited by the window) */
  total_experiments: z.number().int(),
  total_runs: z.number().int(),
  by_food: z.array(z.object({ food: z.string(), count: z.number().int() })),
  by_error_class: z.array(z.object({ error_class: z.string(), count: z.number().int() })),
  /** UTC days, oldest first */
  by_day: z.array(z.object({ date: z.string(), total: z.number().int(), failed: z.number().int() })),
  top_users: z.array(z.object({ user_id: z.string(), count: z.number().int() })),
  window: z.object({
    from: z.number().nullable(),
    to: z.number().nullable(),
    model_name: z.string().nullable(),
    model_version: z.string().nullable(),
  }),
});
export type MlopsMetrics = z.infer<typeof MlopsMetrics>;

// ---------------------------------------------------------------------------------------------------------------
// Metric history: of a run, or of a model version's serving run.

export const MlopsMetricHistoryQuery = z
  .object({
    metric_key: z.string().min(1).max(250),
    run_id: z.string().min(1).max(64).optional(),
    /** a serving metric of this model version (requests, mean_confidence, p95_latency_ms, error_rate) */
    model_version: z.string().min(1).max(50).optional(),
    /** with model_version; default food-detector */
    model_name: z.string().min(1).max(500).optional(),
    max_results: z.coerce.number().int().min(1).max(25000).default(1000),
    page_token: pageToken,
  })
  .refine((q) => (q.run_id === undefined) !== (q.model_version === undefined), {
    message: 'give exactly one of run_id or model_version',
  })
  .refine((q) => q.model_name === undefined || q.model_version !== undefined, {
    message: 'model_name needs model_version',
  });

export const MlopsMetricHistory = z.object({
  run_id: z.string(),
  metric_key: z.string(),
  /** the model version whose serving run this is, when asked by model_version */
  model: z.object({ name: z.string(), version: z.string() }).nullable(),
  /** ordered by step, then timestamp */
  history: z.array(MlopsMetricPoint),
  next_page_token: z.string().nullable(),
});
export type MlopsMetricHistory = z.infer<typeof MlopsMetricHistory>;
