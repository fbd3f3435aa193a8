// The monitoring endpoints over a real store: windows and filters, variants kept apart, top users, histogram
// quantiles against exact ones, answers from rollups after raw rows are gone, and bad queries.
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfidenceMonitoring, ErrorBody, PredictionMonitoring } from '@foodlens/contracts';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import type { Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { insertPredictions } from '../monitoring/prediction-log/prediction-log.repository.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import { CONFIDENCE_QUANTILE_ERROR } from '../monitoring/rollups/histogram-bins.js';
import { RetentionJob } from '../monitoring/rollups/raw-retention.js';
import { rollupRecords } from '../monitoring/rollups/rollup-test-data.js';
import { DAY_MS, HOUR_MS } from '../monitoring/rollups/time-buckets.js';
import { registerErrorHandler } from './error-handler.js';
import { monitoringRoutes } from './monitoring.routes.js';

async function monitoringApp(database: Database): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(monitoringRoutes, { database });
  return app;
}

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

describeEachDatabase((td) => {
  describe('/api/v1/mlops/monitoring', () => {
    let database: Database;
    let app: FastifyInstance;
    const now = Date.now();
    let records: PredictionRecord[];

    const predictions = async (query: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/mlops/monitoring/predictions?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return PredictionMonitoring.parse(res.json());
    };
    const confidence = async (query: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/mlops/monitoring/confidence?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return ConfidenceMonitoring.parse(res.json());
    };
    const inRange = (r: PredictionRecord, from: number, to: number) => r.createdAt >= from && r.createdAt < to;
    const served = (r: PredictionRecord) => r.variant !== 'shadow';

    beforeEach(async () => {
      database = await td.open();
      await migrateToLatest(database);
      // 10 days of history, the last 2 days denser
      records = [
        ...rollupRecords(21, 1500, { from: now - 10 * DAY_MS, to: now - 2 * DAY_MS }),
        ...rollupRecords(22, 2500, { from: now - 2 * DAY_MS, to: now }),
      ];
      for (let i = 0; i < records.length; i += 500) await insertPredictions(database, records.slice(i, i + 500));
      app = await monitoringApp(database);
    });
    afterEach(async () => {
      await app.close();
      await database.close();
    });

    it('counts a window by food, day and user; served predictions by default', async () => {
      const body = await predictions('window=7d&top_users=5&model=food-detector');
      const want = records.filter((r) => inRange(r, body.range.from, body.range.to) && served(r) && r.modelName === 'food-detector');
      // the 7d window's edges are rounded up to the hour (beyond minute retention) and the minute (within it)
      expect(body.range.to).toBeGreaterThanOrEqual(now);
      expect(body.range.from - (now - 7 * DAY_MS)).toBeLessThan(HOUR_MS);
      expect(body.totals.requests).toBe(want.length);
      expect(body.totals.errors).toBe(want.filter((r) => r.status === 'error').length);
      expect(body.by_day.reduce((n, d) => n + d.requests, 0)).toBe(want.length);
      const day = body.by_day.at(-1)!;
      expect(day.day).toBe(new Date(now).toISOString().slice(0, 10));
      expect(day.requests).toBe(want.filter((r) => new Date(r.createdAt).toISOString().startsWith(day.day)).length);
      const ok = want.filter((r) => r.status === 'ok');
      for (const f of body.by_food) expect(f.count).toBe(ok.filter((r) => r.foodName === f.food).length);
      expect(body.by_food.reduce((n, f) => n + f.count, 0)).toBe(ok.length);

      // users: hour-aligned, top 5 exactly (no bucket saw more than 256 users), distinct within the sketch's error
      const users = want.filter((r) => inRange(r, body.users.range.from, body.users.range.to) && r.userId !== null);
      const counts = new Map<string, number>();
      for (const r of users) counts.set(r.userId!, (counts.get(r.userId!) ?? 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
      expect(body.users.top).toEqual(top.map(([user_id, count]) => ({ user_id, count, max_overcount: 0 })));
      expect(Math.abs(body.users.distinct_estimate - counts.size)).toBeLessThanOrEqual(Math.max(3, 3 * body.users.distinct_relative_error * counts.size));
    });

    it('keeps variants apart and filters by model and version', async () => {
      const q = `from=${now - 3 * DAY_MS}&to=${now}`;
      const all = await predictions(`${q}&variant=all`);
      const parts = await Promise.all(['champion', 'challenger', 'shadow'].map((v) => predictions(`${q}&variant=${v}`)));
      const unknown = records.filter((r) => inRange(r, all.range.from, all.range.to) && r.variant == null).length;
      expect(parts.reduce((n, p) => n + p.totals.requests, 0) + unknown).toBe(all.totals.requests);
      const shadow = records.filter((r) => inRange(r, all.range.from, all.range.to) && r.variant === 'shadow');
      expect(parts[2]!.totals.requests).toBe(shadow.length);
      expect((await predictions(q)).totals.requests).toBe(all.totals.requests - shadow.length);

      const v2 = await predictions(`${q}&variant=all&model=food-detector&version=2`);
      expect(v2.filters).toEqual({ model: 'food-detector', version: '2', variant: 'all' });
      expect(v2.totals.requests).toBe(records.filter((r) => inRange(r, v2.range.from, v2.range.to) && r.modelName === 'food-detector' && r.modelVersion === '2').length);
      expect((await predictions(`${q}&model=nope`)).totals).toEqual({ requests: 0, errors: 0, error_rate: null, no_food: 0, anonymous: 0 });
    });

    it('answers a range within the last day to the minute', async () => {
      const from = now - 5 * HOUR_MS - 7 * 60_000 - 1234;
      const to = now - 20 * 60_000;
      const body = await predictions(`from=${new Date(from).toISOString()}&to=${to}&variant=all`);
      expect(body.range.from - from).toBeLessThan(60_000);
      expect(body.range.to - to).toBeLessThan(60_000);
      expect(body.totals.requests).toBe(records.filter((r) => inRange(r, body.range.from, body.range.to)).length);
    });

    it('reads confidence histograms, mean and quantiles within the stated bound', async () => {
      const body = await confidence('window=30d&variant=all&bins=5&quantiles=0.1,0.5,0.9,0.99&threshold=0.3');
      const values = records.filter((r) => inRange(r, body.range.from, body.range.to) && r.status === 'ok' && r.confidence !== null).map((r) => r.confidence!);
      values.sort((a, b) => a - b);
      expect(body.count).toBe(values.length);
      expect(body.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
      expect(body.histogram.map((h) => [h.from, h.to])).toEqual([[0, 0.2], [0.2, 0.4], [0.4, 0.6], [0.6, 0.8], [0.8, 1]]);
      expect(body.histogram.reduce((n, h) => n + h.count, 0)).toBe(values.length);
      expect(body.histogram[0]!.count).toBe(values.filter((v) => v < 0.2).length);
      expect(body.quantile_error).toBe(CONFIDENCE_QUANTILE_ERROR);
      for (const { q, value } of body.quantiles) expect(Math.abs(value! - exactQuantile(values, q))).toBeLessThanOrEqual(CONFIDENCE_QUANTILE_ERROR);
      // 0.3 is a bin edge, so the count below it is exact
      expect(body.below_threshold.count).toBeCloseTo(values.filter((v) => v < 0.3).length, 6);
      expect(body.below_threshold.share).toBeCloseTo(body.below_threshold.count / values.length, 9);
      const empty = await confidence(`from=${now + DAY_MS}&to=${now + 2 * DAY_MS}`);
      expect(empty).toMatchObject({ count: 0, mean: null, quantiles: [{ q: 0.05, value: null }, { q: 0.25, value: null }, { q: 0.5, value: null }, { q: 0.75, value: null }, { q: 0.95, value: null }] });
    });

    it('still answers from the rollups after retention deleted the raw rows', async () => {
      const before = await predictions('window=30d&variant=all&top_users=3');
      const beforeConfidence = await confidence('window=30d&variant=all');
      const job = new RetentionJob({ database, rawRetentionDays: 1, batchSize: 300 });
      const result = await job.runOnce();
      await job.close();
      const left = await database.db.selectFrom('predictions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(result.rawDeleted).toBe(records.filter((r) => r.createdAt < now - DAY_MS).length);
      expect(Number(left.n)).toBe(records.length - result.rawDeleted);
      expect(result.rawDeleted).toBeGreaterThan(2000);
      const after = await predictions('window=30d&variant=all&top_users=3');
      expect({ ...after, range: null, users: { ...after.users, range: null } }).toEqual({ ...before, range: null, users: { ...before.users, range: null } });
      expect((await confidence('window=30d&variant=all')).histogram).toEqual(beforeConfidence.histogram);
    });

    it('deletes minute buckets past minute retention and keeps hours and days', async () => {
      const job = new RetentionJob({ database, rawRetentionDays: 0, minuteRetentionMs: HOUR_MS });
      const { rawDeleted, minuteBucketsDeleted } = await job.runOnce();
      expect(rawDeleted).toBe(0);
      expect(minuteBucketsDeleted).toBeGreaterThan(100);
      const oldest = await database.db.selectFrom('prediction_rollups').select((eb) => eb.fn.min('bucket_start').as('t')).where('grain', '=', 'm').executeTakeFirstOrThrow();
      expect(Number(oldest.t)).toBeGreaterThanOrEqual(now - HOUR_MS - 60_000);
      const foods = await database.db.selectFrom('prediction_rollup_foods').select((eb) => eb.fn.min('bucket_start').as('t')).where('grain', '=', 'm').executeTakeFirstOrThrow();
      expect(Number(foods.t)).toBeGreaterThanOrEqual(now - HOUR_MS - 60_000);
      expect((await predictions('window=30d&variant=all')).totals.requests).toBe(records.length);
    });
  });

  describe('/api/v1/mlops/monitoring bad queries', () => {
    const db = useTestDatabase(td);
    const now = Date.now();
    let app: FastifyInstance;
    beforeEach(async () => {
      app = await monitoringApp(db());
    });
    afterEach(async () => app.close());

    it.each([
      ['window=2d', /window/],
      ['window=24h&from=1', /either window or from\/to/],
      [`from=${now}&to=${now - 1}`, /before/],
      ['to=5', /to needs from/],
      ['from=yesterday', /epoch milliseconds or an ISO/],
      [`from=0&to=${500 * DAY_MS}`, /400 days/],
      ['variant=canary', /variant/],
      ['top_users=0', /top_users/],
    ])('answers 400 to predictions?%s', async (query, message) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/mlops/monitoring/predictions?${query}` });
      expect(res.statusCode).toBe(400);
      expect(ErrorBody.parse(res.json()).error.message).toMatch(message);
    });

    it.each([
      ['bins=3', /bins must be one of/],
      ['bins=0', /bins/],
      ['quantiles=0.5,1.5', /quantiles/],
      ['quantiles=abc', /quantiles/],
      ['threshold=-0.1', /threshold/],
    ])('answers 400 to confidence?%s', async (query, message) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/mlops/monitoring/confidence?${query}` });
      expect(res.statusCode).toBe(400);
      expect(ErrorBody.parse(res.json()).error.message).toMatch(message);
    });
  });
});
