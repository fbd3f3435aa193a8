// Kysely table types: the shape of rows as the drivers return them. Times are epoch milliseconds (BIGINT, parsed to
// JS numbers on PostgreSQL); JSON is stored as text on every dialect. Migrations do not import these: a migration is
// frozen in time, these types follow the latest schema.
import type { Generated } from 'kysely';

export interface PredictionsTable {
  id: string;
  created_at: number;
  user_id: string | null;
  model_name: string | null;
  model_version: string | null;
  status: 'ok' | 'error';
  error_class: string | null;
  food_name: string | null;
  confidence: number | null;
  /** JSON array of detections */
  detections: string;
  latency_ms: number;
  inference_ms: number | null;
  image_width: number | null;
  image_height: number | null;
  image_bytes: number | null;
  image_format: string | null;
  brightness: number | null;
  contrast: number | null;
  saturation: number | null;
  sharpness: number | null;
  /** 'champion' | 'challenger' | 'shadow' (migration 0003); null before deployments existed */
  variant: string | null;
  /** for a shadow prediction: the id of the served prediction it shadowed */
  shadow_of: string | null;
}

/** MLflow's `registered_models`. */
export interface RegisteredModelsTable {
  name: string;
  creation_time: number;
  last_updated_time: number;
  description: string | null;
  /** highest version number ever deleted (migration 0003), so numbers are never reused */
  max_deleted_version: Generated<number>;
}

/** MLflow's `model_versions`. */
export interface ModelVersionsTable {
  name: string;
  version: number;
  creation_time: number;
  last_updated_time: number;
  description: string | null;
  user_id: string | null;
  current_stage: Generated<string>;
  source: string | null;
  run_id: string | null;
  run_link: string | null;
  status: Generated<string>;
  status_message: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// MLflow tracking (migration 0002). is_nan columns are 0/1 integers on both dialects.

export interface ExperimentsTable {
  /** assigned by the database, except 0 (Default), inserted at start */
  experiment_id: Generated<number>;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number | null;
  last_update_time: number | null;
}

export interface ExperimentTagsTable {
  experiment_id: number;
  key: string;
  value: string | null;
}

export interface RunsTable {
  run_uuid: string;
  experiment_id: number;
  name: string;
  user_id: string | null;
  status: 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
  start_time: number | null;
  end_time: number | null;
  deleted_time: number | null;
  lifecycle_stage: 'active' | 'deleted';
  artifact_uri: string;
}

/** params and tags of runs */
export interface RunKeyValueTable {
  run_uuid: string;
  key: string;
  value: string;
}

export interface MetricsTable {
  run_uuid: string;
  key: string;
  step: number;
  timestamp: number;
  value: number;
  is_nan: number;
}

export interface LatestMetricsTable {
  run_uuid: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}

export interface DatasetsTable {
  dataset_uuid: string;
  experiment_id: number;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
}

export interface RunInputsTable {
  run_uuid: string;
  dataset_uuid: string;
  /** order in which the run logged its inputs */
  position: number;
  name: string;
  digest: string;
  /** the `mlflow.data.context` input tag */
  context: string | null;
}

export interface InputTagsTable {
  run_uuid: string;
  dataset_uuid: string;
  key: string;
  value: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Registry tags/aliases, servable versions and deployments (migration 0003).

export interface RegisteredModelTagsTable {
  name: string;
  key: string;
  value: string | null;
}

export interface ModelVersionTagsTable {
  name: string;
  version: number;
  key: string;
  value: string | null;
}

export interface RegisteredModelAliasesTable {
  name: string;
  alias: string;
  version: number;
}

export interface ModelVersionServablesTable {
  name: string;
  version: number;
  /** 'onnx' | 'tfjs-graph' */
  runtime: string;
  /** JSON serving spec (task, labels, input, normalisation) */
  spec: string;
  /** model file (ONNX file or TF.js model.json), relative to MLFLOW_ARTIFACT_LOCATION */
  model_path: string;
  size_bytes: number;
  sha256: string;
  /** load + warm-up time measured when the version was validated */
  load_ms: number | null;
  created_time: number;
}

export interface DeploymentsTable {
  model_name: string;
  revision: number;
  /** JSON deployment config (challengers, shadow) */
  config: string;
  updated_time: number;
}

export interface DeploymentRevisionsTable {
  model_name: string;
  revision: number;
  config: string;
  created_time: number;
  comment: string | null;
}

export interface PredictionFeedbackTable {
  prediction_id: string;
  /** 0/1 */
  correct: number;
  /** the true food when the prediction was wrong (or confirmed) */
  label: string | null;
  created_time: number;
  updated_time: number;
  /** copied from the prediction when the feedback is recorded (migration 0006); null only for feedback older than
   * that whose prediction had already been deleted */
  prediction_created_at: number | null;
  model_name: string | null;
  model_version: string | null;
  variant: string | null;
  confidence: number | null;
  food_name: string | null;
}

export interface Tables {
  predictions: PredictionsTable;
  registered_models: RegisteredModelsTable;
  model_versions: ModelVersionsTable;
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  runs: RunsTable;
  params: RunKeyValueTable;
  tags: RunKeyValueTable;
  metrics: MetricsTable;
  latest_metrics: LatestMetricsTable;
  datasets: DatasetsTable;
  run_inputs: RunInputsTable;
  input_tags: InputTagsTable;
  registered_model_tags: RegisteredModelTagsTable;
  model_version_tags: ModelVersionTagsTable;
  registered_model_aliases: RegisteredModelAliasesTable;
  model_version_servables: ModelVersionServablesTable;
  deployments: DeploymentsTable;
  deployment_revisions: DeploymentRevisionsTable;
  prediction_feedback: PredictionFeedbackTable;
  prediction_rollups: PredictionRollupsTable;
  prediction_rollup_foods: PredictionRollupFoodsTable;
  drift_references: DriftReferencesTable;
  alert_rules: AlertRulesTable;
  alert_instances: AlertInstancesTable;
  alert_events: AlertEventsTable;
  alert_deliveries: AlertDeliveriesTable;
  alert_delivery_attempts: AlertDeliveryAttemptsTable;
  leases: LeasesTable;
  prediction_log_drops: PredictionLogDropsTable;
}

// ---------------------------------------------------------------------------------------------------------------
// Prediction-log rollups (migration 0004). grain: 'm' | 'h' | 'd'; bucket_start: epoch ms (UTC); unknown model,
// version or variant are stored as ''.

export interface PredictionRollupsTable {
  grain: string;
  bucket_start: number;
  model_name: string;
  model_version: string;
  variant: string;
  requests: number;
  errors: number;
  no_food: number;
  anonymous: number;
  confidence_count: number;
  confidence_sum: number;
  latency_sum: number;
  /** JSON array of counts over the fixed confidence bins (monitoring/rollups/histogram-bins.ts) */
  confidence_hist: string;
  /** JSON array of counts over the fixed latency bins */
  latency_hist: string;
  /** HyperLogLog registers (monitoring/rollups/hyperloglog.ts); null on minute buckets */
  users_hll: string | null;
  /** top-users summary (monitoring/rollups/heavy-hitters.ts); null on minute buckets */
  users_top: string | null;
  /** drift feature summaries of the successful predictions, compact JSON (monitoring/drift-monitor/feature-summaries.ts,
   * migration 0005); null when the bucket has none */
  features: string | null;
}

export interface PredictionRollupFoodsTable {
  grain: string;
  bucket_start: number;
  model_name: string;
  model_version: string;
  variant: string;
  /** '' when nothing was recognised */
  food_name: string;
  count: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Drift references (migration 0005): one per model version, the summaries drift is measured against.

export interface DriftReferencesTable {
  model_name: string;
  model_version: string;
  /** JSON: the window's summaries (drift-monitor/feature-summaries.ts encodeWindow) */
  features: string;
  /** JSON: how the reference was chosen ({type: 'window', from, to, variant} | {type: 'first', n, after, variant}) */
  source: string;
  /** human-readable description of the source */
  description: string;
  /** successful predictions summarised */
  row_count: number;
  /** created_at of the first and last prediction summarised (first-N) or the rollup range covered (window) */
  range_from: number | null;
  range_to: number | null;
  created_time: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Alerts (migration 0007): server/src/alerts.

export interface AlertRulesTable {
  id: string;
  name: string;
  /** JSON: the AlertRuleInput as validated, defaults applied */
  spec: string;
  /** key of a default rule created at first start, else null */
  builtin: string | null;
  created_at: number;
  updated_at: number;
}

export interface AlertInstancesTable {
  rule_id: string;
  /** '' for the rule's own scope, `model/version` (URI-encoded parts) for a drift rule's versions */
  instance_key: string;
  model_name: string | null;
  model_version: string | null;
  state: string;
  since: number;
  active_since: number | null;
  last_notified_at: number | null;
  value: number | null;
  last_evaluated_at: number;
  revision: number;
}

export interface AlertEventsTable {
  id: string;
  rule_id: string;
  instance_key: string;
  at: number;
  from_state: string;
  to_state: string;
  value: number | null;
  threshold: number;
  /** 0 | 1 */
  notified: number;
}

export interface AlertDeliveriesTable {
  id: string;
  rule_id: string;
  instance_key: string;
  kind: string;
  url: string;
  format: string;
  /** JSON object of extra request headers */
  headers: string;
  /** JSON AlertNotification */
  payload: string;
  /** 'pending' | 'delivered' | 'failed' | 'cancelled' */
  status: string;
  attempts: number;
  created_at: number;
  next_attempt_at: number | null;
  delivered_at: number | null;
  last_error: string | null;
}

export interface AlertDeliveryAttemptsTable {
  delivery_id: string;
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}

export interface PredictionLogDropsTable {
  /** minute, epoch ms */
  bucket_start: number;
  instance_id: string;
  dropped: number;
}
