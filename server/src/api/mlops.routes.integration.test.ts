import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import {
  ErrorBody,
  MlopsExperimentList,
  MlopsMetricHistory,
  MlopsMetrics,
  MlopsRunComparison,
  MlopsRunList,
  PredictResponse,
} from '@foodlens/contracts';
import { eventually, startTestApp, type TestApp } from '../../test/app-harness.js';
import { describeEachDatabase } from '../../test/databases.js';
import { photo } from '../../test/photos.js';
import { recordFactory } from '../../test/prediction-records.js';
import type { Database } from '../db/connection.js';
import { createInferenceEngine } from '../inference/index.js';
import type { InferenceEngine } from '../inference/types.js';
import { insertPredictions } from '../monitoring/prediction-log/prediction-log.repository.js';
import { ServingRunsScheduler } from '../serving/serving-runs.js';
import { ensureExperiment, logModelMetrics, logParameters } from '../tracking/tracker/index.js';
import { createTrackingService } from '../tracking/tracking.service.js';
import type { TrackingService } from '../tracking/types.js';
import { uuidv7 } from '../util/ids.js';

// One model engine for every app in this file: loading the model is the slow part of starting an app.
let engine: InferenceEngine;
beforeAll(() => {
  engine = createInferenceEngine({ workers: 1 });
});
afterAll(async () => engine?.close());

function expectError(res: { statusCode: number; json(): unknown }, status: number, message?: RegExp) {
  expect(res.statusCode).toBe(status);
  const body = ErrorBody.parse(res.json());
  if (message) expect(body.error.message).toMatch(message);
  return body;
}

describeEachDatabase((td) => {
  describe('/api/v1/mlops', () => {
    let database: Database;
    let t: TestApp;
    let tracking: TrackingService;
    const get = (url: string) => t.app.inject({ method: 'GET', url });

    beforeEach(async () => {
      database = await td.open();
      // Serving runs off: the tests tick them by hand.
      t = await startTestApp({ FOODLENS_SERVING_METRICS_INTERVAL_S: '0' }, { engine, database });
      tracking = createTrackingService(database);
    });
    afterEach(async () => {
      await t?.close();
      await database?.close();
    });

    it('GET /experiments pages with page_token and says clearly what is wrong with bad input', async () => {
      for (const name of ['food-a', 'food-b', 'other']) await ensureExperiment(tracking, name, [{ key: 'team', value: 'cv' }]);
      const filter = encodeURIComponent("name LIKE 'food-%'");
      const first = MlopsExperimentList.parse((await get(`/api/v1/mlops/experiments?max_results=1&filter=${filter}`)).json());
      expect(first.experiments).toHaveLength(1);
      expect(first.experiments[0]!.tags).toEqual({ team: 'cv' });
      expect(first.next_page_token).toEqual(expect.any(String));
      const rest = await get(`/api/v1/mlops/experiments?max_results=1&filter=${filter}&page_token=${encodeURIComponent(first.next_page_token!)}`);
      const second = MlopsExperimentList.parse(rest.json());
      expect(second.next_page_token).toBeNull();
      expect([...first.experiments, ...second.experiments].map((e) => e.name).sort()).toEqual(['food-a', 'food-b']);

      expectError(await get('/api/v1/mlops/experiments?max_results=0'), 400, /max_results/);
      expectError(await get('/api/v1/mlops/experiments?view_type=EVERYTHING'), 400, /view_type/);
      expectError(await get('/api/v1/mlops/experiments?page_token=%25%25'), 400, /page token/i);
      expectError(await get(`/api/v1/mlops/experiments?filter=${encodeURIComponent('name ==== 1')}`), 400);
    });

    it('GET /runs filters by experiment, pages, and carries params, latest metrics (NaN as null) and tags', async () => {
      const a = await ensureExperiment(tracking, 'runs-a');
      const b = await ensureExperiment(tracking, 'runs-b');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const run = await tracking.createRun({ experimentId: a.experimentId, runName: `a${i}`, startTime: 1000 + i });
        ids.push(run.info.runId);
        await logParameters(tracking, run.info.runId, { model_version: i });
        await logModelMetrics(tracking, run.info.runId, { accuracy: i / 10, odd: Number.NaN }, { step: 2, timestamp: 5000 });
      }
      await tracking.createRun({ experimentId: b.experimentId, runName: 'b0', startTime: 9000 });

      const page = MlopsRunList.parse((await get('/api/v1/mlops/runs?experiment_name=runs-a&max_results=2')).json());
      expect(page.runs.map((r) => r.run_name)).toEqual(['a2', 'a1']);
      expect(page.runs[0]).toMatchObject({
        run_id: ids[2],
        experiment_id: a.experimentId,
        status: 'RUNNING',
        params: { model_version: '2' },
        metrics: { accuracy: { value: 0.2, step: 2, timestamp: 5000 }, odd: { value: null, step: 2, timestamp: 5000 } },
        tags: { 'mlflow.runName': 'a2' },
      });
      const next = MlopsRunList.parse((await get(`/api/v1/mlops/runs?experiment_name=runs-a&max_results=2&page_token=${encodeURIComponent(page.next_page_token!)}`)).json());
      expect(next.runs.map((r) => r.run_name)).toEqual(['a0']);
      expect(next.next_page_token).toBeNull();

      const both = MlopsRunList.parse((await get(`/api/v1/mlops/runs?experiment_id=${a.experimentId},${b.experimentId}`)).json());
      expect(both.runs.map((r) => r.run_name)).toEqual(['b0', 'a2', 'a1', 'a0']);
      const repeated = MlopsRunList.parse((await get(`/api/v1/mlops/runs?experiment_id=${b.experimentId}&experiment_id=${a.experimentId}&filter=${encodeURIComponent('metrics.accuracy >= 0.1')}&order_by=${encodeURIComponent('metrics.accuracy ASC')}`)).json());
      expect(repeated.runs.map((r) => r.run_name)).toEqual(['a1', 'a2']);
      const all = MlopsRunList.parse((await get('/api/v1/mlops/runs')).json());
      expect(all.runs).toHaveLength(4);

      expectError(await get('/api/v1/mlops/runs?experiment_name=nope'), 404, /nope/);
      expectError(await get(`/api/v1/mlops/runs?experiment_name=runs-a&experiment_id=${a.experimentId}`), 400, /not both/);
      expectError(await get('/api/v1/mlops/runs?max_results=5000'), 400, /max_results/);
      expectError(await get(`/api/v1/mlops/runs?experiment_id=${a.experimentId}&order_by=${encodeURIComponent('metrics.accuracy SIDEWAYS')}`), 400);
    });

    it('GET /runs/compare puts runs side by side with the best per metric', async () => {
      const exp = await ensureExperiment(tracking, 'cmp');
      const r1 = await tracking.createRun({ experimentId: exp.experimentId, runName: 'v1' });
      const r2 = await tracking.createRun({ experimentId: exp.experimentId, runName: 'v2' });
      await logModelMetrics(tracking, r1.info.runId, { accuracy: 0.82, latency_p95_ms: 300, drift: 0.1 });
      await logModelMetrics(tracking, r2.info.runId, { accuracy: 0.45, latency_p95_ms: 90, drift: 0.3 });
      const res = await get(`/api/v1/mlops/runs/compare?run_ids=${r1.info.runId},${r2.info.runId}&lower_is_better=drift`);
      const c = MlopsRunComparison.parse(res.json());
      expect(c.runs.map((r) => r.run_name)).toEqual(['v1', 'v2']);
      expect(c.metrics).toEqual([
        { key: 'accuracy', values: [0.82, 0.45], direction: 'higher_is_better', best_run_id: r1.info.runId },
        { key: 'drift', values: [0.1, 0.3], direction: 'lower_is_better', best_run_id: r1.info.runId },
        { key: 'latency_p95_ms', values: [300, 90], direction: 'lower_is_better', best_run_id: r2.info.runId },
      ]);
      expectError(await get(`/api/v1/mlops/runs/compare?run_ids=${r1.info.runId}`), 400, /run_ids/);
      expectError(await get(`/api/v1/mlops/runs/compare?run_ids=${r1.info.runId},${'0'.repeat(32)}`), 404);
    });

    it('GET /metrics aggregates the prediction log and counts experiments and runs', async () => {
      const make = recordFactory(11);
      const day = Date.UTC(2025, 3, 10);
      const at = (ms: number, p: Parameters<typeof make>[0] = {}) => make({ id: uuidv7(day + ms), createdAt: day + ms, ...p });
      await insertPredictions(database, [
        at(0, { userId: 'u1', status: 'ok', errorClass: null, foodName: 'apple', confidence: 0.6, modelVersion: '1' }),
        at(1, { userId: 'u1', status: 'ok', errorClass: null, foodName: 'banana', confidence: 0.8, modelVersion: '2' }),
        at(2, { userId: 'u2', status: 'error', errorClass: 'corrupt', foodName: null, confidence: null, modelVersion: '1' }),
        at(86_400_000, { userId: null, status: 'ok', errorClass: null, foodName: 'apple', confidence: 1, modelVersion: '1' }),
      ]);
      const exp = await ensureExperiment(tracking, 'm');
      await tracking.createRun({ experimentId: exp.experimentId });

      const m = MlopsMetrics.parse((await get('/api/v1/mlops/metrics')).json());
      expect(m).toMatchObject({
        total_predictions: 4,
        successful_predictions: 3,
        failed_predictions: 1,
        error_rate: 0.25,
        unique_users: 2,
        unique_foods: 2,
        total_runs: 1,
        by_food: [{ food: 'apple', count: 2 }, { food: 'banana', count: 1 }],
        by_error_class: [{ error_class: 'corrupt', count: 1 }],
        by_day: [{ date: '2025-04-10', total: 3, failed: 1 }, { date: '2025-04-11', total: 1, failed: 0 }],
        top_users: [{ user_id: 'u1', count: 2 }, { user_id: 'u2', count: 1 }],
        window: { from: null, to: null, model_name: null, model_version: null },
      });
      expect(m.average_confidence).toBeCloseTo(0.8, 12);
      expect(m.total_experiments).toBeGreaterThanOrEqual(1);

      const windowed = MlopsMetrics.parse((await get(`/api/v1/mlops/metrics?from=2025-04-10T00:00:00Z&to=${day + 86_400_000}&model_version=1&top_users=1`)).json());
      expect(windowed).toMatchObject({
        total_predictions: 2,
        failed_predictions: 1,
        average_confidence: 0.6,
        top_users: [{ user_id: 'u1', count: 1 }],
        window: { from: day, to: day + 86_400_000, model_version: '1' },
      });

      expectError(await get('/api/v1/mlops/metrics?from=last-tuesday'), 400, /ISO 8601/);
      expectError(await get('/api/v1/mlops/metrics?from=2025-02-01&to=2025-01-01'), 400, /from must not be after to/);
      expectError(await get('/api/v1/mlops/metrics?top_users=-1'), 400, /top_users/);
    });

    it('GET /metrics/history answers a run metric, or a serving metric of a model version fed by real predictions', async () => {
      const exp = await ensureExperiment(tracking, 'h');
      const run = await tracking.createRun({ experimentId: exp.experimentId });
      for (let step = 0; step < 5; step++) await tracking.logMetric(run.info.runId, { key: 'loss', value: 1 / (step + 1), step, timestamp: 10 + step });
      const page = MlopsMetricHistory.parse((await get(`/api/v1/mlops/metrics/history?run_id=${run.info.runId}&metric_key=loss&max_results=3`)).json());
      expect(page).toMatchObject({ run_id: run.info.runId, metric_key: 'loss', model: null });
      expect(page.history.map((p) => p.step)).toEqual([0, 1, 2]);
      const rest = MlopsMetricHistory.parse((await get(`/api/v1/mlops/metrics/history?run_id=${run.info.runId}&metric_key=loss&max_results=3&page_token=${encodeURIComponent(page.next_page_token!)}`)).json());
      expect(rest.history.map((p) => p.step)).toEqual([3, 4]);

      expectError(await get('/api/v1/mlops/metrics/history?model_version=1&metric_key=requests'), 404, /no serving run/);

      // Two real predictions through the HTTP path, then a serving tick over the window holding them.
      for (const code of ['E010', 'E001']) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg' }, payload: photo(code) });
        PredictResponse.parse(res.json());
      }
      await t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg' }, payload: Buffer.from('not an image') });
      await eventually(async () => ((await database.db.selectFrom('predictions').select('id').execute()).length === 3 ? true : undefined), 5000);
      const scheduler = new ServingRunsScheduler({
        tracking,
        database,
        intervalMs: 3_600_000,
        servedVersions: () => [{ name: 'food-detector', version: '1' }],
      });
      const windowEnd = scheduler.windowEndAt(Date.now()) + 3_600_000;
      await scheduler.tick(windowEnd);

      const requests = MlopsMetricHistory.parse((await get('/api/v1/mlops/metrics/history?model_version=1&metric_key=requests')).json());
      expect(requests.model).toEqual({ name: 'food-detector', version: '1' });
      expect(requests.history).toEqual([{ value: 3, step: 0, timestamp: windowEnd }]);
      const errors = MlopsMetricHistory.parse((await get('/api/v1/mlops/metrics/history?model_name=food-detector&model_version=1&metric_key=error_rate')).json());
      expect(errors.history[0]!.value).toBeCloseTo(1 / 3, 12);
      const latency = MlopsMetricHistory.parse((await get('/api/v1/mlops/metrics/history?model_version=1&metric_key=p95_latency_ms')).json());
      expect(latency.history[0]!.value).toBeGreaterThan(0);

      expectError(await get('/api/v1/mlops/metrics/history?metric_key=loss'), 400, /exactly one of run_id or model_version/);
      expectError(await get(`/api/v1/mlops/metrics/history?metric_key=loss&run_id=${run.info.runId}&model_version=1`), 400, /exactly one/);
      expectError(await get(`/api/v1/mlops/metrics/history?run_id=${run.info.runId}`), 400, /metric_key/);
      expectError(await get(`/api/v1/mlops/metrics/history?metric_key=loss&run_id=${'a'.repeat(32)}`), 404);
    });
  });
});
