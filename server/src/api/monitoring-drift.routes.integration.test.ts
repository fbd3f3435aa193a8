// Drift monitoring end to end on every database: synthetic streams go through insertPredictions (so the rollups and
// their feature summaries are built the normal way), a reference is set from a window or from the first N predictions,
// and the drift endpoint flags exactly the shifted features, and nothing between two windows of one distribution.
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftReference, DriftReport, ErrorBody } from '@foodlens/contracts';
import { describeEachDatabase } from '../../test/databases.js';
import type { Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { setChampionVersion } from '../deployments/champion-alias.js';
import { driftStream, DRIFT_FOODS } from '../monitoring/drift-monitor/drift-test-data.js';
import { insertPredictions } from '../monitoring/prediction-log/prediction-log.repository.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import { createRegisteredModel, createModelVersion } from '../registry/index.js';
import { DAY_MS, HOUR_MS } from '../monitoring/rollups/time-buckets.js';
import { registerErrorHandler } from './error-handler.js';
import { monitoringDriftRoutes } from './monitoring-drift.routes.js';

async function driftApp(database: Database): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(monitoringDriftRoutes, { database });
  return app;
}

async function insertAll(database: Database, records: PredictionRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 1000) await insertPredictions(database, records.slice(i, i + 1000));
}

const drifted = (r: DriftReport) => r.features.filter((f) => f.drifted).map((f) => f.name).sort();

describeEachDatabase((td) => {
  describe('/api/v1/mlops/monitoring/drift', () => {
    let database: Database;
    let app: FastifyInstance;
    const now = Date.now();
    // Three whole-hour windows, oldest first: the reference, one of the same distribution, one shifted.
    const day = (k: number) => {
      const end = Math.floor((now - (k - 1) * DAY_MS) / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
      return { from: end - 20 * HOUR_MS, to: end };
    };
    const [refWin, sameWin, shiftWin] = [day(3), day(2), day(1)];
    const shiftedFoods = DRIFT_FOODS.map((_, i) => (i < 2 ? 6 : 1));

    const drift = async (query: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/mlops/monitoring/drift?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return DriftReport.parse(res.json());
    };
    const putReference = async (body: unknown) => {
      const res = await app.inject({ method: 'PUT', url: '/api/v1/mlops/monitoring/drift/reference', payload: body as object });
      expect(res.statusCode, res.body).toBe(200);
      return DriftReference.parse(res.json());
    };
    const expectError = async (method: 'GET' | 'PUT' | 'DELETE', url: string, status: number, payload?: object) => {
      const res = await app.inject({ method, url, ...(payload ? { payload } : {}) });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      return ErrorBody.parse(res.json());
    };

    // One store for the whole suite (inserting the streams is the slow part): the tests run in order, the first before
    // any reference or champion exists.
    beforeAll(async () => {
      database = await td.open();
      await migrateToLatest(database);
      await insertAll(database, [
        ...driftStream(1, 3000, refWin),
        ...driftStream(2, 3000, sameWin),
        ...driftStream(3, 3000, { ...shiftWin, brightnessShift: 0.2, foodWeights: shiftedFoods }),
        // another version in the same hours, kept out of version 1's windows
        ...driftStream(4, 800, { ...shiftWin, version: '2', brightnessShift: -0.3 }),
        // shadow runs of version 1 on darker images: their own variant, out of the served predictions
        ...driftStream(5, 1500, { ...sameWin, variant: 'shadow', brightnessShift: -0.3 }),
      ]);
      app = await driftApp(database);
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await database.close();
    });

    it('without a reference: 404 saying how to set one; bad parameters: 400 JSON', async () => {
      const none = await expectError('GET', '/api/v1/mlops/monitoring/drift?model=food-detector&version=1', 404);
      expect(none.error).toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', reason: 'no_reference' });
      expect(none.error.message).toMatch(/PUT \/api\/v1\/mlops\/monitoring\/drift\/reference/);
      await expectError('GET', '/api/v1/mlops/monitoring/drift/reference?version=1', 404);
      const noChampion = await expectError('GET', '/api/v1/mlops/monitoring/drift', 400);
      expect(noChampion.error.reason).toBe('no_champion');

      for (const q of [
        'version=x',
        'version=1&window=5h',
        'version=1&window=24h&from=1',
        'version=1&to=5',
        'version=1&from=10&to=5',
        'version=1&from=yesterday',
        'version=1&drift_share=0',
        'version=1&drift_share=1.5',
        'version=1&stattest_threshold=1',
        'version=1&stattest_threshold=abc',
        'version=1&method=kl',
        'version=1&psi_threshold=-1',
        'version=1&variant=everything',
      ]) {
        const e = await expectError('GET', `/api/v1/mlops/monitoring/drift?${q}`, 400);
        expect(e.error.code, q).toBe('INVALID_PARAMETER_VALUE');
      }
      for (const body of [
        {},
        { version: '1' },
        { version: '1', source: { type: 'run', run_id: 'abc' } },
        { version: '1', source: { type: 'window', from: 10 } },
        { version: '1', source: { type: 'window', from: 10, to: 5 } },
        { version: '1', source: { type: 'first', n: 0 } },
        { version: '1', source: { type: 'first', n: 1.5 } },
        { version: '1', source: { type: 'first', n: 10, after: 'soon' } },
        { version: '0', source: { type: 'first', n: 10 } },
      ]) {
        const e = await expectError('PUT', '/api/v1/mlops/monitoring/drift/reference', 400, body);
        expect(e.error.code, JSON.stringify(body)).toBe('INVALID_PARAMETER_VALUE');
      }
      // a window without predictions of the version
      const empty = await expectError('PUT', '/api/v1/mlops/monitoring/drift/reference', 400, {
        model: 'food-detector', version: '7', source: { type: 'window', from: refWin.from, to: refWin.to },
      });
      expect(empty.error.reason).toBe('empty_reference');
    });

    it('flags exactly the shifted features, and nothing on a window of the same distribution', async () => {
      const ref = await putReference({ model: 'food-detector', version: '1', source: { type: 'window', from: refWin.from, to: new Date(refWin.to).toISOString() } });
      expect(ref.rows).toBeGreaterThan(2700);
      expect(ref.source).toEqual({ type: 'window', from: refWin.from, to: refWin.to, variant: 'all' });
      expect(ref.range).toEqual({ from: refWin.from, to: refWin.to });
      expect(ref.features.food.reduce((n, f) => n + f.count, 0)).toBe(ref.rows);
      expect(ref.features.numeric.brightness!.count).toBe(ref.rows);

      const same = await drift(`model=food-detector&version=1&from=${sameWin.from}&to=${sameWin.to}&variant=served`);
      expect(same.features.map((f) => f.name)).toEqual(['confidence', 'image_width', 'image_height', 'aspect_ratio', 'image_bytes', 'brightness', 'contrast', 'saturation', 'sharpness', 'food']);
      expect(drifted(same)).toEqual([]);
      expect(same.dataset).toMatchObject({ features: 10, evaluated: 10, drifted_features: 0, drifted: false, drift_share: 0.5 });
      expect(same.reference.rows).toBe(ref.rows);
      expect(same.current.rows).toBeGreaterThan(2700);
      // the reference has > 1000 rows: Evidently's large-reference defaults
      const byName = Object.fromEntries(same.features.map((f) => [f.name, f]));
      expect(byName.brightness).toMatchObject({ test: 'wasserstein', threshold: 0.1, p_value: null, status: 'ok' });
      expect(byName.food).toMatchObject({ test: 'jensenshannon', threshold: 0.1, approximate: false });
      expect(byName.image_width).toMatchObject({ test: 'wasserstein', approximate: false }); // 6 exact widths
      for (const f of same.features) {
        const d = f.distribution!;
        expect(d.reference.length).toBe(d.labels.length);
        expect(d.current.length).toBe(d.labels.length);
        expect(d.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        expect(d.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        if (d.edges) expect(d.edges.length).toBe(d.labels.length + 1);
      }
      expect(byName.food!.distribution!.labels).toContain('(no food)');
      expect(byName.brightness!.stats!.reference.mean).toBeCloseTo(0.45, 1);
      // an empty window: nothing to compare, nothing drifts
      const empty = await drift(`model=food-detector&version=1&from=${refWin.from - 5 * DAY_MS}&to=${refWin.from - 4 * DAY_MS}`);
      expect(empty.current.rows).toBe(0);
      expect(empty.features.every((f) => f.status === 'not_enough_data' && !f.drifted && f.reason === 'the current window is empty')).toBe(true);
      expect(empty.dataset).toMatchObject({ evaluated: 0, drifted: false });
      expect(empty.dataset.not_enough_data).toHaveLength(10);
      // one threshold for every test: a tiny distance now counts
      const loose = await drift(`model=food-detector&version=1&from=${sameWin.from}&to=${sameWin.to}&variant=served&stattest_threshold=0.001`);
      expect(new Set(loose.features.map((f) => f.threshold))).toEqual(new Set([0.001]));
      expect(loose.dataset.drifted).toBe(true);

      const shifted = await drift(`model=food-detector&version=1&from=${shiftWin.from}&to=${shiftWin.to}`);
      expect(drifted(shifted)).toEqual(['brightness', 'food']);
      expect(shifted.dataset).toMatchObject({ drifted_features: 2, share: 0.2, drifted: false });
      const b = shifted.features.find((f) => f.name === 'brightness')!;
      expect(b.stats!.current.mean! - b.stats!.reference.mean!).toBeCloseTo(0.2, 1);
      // a lower drift share makes the dataset drift
      const strict = await drift(`model=food-detector&version=1&from=${shiftWin.from}&to=${shiftWin.to}&drift_share=0.2`);
      expect(strict.dataset.drifted).toBe(true);

      // PSI on top: the same two features reach 0.1, the others stay well below
      // the shadow runs alone: darker
      const shadow = await drift(`model=food-detector&version=1&from=${sameWin.from}&to=${sameWin.to}&variant=shadow`);
      expect(drifted(shadow)).toEqual(['brightness']);
      expect(shadow.current.rows).toBeLessThan(1500);
      expect(shadow.variant).toBe('shadow');

      const psi = await drift(`model=food-detector&version=1&from=${shiftWin.from}&to=${shiftWin.to}&method=psi`);
      expect(psi.psi!.drifted_features.sort()).toEqual(['brightness', 'food']);
      expect(psi.features.find((f) => f.name === 'brightness')!.psi!.distribution.edges![0]).toBeNull(); // open outer bin
      const samePsi = await drift(`model=food-detector&version=1&from=${sameWin.from}&to=${sameWin.to}&method=psi&variant=champion`);
      expect(samePsi.psi!.drifted_features).toEqual([]);
    });

    it('a reference of the first N predictions after a time; the champion by default; the trailing window', async () => {
      const ref = await putReference({ model: 'food-detector', version: '1', source: { type: 'first', n: 2000, after: refWin.from } });
      expect(ref.rows).toBe(2000);
      expect(ref.source).toEqual({ type: 'first', n: 2000, after: refWin.from, variant: 'all' });
      expect(ref.range.from).toBeGreaterThanOrEqual(refWin.from);
      expect(ref.range.to).toBeLessThan(refWin.to);
      expect(ref.features.numeric.confidence!.count + ref.features.numeric.confidence!.missing).toBe(2000);
      const got = await app.inject({ method: 'GET', url: '/api/v1/mlops/monitoring/drift/reference?version=1' });
      expect(got.statusCode).toBe(200);
      expect(DriftReference.parse(got.json())).toEqual(ref);

      await createRegisteredModel(database.db, { name: 'food-detector' });
      await createModelVersion(database.db, { name: 'food-detector', source: 'models:/x' });
      await setChampionVersion(database.db, 'food-detector', '1');
      const same = await drift(`from=${sameWin.from}&to=${sameWin.to}&variant=served`);
      expect(same.version).toBe('1');
      expect(drifted(same)).toEqual([]);
      // default window: the last 24 hours hold the shifted stream
      const last = await drift('');
      expect(last.current.range.to).toBeGreaterThanOrEqual(now);
      expect(drifted(last)).toEqual(['brightness', 'food']);

      // fewer predictions than asked: all there are, said so
      const few = await putReference({ model: 'food-detector', version: '2', source: { type: 'first', n: 5000 } });
      expect(few.rows).toBeLessThan(800);
      expect(few.description).toMatch(/fewer than the 5000 asked/);
      // shadow variant only: version 2 has none
      const e = await expectError('PUT', '/api/v1/mlops/monitoring/drift/reference', 400, { model: 'food-detector', version: '2', source: { type: 'first', n: 10, variant: 'shadow' } });
      expect(e.error.reason).toBe('empty_reference');

      const del = await app.inject({ method: 'DELETE', url: '/api/v1/mlops/monitoring/drift/reference?model=food-detector&version=2' });
      expect(del.statusCode).toBe(204);
      await expectError('DELETE', '/api/v1/mlops/monitoring/drift/reference?model=food-detector&version=2', 404);
    });

  });
});
