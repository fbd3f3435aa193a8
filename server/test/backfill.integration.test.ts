// POST /api/v1/predictions/backfill on every database: stored answers logged again at past times, counted by the
// rollups like live traffic, and every malformed request refused whole.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackfillResponse, PredictionList, PredictionMonitoring } from '@foodlens/contracts';
import { insertPredictions } from '../src/monitoring/prediction-log/prediction-log.repository.js';
import type { PredictionRecord } from '../src/monitoring/prediction-log/types.js';
import { uuidv7 } from '../src/util/ids.js';
import { startTestApp, type TestApp } from './app-harness.js';
import { NO_IMAGE } from './prediction-records.js';
import { describeEachDatabase, useTestDatabase } from './databases.js';

const DAY = 86_400_000;

function answer(overrides: Partial<PredictionRecord>): PredictionRecord {
  return {
    id: uuidv7(),
    createdAt: Date.now(),
    userId: 'live-user',
    modelName: 'food-detector',
    modelVersion: '1',
    status: 'ok',
    errorClass: null,
    foodName: 'banana',
    confidence: 0.56,
    detections: [{ label: 'banana', confidence: 0.56, box: { x: 10, y: 20, width: 200, height: 100 } }],
    latencyMs: 180,
    inferenceMs: 150,
    imageWidth: 307,
    imageHeight: 172,
    imageBytes: 9650,
    imageFormat: 'jpeg',
    brightness: 0.61,
    contrast: 0.22,
    saturation: 0.35,
    sharpness: 0.08,
    variant: 'champion',
    shadowOf: null,
    ...overrides,
  };
}

/** The 48-bit millisecond timestamp at the front of a UUIDv7. */
const uuidTime = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describeEachDatabase((td) => {
  describe('prediction backfill', () => {
    const db = useTestDatabase(td);
    let t: TestApp;
    let served: PredictionRecord;
    let shadow: PredictionRecord;
    beforeEach(async () => {
      t = await startTestApp({ FOODLENS_ALERT_INTERVAL_S: '0', FOODLENS_DRIFT_INTERVAL_S: '0' }, { database: db() });
      served = answer({});
      shadow = answer({
        modelVersion: '2',
        variant: 'shadow',
        shadowOf: served.id,
        foodName: 'apple',
        confidence: 0.41,
        detections: [{ label: 'apple', confidence: 0.41, box: { x: 1, y: 2, width: 3, height: 4 } }],
        latencyMs: 90,
        inferenceMs: 85,
      });
      await insertPredictions(db(), [served, shadow]);
    });
    afterEach(async () => {
      await t?.close();
    });

    const backfill = (records: unknown[]) =>
      t.app.inject({ method: 'POST', url: '/api/v1/predictions/backfill', payload: { records } });
    const listAll = async () => (await t.app.inject({ url: '/api/v1/predictions?limit=1000' })).json<PredictionList>().predictions;

    it("copies each source's answer to the given time, user and variant; the rollups count it like live traffic", async () => {
      const now = Date.now();
      const res = await backfill([
        { source: { prediction_id: served.id }, created_at: now - 3 * DAY, user_id: 'u1', variant: 'champion', latency_ms: 210 },
        // version 2's answer on the same request: its shadow run
        { source: { prediction_id: served.id, version: '2' }, created_at: new Date(now - 2 * DAY).toISOString(), user_id: 'u2', variant: 'challenger' },
        { source: { prediction_id: served.id, version: '2' }, created_at: now - 3 * DAY + 500, user_id: 'u1', variant: 'shadow', shadow_of: 0 },
        { source: { prediction_id: served.id }, created_at: now - 2 * DAY, user_id: null, variant: 'champion', latency_ms: 100 },
      ]);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<BackfillResponse>();
      expect(body.inserted).toBe(4);
      expect(new Set(body.prediction_ids).size).toBe(4);
      // time-ordered ids carry the back-dated time, so cursor paging keeps them in order
      expect(uuidTime(body.prediction_ids[0]!)).toBe(now - 3 * DAY);
      expect(uuidTime(body.prediction_ids[1]!)).toBe(now - 2 * DAY);

      const byId = new Map((await listAll()).map((p) => [p.prediction_id, p]));
      const first = byId.get(body.prediction_ids[0]!)!;
      expect(first).toMatchObject({
        created_at: new Date(now - 3 * DAY).toISOString(),
        user_id: 'u1',
        model: { name: 'food-detector', version: '1' },
        status: 'ok',
        food_name: 'banana',
        confidence: 0.56,
        detections: served.detections,
        latency_ms: 210,
        inference_ms: 150,
        image: { width: 307, height: 172, size_bytes: 9650, format: 'jpeg', brightness: 0.61, contrast: 0.22, saturation: 0.35, sharpness: 0.08 },
      });
      expect(byId.get(body.prediction_ids[1]!)).toMatchObject({ user_id: 'u2', model: { version: '2' }, food_name: 'apple', confidence: 0.41, latency_ms: 90 });
      // a latency below the source's model time caps the model time
      expect(byId.get(body.prediction_ids[3]!)).toMatchObject({ user_id: null, latency_ms: 100, inference_ms: 100 });

      expect(first).toMatchObject({ variant: 'champion', shadow_of: null });
      expect(byId.get(body.prediction_ids[1]!)).toMatchObject({ variant: 'challenger', shadow_of: null });
      expect(byId.get(body.prediction_ids[2]!)).toMatchObject({ variant: 'shadow', shadow_of: body.prediction_ids[0], model: { version: '2' } });

      const monitoring = (await t.app.inject({ url: '/api/v1/mlops/monitoring/predictions?window=7d' })).json<PredictionMonitoring>();
      // the live source and the three served back-filled records; the shadow run is not served traffic
      expect(monitoring.totals).toMatchObject({ requests: 4, errors: 0, anonymous: 1 });
      expect(monitoring.by_food).toEqual([
        { food: 'banana', count: 3, share: 0.75 },
        { food: 'apple', count: 1, share: 0.25 },
      ]);
      const days = monitoring.by_day.filter((d) => d.requests > 0).map((d) => d.requests);
      expect(days.reduce((a, b) => a + b, 0)).toBe(4);
      expect(days.length).toBeGreaterThanOrEqual(3);
    });

    it('copies a refused upload as a failed request without a version (variant null)', async () => {
      const refused = answer({
        modelName: null,
        modelVersion: null,
        status: 'error',
        errorClass: 'bad_format',
        foodName: null,
        confidence: null,
        detections: [],
        ...NO_IMAGE,
        imageBytes: 37,
        variant: null,
        latencyMs: 2,
      });
      await insertPredictions(db(), [refused]);
      const res = await backfill([{ source: { prediction_id: refused.id }, created_at: Date.now() - DAY, user_id: 'u9', variant: null }]);
      expect(res.statusCode, res.body).toBe(200);
      const [copy] = (await listAll()).filter((p) => p.prediction_id === res.json<BackfillResponse>().prediction_ids[0]);
      expect(copy).toMatchObject({ user_id: 'u9', status: 'error', error_class: 'bad_format', model: null, variant: null, inference_ms: null, latency_ms: 2 });
      const monitoring = (await t.app.inject({ url: '/api/v1/mlops/monitoring/predictions?window=7d' })).json<PredictionMonitoring>();
      // served traffic: the source and its copy count as failed requests
      expect(monitoring.totals).toMatchObject({ requests: 3, errors: 2 });
    });

    it('refuses a malformed request whole, with a JSON error, and stores nothing of it', async () => {
      const now = Date.now();
      const ok = { source: { prediction_id: served.id }, created_at: now - DAY, user_id: 'u', variant: 'champion' };
      const cases: Array<[unknown[], number, RegExp]> = [
        [[ok, { ...ok, created_at: now + 10 * 60_000 }], 400, /records\[1\]\.created_at is in the future/],
        [[{ ...ok, created_at: now - 31 * DAY }], 400, /older than the raw-log retention \(30 days\)/],
        [[ok, { ...ok, source: { prediction_id: uuidv7() } }], 404, /does not exist/],
        [[ok, { ...ok, source: { prediction_id: served.id, version: '7' } }], 404, /or its run by version 7/],
        [[ok, { ...ok, variant: 'shadow' }], 400, /shadow_of must name the served record/],
        [[{ ...ok, variant: 'shadow', shadow_of: 0 }], 400, /earlier record/],
        [[ok, { ...ok, variant: 'shadow', shadow_of: 1 }], 400, /earlier record/],
        [[ok, { ...ok, shadow_of: 0 }], 400, /only for shadow runs/],
        [[ok, { ...ok, variant: 'shadow', shadow_of: 0 }, { ...ok, variant: 'shadow', shadow_of: 1 }], 400, /names another shadow run/],
        [[{ ...ok, created_at: 'yesterday' }], 400, /epoch milliseconds or an ISO 8601/],
        [[{ ...ok, model_version: '2' }], 400, /model_version/],
        [[{ ...ok, variant: 'canary' }], 400, /variant/],
        [[], 400, /records/],
        [Array.from({ length: 5001 }, () => ok), 400, /records/],
      ];
      for (const [records, status, message] of cases) {
        const res = await backfill(records);
        expect(res.statusCode, JSON.stringify(records).slice(0, 200)).toBe(status);
        expect(res.json().error.message).toMatch(message);
      }
      const text = await t.app.inject({ method: 'POST', url: '/api/v1/predictions/backfill', headers: { 'content-type': 'application/json' }, payload: '{"records": [' });
      expect(text.statusCode).toBe(400);
      expect(text.json().error).toBeDefined();
      expect(await listAll()).toHaveLength(2);
    });

    it('takes a full request of 5,000 records in one go', async () => {
      const now = Date.now();
      const records = Array.from({ length: 5000 }, (_, i) => ({
        source: { prediction_id: served.id, ...(i % 5 === 0 ? { version: '2' } : {}) },
        created_at: now - 13 * DAY + i * 60_000,
        user_id: `user-${i % 97}`,
        variant: i % 5 === 0 ? 'challenger' : 'champion',
        latency_ms: 150 + (i % 50),
      }));
      const res = await backfill(records);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      expect(res.json<BackfillResponse>().inserted).toBe(5000);
      const monitoring = (await t.app.inject({ url: '/api/v1/mlops/monitoring/predictions?window=30d' })).json<PredictionMonitoring>();
      expect(monitoring.totals.requests).toBe(5001);
      expect(monitoring.by_food).toEqual([
        { food: 'banana', count: 4001, share: 4001 / 5001 },
        { food: 'apple', count: 1000, share: 1000 / 5001 },
      ]);
    });
  });
});
