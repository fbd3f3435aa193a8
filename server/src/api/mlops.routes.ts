// /api/v1/mlops: the original specification's tracker over HTTP. Thin: each handler calls one tracker service and
// maps domain objects to the contract's JSON; bad input is a zod 400 at the edge or a typed error from the services.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ErrorBody,
  MlopsExperimentList,
  MlopsExperimentListQuery,
  MlopsMetricHistory,
  MlopsMetricHistoryQuery,
  MlopsMetrics,
  MlopsMetricsQuery,
  MlopsRunCompareQuery,
  MlopsRunComparison,
  MlopsRunList,
  MlopsRunListQuery,
  type MlopsExperiment,
  type MlopsMetricPoint,
  type MlopsRun,
} from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { FOOD_MODEL_NAME } from '../inference/index.js';
import { ServingRunStore } from '../serving/serving-runs-store.js';
import { compareModels } from '../tracking/tracker/compare-models.js';
import { getExperimentRuns } from '../tracking/tracker/experiment-runs.js';
import { getMetricsHistory } from '../tracking/tracker/metrics-history.js';
import { getPredictionStatistics } from '../tracking/tracker/prediction-statistics.js';
import { countExperimentsAndRuns } from '../tracking/tracker/tracking-counts.js';
import type { Experiment, Metric, Run, TrackingService } from '../tracking/types.js';
import { NotFound } from '../util/errors.js';

export interface MlopsRouteOptions {
  tracking: TrackingService;
  database: Database;
}

const errors = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

export async function mlopsRoutes(app: FastifyInstance, opts: MlopsRouteOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const servingRuns = new ServingRunStore(opts.tracking);

  r.get('/api/v1/mlops/experiments', {
    schema: {
      summary: 'Experiments, newest first, paged',
      querystring: MlopsExperimentListQuery,
      response: { 200: MlopsExperimentList, ...errors },
    },
    handler: async ({ query }) => {
      const page = await opts.tracking.searchExperiments({
        filter: query.filter ?? null,
        viewType: query.view_type,
        maxResults: query.max_results,
        pageToken: query.page_token ?? null,
      });
      return { experiments: page.experiments.map(experimentJson), next_page_token: page.nextPageToken };
    },
  });

  r.get('/api/v1/mlops/runs', {
    schema: {
      summary: "Runs of one or more experiments (default: every active one), newest first, paged",
      querystring: MlopsRunListQuery,
      response: { 200: MlopsRunList, ...errors },
    },
    handler: async ({ query }) => {
      const page = await getExperimentRuns(opts.tracking, {
        experimentIds: query.experiment_id,
        experimentName: query.experiment_name,
        filter: query.filter,
        orderBy: query.order_by,
        viewType: query.view_type,
        maxResults: query.max_results,
        pageToken: query.page_token ?? null,
      });
      return { runs: page.runs.map(runJson), next_page_token: page.nextPageToken };
    },
  });

  r.get('/api/v1/mlops/runs/compare', {
    schema: {
      summary: 'Runs side by side: params and latest metrics aligned by key, the best run per metric',
      querystring: MlopsRunCompareQuery,
      response: { 200: MlopsRunComparison, ...errors },
    },
    handler: async ({ query }) => {
      const c = await compareModels(opts.tracking, query.run_ids, { lowerIsBetter: query.lower_is_better });
      return {
        runs: c.runs.map((run) => ({
          run_id: run.runId,
          run_name: run.runName,
          experiment_id: run.experimentId,
          status: run.status,
          start_time: run.startTime,
          model: run.model,
        })),
        params: c.params,
        metrics: c.metrics.map((m) => ({
          key: m.key,
          values: m.values.map((v) => (v === null ? null : finite(v))),
          direction: m.direction,
          best_run_id: m.bestRunId,
        })),
      };
    },
  });

  r.get('/api/v1/mlops/metrics', {
    schema: {
      summary: 'Prediction statistics from the prediction log, with experiment and run counts',
      querystring: MlopsMetricsQuery,
      response: { 200: MlopsMetrics, ...errors },
    },
    handler: async ({ query }) => {
      const s = await getPredictionStatistics(opts.database, {
        from: query.from,
        to: query.to,
        modelName: query.model_name,
        modelVersion: query.model_version,
        topUsers: query.top_users,
      });
      const counts = await countExperimentsAndRuns(opts.database);
      return {
        total_predictions: s.totalPredictions,
        successful_predictions: s.successful,
        failed_predictions: s.failed,
        error_rate: s.errorRate,
        unrecognised_predictions: s.unrecognised,
        average_confidence: s.averageConfidence,
        unique_users: s.uniqueUsers,
        unique_foods: s.uniqueFoods,
        total_experiments: counts.experiments,
        total_runs: counts.runs,
        by_food: s.byFood,
        by_error_class: s.byErrorClass.map((e) => ({ error_class: e.errorClass, count: e.count })),
        by_day: s.byDay,
        top_users: s.topUsers.map((u) => ({ user_id: u.userId, count: u.count })),
        window: {
          from: query.from ?? null,
          to: query.to ?? null,
          model_name: query.model_name ?? null,
          model_version: query.model_version ?? null,
        },
      };
    },
  });

  r.get('/api/v1/mlops/metrics/history', {
    schema: {
      summary: "A metric's history for a run, or a serving metric's history for a model version",
      querystring: MlopsMetricHistoryQuery,
      response: { 200: MlopsMetricHistory, ...errors },
    },
    handler: async ({ query }) => {
      let runId = query.run_id;
      let model: { name: string; version: string } | null = null;
      if (runId === undefined) {
        model = { name: query.model_name ?? FOOD_MODEL_NAME, version: query.model_version! };
        const run = await servingRuns.find(model.name, model.version);
        if (!run) throw new NotFound(`model ${model.name}/${model.version} has no serving run yet`);
        runId = run.info.runId;
      }
      const page = await getMetricsHistory(opts.tracking, {
        runId,
        metricKey: query.metric_key,
        maxResults: query.max_results,
        pageToken: query.page_token ?? null,
      });
      return { run_id: runId, metric_key: query.metric_key, model, history: page.metrics.map(point), next_page_token: page.nextPageToken };
    },
  });
}

/** JSON has no NaN: the contract carries it as null. ±Infinity is stored as ±MAX_VALUE already. */
function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function point(m: Metric): MlopsMetricPoint {
  return { value: finite(m.value), step: m.step, timestamp: m.timestamp };
}

function experimentJson(e: Experiment): MlopsExperiment {
  return {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    creation_time: e.creationTime,
    last_update_time: e.lastUpdateTime,
    tags: Object.fromEntries(e.tags.map((t) => [t.key, t.value])),
  };
}

function runJson(run: Run): MlopsRun {
  const { info, data } = run;
  return {
    run_id: info.runId,
    run_name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    end_time: info.endTime,
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
    params: Object.fromEntries(data.params.map((p) => [p.key, p.value])),
    metrics: Object.fromEntries(data.metrics.map((m) => [m.key, point(m)])),
    tags: Object.fromEntries(data.tags.map((t) => [t.key, t.value])),
    datasets: run.inputs.datasetInputs.map((d) => ({
      name: d.dataset.name,
      digest: d.dataset.digest,
      context: d.tags.find((t) => t.key === 'mlflow.data.context')?.value ?? null,
    })),
  };
}
