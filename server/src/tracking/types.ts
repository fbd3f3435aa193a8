// Public types of the tracking service (MLflow's experiments, runs, params, tags, metrics, dataset inputs), in
// camelCase domain form. The MLflow REST adapter (api/mlflow/) maps them to MLflow's JSON; /api/v1 code uses them as
// they are. Keep these stable: other modules code against them.
import type { Database } from '../db/connection.js';

export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
/** MLflow RunStatus (proto numbers 1..5 in this order). */
export type RunStatus = (typeof RUN_STATUSES)[number];

export type LifecycleStage = 'active' | 'deleted';

export const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
/** MLflow ViewType (proto numbers 1..3 in this order). */
export type ViewType = (typeof VIEW_TYPES)[number];

export interface Tag {
  key: string;
  value: string;
}

export interface Param {
  key: string;
  value: string;
}

export interface Metric {
  key: string;
  /** NaN and ±Infinity allowed; ±Infinity is stored (and returned) as ±Number.MAX_VALUE, as MLflow's SQL store does */
  value: number;
  /** epoch ms */
  timestamp: number;
  step: number;
}

export interface RunMetric extends Metric {
  runId: string;
}

export interface Experiment {
  /** MLflow ids are decimal strings: "0" is the Default experiment */
  experimentId: string;
  name: string;
  /** `mlflow-artifacts:/<id>` unless given at creation */
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  /** epoch ms */
  creationTime: number | null;
  /** epoch ms */
  lastUpdateTime: number | null;
  tags: Tag[];
}

export interface RunInfo {
  /** 32 lowercase hex characters (uuid4 without hyphens); MLflow's run_uuid is the same value */
  runId: string;
  experimentId: string;
  runName: string;
  userId: string | null;
  status: RunStatus;
  /** epoch ms */
  startTime: number | null;
  /** epoch ms */
  endTime: number | null;
  /** `<experiment artifact_location>/<run_id>/artifacts` */
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

export interface RunData {
  /** the latest value per key: the largest (step, timestamp, value) */
  metrics: Metric[];
  params: Param[];
  tags: Tag[];
}

export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema: string | null;
  profile: string | null;
}

export interface DatasetInput {
  /** e.g. `mlflow.data.context` = training */
  tags: Tag[];
  dataset: Dataset;
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs: { datasetInputs: DatasetInput[] };
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs and results.

export interface CreateExperimentInput {
  name: string;
  /** default `mlflow-artifacts:/<experiment id>` */
  artifactLocation?: string | null;
  tags?: Tag[];
}

export interface SearchExperimentsInput {
  /** MLflow filter grammar for experiments, e.g. `name LIKE 'food%' and tags.team = 'cv'` */
  filter?: string | null;
  /** default ACTIVE_ONLY */
  viewType?: ViewType;
  /** default 1000, at most 50000 */
  maxResults?: number;
  /** e.g. ['creation_time DESC']; default creation_time DESC, experiment_id ASC */
  orderBy?: string[];
  /** opaque, from a previous result */
  pageToken?: string | null;
}

export interface SearchExperimentsResult {
  experiments: Experiment[];
  /** null when there are no more results */
  nextPageToken: string | null;
}

export interface CreateRunInput {
  /** default "0" (the Default experiment) */
  experimentId?: string | null;
  userId?: string | null;
  /** made up (e.g. "placid-foal-670") when absent; also taken from an `mlflow.runName` tag */
  runName?: string | null;
  /** epoch ms; default now */
  startTime?: number | null;
  tags?: Tag[];
}

export interface UpdateRunInput {
  runId: string;
  status?: RunStatus | null;
  endTime?: number | null;
  runName?: string | null;
}

export interface LogBatchInput {
  runId: string;
  /** at most 1000 */
  metrics?: Metric[];
  /** at most 100; immutable once logged (the same value again is fine) */
  params?: Param[];
  /** at most 100; overwrite earlier values */
  tags?: Tag[];
}

export interface SearchRunsInput {
  experimentIds: string[];
  /** MLflow filter grammar for runs, e.g. `metrics.acc > 0.5 and params.opt = 'adam'` */
  filter?: string | null;
  /** default ACTIVE_ONLY */
  runViewType?: ViewType;
  /** default 1000, at most 50000 */
  maxResults?: number;
  /** e.g. ['metrics.acc DESC']; default start_time DESC, run_id ASC */
  orderBy?: string[];
  pageToken?: string | null;
}

export interface SearchRunsResult {
  runs: Run[];
  nextPageToken: string | null;
}

export interface GetMetricHistoryInput {
  runId: string;
  metricKey: string;
  /** page size (default 25000, what the Python client sends); pages are ordered by (step, timestamp, value) */
  maxResults?: number | null;
  pageToken?: string | null;
}

export interface MetricHistoryPage {
  metrics: Metric[];
  nextPageToken: string | null;
}

export interface GetMetricHistoryBulkIntervalInput {
  runIds: string[];
  metricKey: string;
  startStep?: number | null;
  endStep?: number | null;
  /** points per run, sampled evenly over the steps; default 320 */
  maxResults?: number | null;
}

/**
 * The tracking service. Every method validates its input the way MLflow does and throws the typed errors of
 * util/errors.ts (InvalidParameter, NotFound, AlreadyExists, ...); nothing returns null for "not found" except the
 * find* methods.
 */
export interface TrackingService {
  readonly database: Database;

  createExperiment(input: CreateExperimentInput): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment>;
  getExperimentByName(name: string): Promise<Experiment>;
  findExperimentByName(name: string): Promise<Experiment | null>;
  searchExperiments(input?: SearchExperimentsInput): Promise<SearchExperimentsResult>;
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  deleteExperiment(experimentId: string): Promise<void>;
  restoreExperiment(experimentId: string): Promise<void>;
  setExperimentTag(experimentId: string, tag: Tag): Promise<void>;

  createRun(input?: CreateRunInput): Promise<Run>;
  getRun(runId: string): Promise<Run>;
  updateRun(input: UpdateRunInput): Promise<RunInfo>;
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  searchRuns(input: SearchRunsInput): Promise<SearchRunsResult>;

  logBatch(input: LogBatchInput): Promise<void>;
  logMetric(runId: string, metric: Metric): Promise<void>;
  logParam(runId: string, param: Param): Promise<void>;
  setTag(runId: string, tag: Tag): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  logInputs(runId: string, datasets: DatasetInput[]): Promise<void>;
  /** appends the MLmodel JSON to the run tag `mlflow.log-model.history` */
  logModel(runId: string, modelJson: string): Promise<void>;

  getMetricHistory(input: GetMetricHistoryInput): Promise<MetricHistoryPage>;
  getMetricHistoryBulkInterval(input: GetMetricHistoryBulkIntervalInput): Promise<RunMetric[]>;
}
