import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import { compareRoutes } from '../api/compare.routes.js';
import { registerErrorHandler } from '../api/error-handler.js';
import { predictionsRoutes } from '../api/predictions.routes.js';
import { insertPredictions } from '../monitoring/prediction-log/prediction-log.repository.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import { ensureModelVersion } from '../registry/registry.service.js';
import { LATENCY_QUANTILE_RELATIVE_ERROR } from '../monitoring/rollups/histogram-bins.js';
import { uuidv7 } from '../util/ids.js';
import { compareVersions } from './version-comparison.js';

const T0 = Date.UTC(2026, 10, 1);

function expectWithinBin(actual: number | null, exact: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - exact) / exact).toBeLessThanOrEqual(LATENCY_QUANTILE_RELATIVE_ERROR);
}

function record(o: Partial<PredictionRecord> & { modelVersion: string }): PredictionRecord {
  const createdAt = o.createdAt ?? T0;
  return {
    id: o.id ?? uuidv7(createdAt),
    createdAt,
    userId: 'u',
    modelName: 'food-detector',
    status: 'ok',
    errorClass: null,
    foodName: 'banana',
    confidence: 0.5,
    detections: [],
    latencyMs: 10,
    inferenceMs: 5,
    imageWidth: 10,
    imageHeight: 10,
    imageBytes: 100,
    imageFormat: 'jpeg',
    brightness: 0.5,
    contrast: 0.1,
    saturation: 0.2,
    sharpness: 0.01,
    variant: 'champion',
    shadowOf: null,
    ...o,
  };
}

describeEachDatabase((td) => {
  describe('version comparison', () => {
    const db = useTestDatabase(td);
    let app: FastifyInstance;

    beforeEach(async () => {
      for (const v of [1, 2, 3]) await ensureModelVersion(db(), { name: 'food-detector', version: v });
      app = Fastify({ logger: false });
      app.setValidatorCompiler(validatorCompiler);
      app.setSerializerCompiler(serializerCompiler);
      registerErrorHandler(app);
      await app.register(compareRoutes, { database: db() });
      await app.register(predictionsRoutes, { database: db(), rawRetentionDays: 30 });
    });
    afterEach(async () => app.close());

    /**
     * v1 served 10 predictions: latencies 1..10 ms, confidences 0.1..1.0 (mean 0.55), foods 6 banana / 4 apple, plus one
     * error. v2 shadowed the first 8 of them: agrees on 5 (banana), answers 'pizza' on 3 (2 of which the users said were
     * apples). Feedback: 4 served predictions confirmed, 2 wrong with label, 1 wrong without label.
     */
    async function seed() {
      const served: PredictionRecord[] = [];
      for (let i = 0; i < 10; i++) {
        served.push(record({ modelVersion: '1', createdAt: T0 + i, latencyMs: i + 1, confidence: (i + 1) / 10, foodName: i < 6 ? 'banana' : 'apple' }));
      }
      const error = record({ modelVersion: '1', createdAt: T0 + 50, status: 'error', errorClass: 'inference', foodName: null, confidence: null, latencyMs: 999 });
      const shadows = served.slice(0, 8).map((p, i) =>
        record({ modelVersion: '2', variant: 'shadow', shadowOf: p.id, createdAt: p.createdAt + 1, latencyMs: 100 + i, foodName: i < 5 ? 'banana' : 'pizza', confidence: 0.9 }),
      );
      // outside the window used below
      const old = record({ modelVersion: '1', createdAt: T0 - 86_400_000, latencyMs: 5000 });
      await insertPredictions(db(), [...served, error, ...shadows, old]);
      return { served, shadows };
    }

    it('answers per-version figures, realised accuracy and shadow agreement', async () => {
      const { served } = await seed();
      const fb = async (i: number, body: object) => {
        const res = await app.inject({ method: 'POST', url: `/api/v1/predictions/${served[i]!.id}/feedback`, payload: body });
        expect(res.statusCode, res.body).toBe(200);
        return res.json();
      };
      await fb(0, { correct: true });
      await fb(1, { correct: true });
      await fb(2, { correct: false, label: 'orange' });
      await fb(5, { correct: false }); // wrong, truth unknown: v1 scored wrong, v2 not scored
      await fb(6, { correct: true });
      expect((await fb(7, { correct: false, label: 'pizza' })).replaced).toBe(false);
      expect((await fb(7, { correct: true })).replaced).toBe(true); // a later answer replaces: apple was right
      // the feedback row carries what it judges (monitoring reads feedback alone)
      const stored = await db().db.selectFrom('prediction_feedback').selectAll().where('prediction_id', '=', served[7]!.id).executeTakeFirstOrThrow();
      expect(stored).toMatchObject({
        correct: 1,
        label: null,
        prediction_created_at: served[7]!.createdAt,
        model_name: served[7]!.modelName,
        model_version: served[7]!.modelVersion,
        variant: served[7]!.variant,
        food_name: served[7]!.foodName,
      });
      expect(Number(stored.confidence)).toBeCloseTo(served[7]!.confidence!, 12);

      const res = await app.inject({ url: `/api/v1/mlops/compare?versions=1,2&from=${T0}&to=${T0 + 1000}` });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      const [v1, v2] = body.versions;
      expect(v1).toMatchObject({ version: '1', requests: 11, served: 11, shadow: 0, errors: 1 });
      expect(v1.error_rate).toBeCloseTo(1 / 11, 12);
      expect(v1.mean_confidence).toBeCloseTo(0.55, 12);
      // from the rollups' latency histogram: within one bin (LATENCY_QUANTILE_RELATIVE_ERROR) of the nearest-rank
      // values over 1..10 (p50 = 5th value, p95 = 10th)
      expectWithinBin(v1.latency_ms.p50, 5);
      expectWithinBin(v1.latency_ms.p95, 10);
      expect(v1.foods).toEqual([
        { food: 'banana', count: 6, share: 0.6 },
        { food: 'apple', count: 4, share: 0.4 },
      ]);
      // feedback on 0,1,2,5,6,7: correct 0,1,6,7
      expect(v1.realised_accuracy).toEqual({ labelled: 6, correct: 4, accuracy: 4 / 6 });
      expect(v2).toMatchObject({ version: '2', requests: 8, served: 0, shadow: 8, errors: 0 });
      expect(v2.mean_confidence).toBeCloseTo(0.9, 12);
      expectWithinBin(v2.latency_ms.p50, 103);
      expectWithinBin(v2.latency_ms.p95, 107);
      // v2 scored where the truth is known: 0,1 banana (right), 2 orange (said banana: wrong), 6 apple (said pizza:
      // wrong), 7 apple (pizza: wrong); 5 has no label
      expect(v2.realised_accuracy).toEqual({ labelled: 5, correct: 2, accuracy: 0.4 });
      expect(body.shadow_agreement).toEqual([{ primary_version: '1', shadow_version: '2', pairs: 8, agreed: 5, rate: 5 / 8 }]);
    });

    it('answers zeros for a version without predictions, 404 for an unknown one, 400 for bad queries', async () => {
      await seed();
      const res = await app.inject({ url: `/api/v1/mlops/compare?versions=3&versions=1&from=${T0}&to=${T0 + 1000}` });
      expect(res.statusCode).toBe(200);
      expect(res.json().versions[0]).toEqual({
        version: '3', requests: 0, served: 0, shadow: 0, errors: 0, error_rate: null, mean_confidence: null,
        latency_ms: { p50: null, p95: null }, foods: [], realised_accuracy: null,
      });
      expect(res.json().versions[1].requests).toBe(11);
      expect((await app.inject({ url: '/api/v1/mlops/compare?versions=1,9' })).statusCode).toBe(404);
      for (const q of ['', 'versions=', 'versions=0', 'versions=1;drop', 'versions=1&window=2d', `versions=1&window=24h&from=${T0}`, 'versions=1&from=5&to=1']) {
        const bad = await app.inject({ url: `/api/v1/mlops/compare?${q}` });
        expect(bad.statusCode, q).toBe(400);
        expect(bad.json().error.message, q).toBeTruthy();
      }
      // the unbounded query includes the old prediction
      expect((await compareVersions(db(), { model: 'food-detector', versions: ['1'], topFoods: 5 })).versions[0]!.requests).toBe(12);
    });

    it('feedback: unknown ids 404, shadow ids 400, bad bodies 400, pending predictions found after a flush', async () => {
      const { shadows } = await seed();
      expect((await app.inject({ method: 'POST', url: `/api/v1/predictions/${uuidv7()}/feedback`, payload: { correct: true } })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: `/api/v1/predictions/${shadows[0]!.id}/feedback`, payload: { correct: true } })).statusCode).toBe(400);
      for (const payload of [{}, { correct: 'yes' }, { correct: false, label: '' }, { correct: true, label: 'x'.repeat(201) }]) {
        expect((await app.inject({ method: 'POST', url: `/api/v1/predictions/${shadows[0]!.shadowOf}/feedback`, payload })).statusCode).toBe(400);
      }
      // a prediction that only reaches the store when flushed
      const pending = record({ modelVersion: '1' });
      const flushing = Fastify({ logger: false });
      flushing.setValidatorCompiler(validatorCompiler);
      flushing.setSerializerCompiler(serializerCompiler);
      registerErrorHandler(flushing);
      await flushing.register(predictionsRoutes, { database: db(), flushPending: () => insertPredictions(db(), [pending]), rawRetentionDays: 30 });
      const res = await flushing.inject({ method: 'POST', url: `/api/v1/predictions/${pending.id}/feedback`, payload: { correct: false, label: 'apple' } });
      await flushing.close();
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ prediction_id: pending.id, correct: false, label: 'apple', replaced: false });
    });

    it('lists model versions with aliases, flavor, size, serving roles and metrics', async () => {
      await seed(); // November 2026: outside the 1h window below
      const recent = Date.now() - 60_000;
      await insertPredictions(db(), [
        ...[1, 2, 3].map((ms) => record({ modelVersion: '1', createdAt: recent, latencyMs: ms, confidence: ms / 10 })),
        record({ modelVersion: '1', createdAt: recent, status: 'error', errorClass: 'inference', foodName: null, confidence: null }),
      ]);
      await db().db.insertInto('registered_model_aliases').values({ name: 'food-detector', alias: 'champion', version: 1 }).execute();
      await db().db.insertInto('model_version_servables').values({
        name: 'food-detector', version: 3, runtime: 'onnx', size_bytes: 1234, sha256: 'x', load_ms: 12, created_time: T0, model_path: 'models/x/model.onnx',
        spec: JSON.stringify({ task: 'classification', labels: ['a', 'b', 'c'] }),
      }).execute();
      const roleApp = Fastify({ logger: false });
      roleApp.setValidatorCompiler(validatorCompiler);
      roleApp.setSerializerCompiler(serializerCompiler);
      registerErrorHandler(roleApp);
      await roleApp.register(compareRoutes, {
        database: db(),
        serving: {
          roles: (m): Record<string, string[]> => (m === 'food-detector' ? { '1': ['champion'], '2': ['shadow 100%'] } : {}),
          loaded: (_m, v) => (v === '1' ? { loadMs: 321, memoryBytes: 4096 } : null),
        },
      });
      const res = await roleApp.inject({ url: '/api/v1/mlops/model-versions?model=food-detector&window=1h' });
      await roleApp.close();
      expect(res.statusCode, res.body).toBe(200);
      const list = res.json().model_versions as Array<Record<string, any>>;
      expect(list.map((v) => v.version)).toEqual(['3', '2', '1']);
      const [v3, v2, v1] = list;
      expect(v3).toMatchObject({ flavor: 'onnx', task: 'classification', labels: 3, size_bytes: 1234, aliases: [] });
      expect(v3!.serving).toEqual({ roles: [], loaded: false, load_ms: null, memory_bytes: null });
      expect(v1).toMatchObject({ flavor: 'tfjs-graph', task: 'detection (centernet)', aliases: ['champion'], stage: 'None', status: 'READY' });
      expect(v2).toMatchObject({ task: 'detection (nanodet)', serving: { roles: ['shadow 100%'], loaded: false } });
      // the CenterNet model.json and its shard are a few MB
      expect(v1!.size_bytes).toBeGreaterThan(1_000_000);
      expect(v1!.serving).toEqual({ roles: ['champion'], loaded: true, load_ms: 321, memory_bytes: 4096 });
      expect(v1!.metrics).toMatchObject({ requests: 4, error_rate: 0.25 });
      expectWithinBin(v1!.metrics.latency_p95_ms, 3);
      expect(v1!.metrics.mean_confidence).toBeCloseTo(0.2, 12);
      expect(v2!.metrics).toEqual({ requests: 0, error_rate: null, mean_confidence: null, latency_p95_ms: null });
      expect((await app.inject({ url: '/api/v1/mlops/model-versions?window=2d' })).statusCode).toBe(400);
      expect((await app.inject({ url: '/api/v1/mlops/model-versions?model=nope' })).json().model_versions).toEqual([]);
    });
  });
});
