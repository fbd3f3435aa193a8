// GET /metrics and GET /api/v1/mlops/monitoring/health on a whole app: real photos through the predict endpoint
// (served, rejected and shadow runs), then the Prometheus counters, histograms and label sets they must have moved,
// the health endpoint's windows before and after, and both health endpoints with the store gone.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody, Health, MonitoringHealth, PredictResponse } from '@foodlens/contracts';
import { eventually, startTestApp, type TestApp } from '../../test/app-harness.js';
import { describeEachDatabase } from '../../test/databases.js';
import { photo } from '../../test/photos.js';
import type { Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { createInferenceEngine, type InferenceWorkerPool } from '../inference/index.js';
import { parseExposition, samplesOf, sumOf, type Exposition } from '../observability/exposition.js';
import { CONFIDENCE_BUCKETS, HTTP_DURATION_BUCKETS } from '../observability/metrics.js';
import { driftStream } from '../monitoring/drift-monitor/drift-test-data.js';
import { insertPredictions } from '../monitoring/prediction-log/prediction-log.repository.js';
import { DAY_MS, HOUR_MS } from '../monitoring/rollups/time-buckets.js';

let engine: InferenceWorkerPool;
beforeAll(() => {
  // one worker for every app of the file: the models load once
  engine = createInferenceEngine({ workers: 1 });
});
afterAll(async () => engine?.close());

describeEachDatabase((td) => {
  describe('/metrics and /api/v1/mlops/monitoring/health', () => {
    let database: Database;
    let t: TestApp;
    beforeEach(async () => {
      database = await td.open();
      await migrateToLatest(database);
      t = await startTestApp({ FOODLENS_LOG_FLUSH_MS: '20' }, { database, engine, shadowEngine: engine });
    });
    afterEach(async () => {
      await t?.close();
      // the store-down test has closed it already
      await database?.close().catch(() => undefined);
    });

    const predict = async (code: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg' }, payload: photo(code) });
      expect(res.statusCode, res.body).toBe(200);
      return PredictResponse.parse(res.json());
    };
    const rejected = async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg' }, payload: Buffer.from('not an image') });
      expect(res.statusCode).toBe(415);
    };
    const scrape = async (): Promise<Exposition> => {
      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return parseExposition(res.body);
    };
    const health = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/mlops/monitoring/health' });
      expect(res.statusCode, res.body).toBe(200);
      return MonitoringHealth.parse(res.json());
    };

    it('counts predictions, shadow runs, foods, confidence and requests by route template', async () => {
      const served = [await predict('E010'), await predict('E001'), await predict('E047')];
      await rejected();
      // a parametric route answers under its template, an unknown path under one label
      const feedback = await t.app.inject({ method: 'POST', url: '/api/v1/predictions/0190c0de-0000-7000-8000-000000000000/feedback', payload: { correct: true } });
      expect(feedback.statusCode).toBe(404);
      const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing/12345' });
      expect(unknown.statusCode).toBe(404);
      ErrorBody.parse(unknown.json());

      // version 2 shadows every request: one more served prediction, and its shadow run after the response
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/mlops/deployment',
        payload: { model: 'food-detector', champion: '1', shadow: { version: '2', sample_rate: 1 } },
      });
      expect(put.statusCode, put.body).toBe(200);
      served.push(await predict('E009'));

      const champion = { model: 'food-detector', model_version: '1', variant: 'champion' };
      const shadow = { model: 'food-detector', model_version: '2', variant: 'shadow' };
      const e = await eventually(async () => {
        const x = await scrape();
        return sumOf(x, 'foodrec_predictions_total', shadow) === 1 ? x : undefined;
      }, 20_000);

      // predictions by model, version, variant and outcome: exactly these series
      expect(e.types.get('foodrec_predictions_total')).toBe('counter');
      const series = samplesOf(e, 'foodrec_predictions_total').map((s) => ({ ...s.labels, n: s.value }));
      expect(series).toHaveLength(3);
      expect(series).toEqual(
        expect.arrayContaining([
          { ...champion, outcome: 'ok', n: 4 },
          { ...shadow, outcome: 'ok', n: 1 },
          // rejected before a model was chosen
          { model: 'none', model_version: 'none', variant: 'none', outcome: 'bad_format', n: 1 },
        ]),
      );

      // foods and confidence agree with the answers
      const foods = new Map<string, number>();
      for (const p of served) foods.set(p.food_name ?? 'none', (foods.get(p.food_name ?? 'none') ?? 0) + 1);
      expect(foods.get('banana')).toBe(2);
      for (const [food, n] of foods) expect(sumOf(e, 'foodrec_predicted_food_total', { ...champion, food }), food).toBe(n);
      expect(sumOf(e, 'foodrec_predicted_food_total', champion)).toBe(4);
      expect(sumOf(e, 'foodrec_predicted_food_total', shadow)).toBe(1);
      const found = served.filter((p) => p.food_name !== null);
      const buckets = samplesOf(e, 'foodrec_prediction_confidence_bucket', champion);
      expect(buckets.map((b) => b.labels.le)).toEqual([...CONFIDENCE_BUCKETS.map(String), '+Inf']);
      expect(buckets.at(-1)!.value).toBe(found.length);
      for (const b of buckets) {
        const le = b.labels.le === '+Inf' ? Infinity : Number(b.labels.le);
        expect(b.value, `le=${b.labels.le}`).toBe(found.filter((p) => p.confidence <= le).length);
      }
      expect(sumOf(e, 'foodrec_prediction_confidence_sum', champion)).toBeCloseTo(found.reduce((n, p) => n + p.confidence, 0), 4);

      // HTTP: route templates only, never a raw URL
      const routes = new Set(samplesOf(e, 'http_request_duration_seconds_count').map((s) => s.labels.route));
      expect(routes).toEqual(new Set(['/api/v1/predict', '/api/v1/predictions/:id/feedback', '__unknown__', '/api/v1/mlops/deployment', '/metrics']));
      const post = { method: 'POST', route: '/api/v1/predict' };
      expect(sumOf(e, 'http_request_duration_seconds_count', { ...post, status_code: '200' })).toBe(4);
      expect(sumOf(e, 'http_request_duration_seconds_count', { ...post, status_code: '415' })).toBe(1);
      expect(sumOf(e, 'http_request_duration_seconds_count', { route: '/api/v1/predictions/:id/feedback', status_code: '404' })).toBe(1);
      expect(sumOf(e, 'http_request_duration_seconds_count', { route: '__unknown__', status_code: '404' })).toBe(1);
      const predictBuckets = samplesOf(e, 'http_request_duration_seconds_bucket', { ...post, status_code: '200' });
      expect(predictBuckets.map((b) => b.labels.le)).toEqual([...HTTP_DURATION_BUCKETS.map(String), '+Inf']);
      expect(predictBuckets.at(-1)!.value).toBe(4);
      expect(sumOf(e, 'http_request_duration_seconds_sum', { ...post, status_code: '200' })).toBeGreaterThan(0);

      // what is deployed, the log queue, and the process metrics
      expect(samplesOf(e, 'foodrec_model_info').map((s) => s.labels)).toEqual(
        expect.arrayContaining([
          { model: 'food-detector', model_version: '1', variant: 'champion' },
          { model: 'food-detector', model_version: '2', variant: 'shadow' },
        ]),
      );
      expect(samplesOf(e, 'foodrec_model_info')).toHaveLength(2);
      expect(samplesOf(e, 'foodrec_prediction_log_queue_depth')).toHaveLength(1);
      expect(sumOf(e, 'foodrec_prediction_log_dropped_records_total')).toBe(0);
      for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
        expect(samplesOf(e, name).length, name).toBeGreaterThan(0);
      }
      // all 6 records end up written and counted
      await eventually(async () => {
        const x = await scrape();
        return sumOf(x, 'foodrec_prediction_log_written_records_total') === 6 && sumOf(x, 'foodrec_prediction_log_queue_depth') === 0 ? true : undefined;
      }, 5000);
    });

    it('answers the live health of the instance, its numbers following the requests', async () => {
      const before = await health();
      expect(before.status).toBe('ok');
      expect(before.predictions.last_1m).toMatchObject({ count: 0, errors: 0, error_rate: null });
      expect(before.predictions.last_1m.latency_ms).toEqual({ p50: null, p95: null, p99: null, max: null });
      // probes are left out of the request window
      await t.app.inject({ method: 'GET', url: '/metrics' });
      await t.app.inject({ method: 'GET', url: '/health' });
      expect((await health()).requests.last_5m.count).toBe(before.requests.last_5m.count);

      const answers = [await predict('E010'), await predict('E002')];
      await rejected();
      const after = await eventually(async () => {
        const h = await health();
        return h.prediction_log.written === 3 ? h : undefined;
      }, 5000);

      for (const w of [after.predictions.last_1m, after.predictions.last_5m]) {
        expect(w.count).toBe(3);
        expect(w.errors).toBe(1);
        expect(w.error_rate).toBeCloseTo(1 / 3, 10);
        expect(w.rate_per_s).toBeGreaterThan(0);
        expect(w.latency_ms.p50).toBeGreaterThan(0);
        expect(w.latency_ms.p50!).toBeLessThanOrEqual(w.latency_ms.p95!);
        expect(w.latency_ms.p99!).toBeLessThanOrEqual(w.latency_ms.max!);
        // the slowest is a served prediction, whose whole time the response reports
        expect(w.latency_ms.max!).toBeGreaterThanOrEqual(Math.max(...answers.map((a) => a.processing_time_ms)) - 0.01);
      }
      // 3 predict requests more; a 415 is not a server error
      expect(after.requests.last_1m.count).toBe(before.requests.last_1m.count + 3);
      expect(after.requests.last_1m.errors).toBe(0);
      expect(after.requests.last_1m.latency_ms.max).toBeGreaterThan(0);
      expect(after.requests.last_5m.window_s).toBeGreaterThan(0);

      expect(after.database).toMatchObject({ status: 'up', dialect: td.name, error: null });
      expect(after.database.latency_ms).toBeGreaterThan(0);
      expect(after.prediction_log).toMatchObject({ queued: 0, written: 3, dropped: 0, failed_flushes: 0, last_error: null });
      expect(Date.parse(after.prediction_log.last_flush_at!)).toBeGreaterThan(Date.parse(after.started_at));
      expect(after.memory.rss_bytes).toBeGreaterThan(after.memory.heap_used_bytes);
      expect(after.memory.heap_used_bytes).toBeGreaterThan(0);
      expect(after.uptime_s).toBeGreaterThanOrEqual(before.uptime_s);
      expect(after.event_loop.max_ms).not.toBeNull();
      expect(after.event_loop.mean_ms!).toBeGreaterThanOrEqual(0);

      const [detector] = after.models;
      expect(detector).toMatchObject({ name: 'food-detector', version: '1', loaded: true });
      expect(detector!.versions).toEqual([
        expect.objectContaining({ version: '1', roles: ['champion'], loaded: true, runtime: 'tfjs-graph' }),
      ]);
      expect(detector!.versions[0]!.load_ms).toBeGreaterThan(0);
      expect(detector!.versions[0]!.memory_bytes).toBeGreaterThan(0);
    });

    it('says the store is down, as /health does, and keeps serving /metrics', async () => {
      expect((await health()).database.status).toBe('up');
      if (database.dialect === 'sqlite') database.sqlite.close();
      else await database.pool.end();

      const h = await health();
      expect(h.status).toBe('degraded');
      expect(h.database.status).toBe('down');
      expect(h.database.error).toEqual(expect.any(String));
      const legacy = Health.parse((await t.app.inject({ method: 'GET', url: '/health' })).json());
      expect(legacy).toMatchObject({ status: 'degraded', database: { ok: false } });
      expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    });

    it("exports the drift job's checks of the served champion as foodrec_drift_score and foodrec_drift_detected", async () => {
      await t.close();
      const now = Date.now();
      // food-detector v1 (the champion): a reference two days back, the last 24 h on brighter images
      await insertPredictions(database, [
        ...driftStream(11, 1500, { from: now - 3 * DAY_MS, to: now - 2 * DAY_MS }),
        ...driftStream(12, 1500, { from: now - 20 * HOUR_MS, to: now - HOUR_MS, brightnessShift: 0.2 }),
      ]);
      t = await startTestApp({ FOODLENS_DRIFT_INTERVAL_S: '1' }, { database, engine });
      let e = await scrape();
      expect(samplesOf(e, 'foodrec_drift_score')).toEqual([]); // no reference yet: nothing checked
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/mlops/monitoring/drift/reference',
        payload: { model: 'food-detector', version: '1', source: { type: 'window', from: now - 3 * DAY_MS, to: now - 2 * DAY_MS } },
      });
      expect(put.statusCode, put.body).toBe(200);
      e = await eventually(async () => {
        const x = await scrape();
        return samplesOf(x, 'foodrec_drift_detected', { feature: 'dataset' }).length > 0 ? x : undefined;
      }, 10_000);
      const detected = Object.fromEntries(samplesOf(e, 'foodrec_drift_detected', { model: 'food-detector', model_version: '1' }).map((s) => [s.labels.feature, s.value]));
      expect(detected).toMatchObject({ brightness: 1, food: 0, confidence: 0, image_width: 0 });
      // reference > 1,000 rows: Evidently's distances (normalised Wasserstein for numbers, Jensen-Shannon for food)
      const brightness = samplesOf(e, 'foodrec_drift_score', { feature: 'brightness' });
      expect(brightness.map((s) => s.labels.test)).toEqual(['wasserstein']);
      expect(brightness[0]!.value).toBeGreaterThan(0.1);
      expect(samplesOf(e, 'foodrec_drift_score', { feature: 'food' })[0]!.labels.test).toBe('jensenshannon');
      expect(samplesOf(e, 'foodrec_drift_score', { feature: 'dataset', test: 'share' })[0]!.value).toBeCloseTo(1 / 10, 12);
    });

    it('answers other methods with a JSON 404', async () => {
      for (const url of ['/metrics', '/api/v1/mlops/monitoring/health']) {
        const res = await t.app.inject({ method: 'POST', url });
        expect(res.statusCode).toBe(404);
        expect(ErrorBody.parse(res.json()).error.code).toBe('RESOURCE_DOES_NOT_EXIST');
      }
    });
  });
});
