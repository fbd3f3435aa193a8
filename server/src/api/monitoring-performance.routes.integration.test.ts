// The performance endpoint over a real store: per-step counts and latency quantiles against the inserted records,
// realised accuracy hand-counted from inserted feedback, calibration switching on at its threshold, the CBPE
// estimate against realised accuracy, the in-process copy of the feedback join following new and changed feedback,
// shadow runs scored from the served prediction's feedback, empty ranges, and bad queries.
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody, PerformanceMonitoring } from '@foodlens/contracts';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import type { Database } from '../db/connection.js';
import { recordFeedback } from '../monitoring/feedback/feedback.js';
import { insertPredictions } from '../monitoring/prediction-log/prediction-log.repository.js';
import type { PredictionRecord, PredictionVariant } from '../monitoring/prediction-log/types.js';
import { LATENCY_QUANTILE_RELATIVE_ERROR } from '../monitoring/rollups/histogram-bins.js';
import { NO_IMAGE } from '../../test/prediction-records.js';
import { seededRandom } from '../monitoring/rollups/rollup-test-data.js';
import { DAY_MS, floorTo, HOUR_MS } from '../monitoring/rollups/time-buckets.js';
import { uuidv7 } from '../util/ids.js';
import { registerErrorHandler } from './error-handler.js';
import { monitoringPerformanceRoutes } from './monitoring-performance.routes.js';

async function performanceApp(database: Database): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(monitoringPerformanceRoutes, { database });
  return app;
}

interface Spec {
  createdAt: number;
  status?: 'ok' | 'error';
  confidence?: number | null;
  food?: string | null;
  latencyMs?: number;
  version?: string;
  variant?: PredictionVariant | null;
  shadowOf?: string | null;
}

function record(s: Spec): PredictionRecord {
  const error = s.status === 'error';
  return {
    id: uuidv7(s.createdAt),
    createdAt: s.createdAt,
    userId: 'user-1',
    modelName: 'food-detector',
    modelVersion: s.version ?? '1',
    status: error ? 'error' : 'ok',
    errorClass: error ? 'corrupt' : null,
    foodName: error ? null : s.food === undefined ? 'banana' : s.food,
    confidence: error ? null : s.confidence === undefined ? 0.5 : s.confidence,
    detections: [],
    latencyMs: s.latencyMs ?? 50,
    ...NO_IMAGE,
    variant: s.variant === undefined ? 'champion' : s.variant,
    shadowOf: s.shadowOf ?? null,
  };
}

async function insert(database: Database, records: PredictionRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 500) await insertPredictions(database, records.slice(i, i + 500));
}

interface FeedbackSpec {
  id: string;
  correct: boolean;
  label?: string | null;
  updatedTime?: number;
}

/** Straight into the table (recordFeedback is one transaction per answer; thousands of them are slow on PostgreSQL). */
async function insertFeedback(database: Database, rows: FeedbackSpec[]): Promise<void> {
  const t = Date.now();
  for (let i = 0; i < rows.length; i += 200) {
    await database.db
      .insertInto('prediction_feedback')
      .values(rows.slice(i, i + 200).map((r) => ({ prediction_id: r.id, correct: r.correct ? 1 : 0, label: r.label ?? null, created_time: r.updatedTime ?? t, updated_time: r.updatedTime ?? t })))
      .execute();
  }
  // what recordFeedback copies from the prediction
  for (const [to, from] of [['prediction_created_at', 'created_at'], ['model_name', 'model_name'], ['model_version', 'model_version'], ['variant', 'variant'], ['confidence', 'confidence'], ['food_name', 'food_name']] as const) {
    await sql`update prediction_feedback set ${sql.ref(to)} = (select p.${sql.ref(from)} from predictions p where p.id = prediction_feedback.prediction_id) where ${sql.ref(to)} is null`.execute(database.db);
  }
}

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function expectQuantile(actual: number | null, values: number[], q: number): void {
  if (values.length === 0) {
    expect(actual).toBeNull();
    return;
  }
  const exact = exactQuantile([...values].sort((a, b) => a - b), q);
  expect(Math.abs(actual! - exact)).toBeLessThanOrEqual(exact * LATENCY_QUANTILE_RELATIVE_ERROR * (1 + 1e-9));
}

describeEachDatabase((td) => {
  describe('/api/v1/mlops/monitoring/performance', () => {
    const db = useTestDatabase(td);
    let app: FastifyInstance;
    const now = Date.now();
    // a whole day, past minute retention: read from hour buckets, one point per hour by default
    const from = floorTo(now, HOUR_MS) - 4 * DAY_MS;
    const to = from + DAY_MS;

    const performance = async (query: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/mlops/monitoring/performance?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).not.toMatch(/NaN|Infinity/);
      return PerformanceMonitoring.parse(res.json());
    };

    beforeEach(async () => {
      app = await performanceApp(db());
    });
    afterEach(async () => app.close());

    /** 1,200 predictions over the day and an hour either side: versions, variants, errors, spread latencies. */
    function mixedDay(seed: number): PredictionRecord[] {
      const rand = seededRandom(seed);
      const variants: Array<PredictionVariant | null> = ['champion', 'champion', 'challenger', 'shadow', null];
      return Array.from({ length: 1200 }, () => {
        const error = rand() < 0.07;
        const food = rand() < 0.1 ? null : 'banana';
        return record({
          createdAt: from - HOUR_MS + Math.floor(rand() * (DAY_MS + 2 * HOUR_MS)),
          status: error ? 'error' : 'ok',
          food,
          confidence: food === null ? null : Math.round(rand() * 1e6) / 1e6,
          latencyMs: 5 + rand() ** 3 * 2000,
          version: ['1', '2', '3'][Math.floor(rand() * 3)]!,
          variant: variants[Math.floor(rand() * variants.length)]!,
        });
      });
    }

    it('counts requests, errors, confidence and latency quantiles per step and over the range', async () => {
      const records = mixedDay(1);
      await insert(db(), records);
      const body = await performance(`from=${from}&to=${to}`);
      expect(body.range).toEqual({ from, to });
      expect(body.resolution).toEqual({ step: '1h', step_ms: HOUR_MS, chosen: 'auto' });
      expect(body.series).toHaveLength(24);
      expect(body.latency_relative_error).toBe(LATENCY_QUANTILE_RELATIVE_ERROR);

      const check = (f: PerformanceMonitoring['summary'], want: PredictionRecord[]) => {
        const ok = want.filter((r) => r.status === 'ok');
        const confident = ok.filter((r) => r.confidence !== null);
        expect(f.requests).toBe(want.length);
        expect(f.errors).toBe(want.length - ok.length);
        expect(f.error_rate).toBe(want.length ? (want.length - ok.length) / want.length : null);
        expect(f.confidence_count).toBe(confident.length);
        if (confident.length) expect(f.mean_confidence).toBeCloseTo(confident.reduce((s, r) => s + r.confidence!, 0) / confident.length, 9);
        else expect(f.mean_confidence).toBeNull();
        expectQuantile(f.latency_p50_ms, ok.map((r) => r.latencyMs), 0.5);
        expectQuantile(f.latency_p95_ms, ok.map((r) => r.latencyMs), 0.95);
      };
      const served = records.filter((r) => r.variant !== 'shadow');
      body.series.forEach((p, i) => {
        expect(p.from).toBe(from + i * HOUR_MS);
        expect(p.to).toBe(p.from + HOUR_MS);
        check(p, served.filter((r) => r.createdAt >= p.from && r.createdAt < p.to));
      });
      check(body.summary, served.filter((r) => r.createdAt >= from && r.createdAt < to));

      // a coarser requested step sums the same figures; filters narrow them
      const sixHours = await performance(`from=${from}&to=${to}&resolution=6h`);
      expect(sixHours.resolution).toEqual({ step: '6h', step_ms: 6 * HOUR_MS, chosen: 'requested' });
      // 6-hour steps are aligned to UTC midnight, so the first and last are clipped to the range
      expect(sixHours.series[0]!.from).toBe(from);
      expect(sixHours.series[0]!.to % (6 * HOUR_MS)).toBe(0);
      expect(sixHours.series.at(-1)!.to).toBe(to);
      for (const p of sixHours.series) {
        const hours = body.series.filter((h) => h.from >= p.from && h.to <= p.to);
        expect(p.requests).toBe(hours.reduce((n, h) => n + h.requests, 0));
        expect(p.errors).toBe(hours.reduce((n, h) => n + h.errors, 0));
      }
      expect(sixHours.summary).toEqual({ ...body.summary, mean_confidence: expect.closeTo(body.summary.mean_confidence!, 12) });
      const v2 = await performance(`from=${from}&to=${to}&variant=all&model=food-detector&version=2`);
      expect(v2.filters).toEqual({ model: 'food-detector', version: '2', variant: 'all' });
      check(v2.summary, records.filter((r) => r.createdAt >= from && r.createdAt < to && r.modelVersion === '2'));
    });

    it('realised accuracy per step is the share of correct feedback among labelled predictions, counted by hand', async () => {
      const records = mixedDay(2);
      await insert(db(), records);
      const rand = seededRandom(3);
      // feedback on about a third of the served predictions, inside and outside the range, errors included
      const feedback = records.filter((r) => r.variant !== 'shadow' && rand() < 0.35).map((r) => ({ id: r.id, correct: rand() < 0.7 }));
      await insertFeedback(db(), feedback);
      const correct = new Map(feedback.map((f) => [f.id, f.correct]));

      for (const query of [`from=${from}&to=${to}`, `from=${from}&to=${to}&version=2&resolution=3h`, `from=${from}&to=${to}&variant=challenger`]) {
        const body = await performance(query);
        const keep = (r: PredictionRecord) =>
          r.variant !== 'shadow' &&
          (body.filters.version === null || r.modelVersion === body.filters.version) &&
          (body.filters.variant !== 'challenger' || r.variant === 'challenger');
        const count = (a: number, b: number) => {
          const labelled = records.filter((r) => keep(r) && r.createdAt >= a && r.createdAt < b && correct.has(r.id));
          const right = labelled.filter((r) => correct.get(r.id)).length;
          return { labelled: labelled.length, correct: right, value: labelled.length ? right / labelled.length : null };
        };
        for (const p of body.series) expect(p.realised_accuracy).toEqual(count(p.from, p.to));
        expect(body.summary.realised_accuracy).toEqual(count(from, to));
        expect(body.summary.realised_accuracy.labelled).toBeGreaterThan(query.includes('version') || query.includes('challenger') ? 20 : 200);
      }
      // feedback carries its prediction's context: realised accuracy outlives the raw rows (retention deletes them)
      const before = await performance(`from=${from}&to=${to}`);
      await db().db.deleteFrom('predictions').execute();
      const after = await performance(`from=${from}&to=${to}`);
      expect(after.summary.realised_accuracy).toEqual(before.summary.realised_accuracy);
      expect(after.series.map((p) => p.realised_accuracy)).toEqual(before.series.map((p) => p.realised_accuracy));
    });

    it('calibrates on feedback from 100 labelled predictions on, when that lowers the calibration error', async () => {
      // confidence in [0.5, 1), but right only above 0.9: raw confidence is far off, isotonic regression fits it
      const rand = seededRandom(4);
      const records = Array.from({ length: 400 }, (_, i) => record({ createdAt: from + i * 60_000, confidence: 0.5 + 0.5 * rand() }));
      await insert(db(), records);
      const answer = (r: PredictionRecord) => ({ id: r.id, correct: r.confidence! > 0.9 });
      await insertFeedback(db(), records.slice(0, 99).map(answer));
      const before = await performance(`from=${from}&to=${to}`);
      expect(before.calibration).toMatchObject({ calibrated: false, reason: 'too_few_pairs', pairs: 99, min_pairs: 100 });
      // 30 days back from the end of the range
      expect(before.calibration.range).toEqual({ from: to - 30 * DAY_MS, to });
      expect(before.summary.estimated_accuracy.value).toBeCloseTo(before.summary.mean_confidence!, 1);

      await insertFeedback(db(), records.slice(99, 100).map(answer));
      const after = await performance(`from=${from}&to=${to}`);
      expect(after.calibration).toMatchObject({ calibrated: true, reason: 'calibrated', pairs: 100 });
      const truth = records.filter((r) => r.confidence! > 0.9).length / records.length;
      expect(Math.abs(after.summary.estimated_accuracy.value! - truth)).toBeLessThan(0.05);
      expect(Math.abs(before.summary.estimated_accuracy.value! - truth)).toBeGreaterThan(0.4);
    });

    it('the estimate tracks realised accuracy: raw on a calibrated stream, calibrated on an overconfident one', async () => {
      const stream = (seed: number, version: string, p: (c: number) => number) => {
        const rand = seededRandom(seed);
        return Array.from({ length: 2400 }, (_, i) => {
          const confidence = 0.3 + 0.7 * rand();
          return { r: record({ createdAt: from + i * 36_000, confidence, version }), correct: rand() < p(confidence) };
        });
      };
      const calibrated = stream(5, '1', (c) => c);
      const overconfident = stream(6, '2', (c) => c * c);
      await insert(db(), [...calibrated, ...overconfident].map((s) => s.r));
      await insertFeedback(db(), [...calibrated, ...overconfident].map((s) => ({ id: s.r.id, correct: s.correct })));

      const one = await performance(`from=${from}&to=${to}&version=1`);
      expect(one.calibration.pairs).toBe(2400);
      const two = await performance(`from=${from}&to=${to}&version=2`);
      expect(two.calibration).toMatchObject({ calibrated: true, reason: 'calibrated', pairs: 2400 });
      for (const body of [one, two]) {
        const { estimated_accuracy: e, realised_accuracy: r, confidence_count: n } = body.summary;
        expect(r.labelled).toBe(2400);
        expect(n).toBe(2400);
        // the band is ±3 sampling errors of an accuracy over n predictions
        expect(e.standard_error).toBeCloseTo(Math.sqrt((e.value! * (1 - e.value!)) / n), 12);
        expect(e.upper! - e.value!).toBeCloseTo(3 * e.standard_error!, 12);
        expect(r.value!).toBeGreaterThanOrEqual(e.lower!);
        expect(r.value!).toBeLessThanOrEqual(e.upper!);
        // per hour (100 predictions each) realised accuracy stays inside the wider band nearly always
        const inside = body.series.filter((p) => p.realised_accuracy.value! >= p.estimated_accuracy.lower! && p.realised_accuracy.value! <= p.estimated_accuracy.upper!);
        expect(inside.length).toBeGreaterThanOrEqual(22);
      }
      // the raw confidence would overstate the overconfident version's accuracy by far
      expect(two.summary.mean_confidence! - two.summary.realised_accuracy.value!).toBeGreaterThan(0.15);
    });

    it('follows new, changed, back-dated and deleted feedback', async () => {
      const rand = seededRandom(7);
      const records = Array.from({ length: 300 }, (_, i) => record({ createdAt: from + i * 240_000, confidence: rand() }));
      await insert(db(), records);
      const truth = new Map<string, boolean>();
      const give = async (rows: FeedbackSpec[]) => {
        await insertFeedback(db(), rows);
        for (const r of rows) truth.set(r.id, r.correct);
      };
      const expectRealised = async () => {
        const body = await performance(`from=${from}&to=${to}`);
        const labelled = records.filter((r) => truth.has(r.id));
        expect(body.summary.realised_accuracy).toEqual({
          labelled: labelled.length,
          correct: labelled.filter((r) => truth.get(r.id)).length,
          value: labelled.length ? labelled.filter((r) => truth.get(r.id)).length / labelled.length : null,
        });
      };

      await expectRealised(); // nothing yet
      await give(records.slice(0, 50).map((r) => ({ id: r.id, correct: true })));
      await expectRealised();
      // new answers, answers replaced through the service (later update time), and one written with an old clock
      await give(records.slice(50, 80).map((r) => ({ id: r.id, correct: false })));
      for (const r of records.slice(0, 10)) {
        await recordFeedback({ database: db() }, { predictionId: r.id, correct: false, now: Date.now() + 1 });
        truth.set(r.id, false);
      }
      await give([{ id: records[200]!.id, correct: true, updatedTime: 1_000 }]);
      await expectRealised();
      // a replacement that keeps the count and moves no maximum: an old clock again
      await db().db.updateTable('prediction_feedback').set({ correct: 0, updated_time: 2_000 }).where('prediction_id', '=', records[200]!.id).execute();
      truth.set(records[200]!.id, false);
      await expectRealised();
      // and feedback taken back
      await db().db.deleteFrom('prediction_feedback').where('prediction_id', 'in', [records[0]!.id, records[60]!.id]).execute();
      truth.delete(records[0]!.id);
      truth.delete(records[60]!.id);
      await expectRealised();
    });

    it("scores shadow runs against the served prediction's ground truth", async () => {
      const served = Array.from({ length: 40 }, (_, i) => record({ createdAt: from + i * 600_000, food: i % 2 ? 'apple' : 'pizza', confidence: 0.8 }));
      const shadows = served.map((s, i) => record({ createdAt: s.createdAt + 500, food: i % 3 ? 'apple' : 'pizza', confidence: 0.6, variant: 'shadow', version: '9', shadowOf: s.id }));
      await insert(db(), [...served, ...shadows]);
      // confirmed, corrected with a label, and "wrong" without a label (truth unknown: the shadow is not scored)
      const feedback = served.map((s, i) => ({ id: s.id, correct: i % 3 === 0, label: i % 3 === 1 ? 'apple' : null }));
      await insertFeedback(db(), feedback);
      let labelled = 0;
      let right = 0;
      served.forEach((s, i) => {
        const f = feedback[i]!;
        if (!f.correct && f.label === null) return;
        labelled++;
        if (shadows[i]!.foodName === (f.correct ? s.foodName : f.label)) right++;
      });
      const shadow = await performance(`from=${from}&to=${to}&variant=shadow`);
      expect(shadow.summary.realised_accuracy).toEqual({ labelled, correct: right, value: right / labelled });
      const all = await performance(`from=${from}&to=${to}&variant=all`);
      const servedRight = feedback.filter((f) => f.correct).length;
      expect(all.summary.realised_accuracy).toEqual({ labelled: labelled + 40, correct: right + servedRight, value: (right + servedRight) / (labelled + 40) });
      expect((await performance(`from=${from}&to=${to}`)).summary.realised_accuracy.labelled).toBe(40);
    });

    it('answers an empty range with zero counts and null figures, never NaN', async () => {
      const empty = await performance('window=24h');
      expect(empty.resolution).toMatchObject({ step: '1h', chosen: 'auto' });
      expect(empty.series.length).toBeGreaterThanOrEqual(24);
      expect(empty.series.length).toBeLessThanOrEqual(25);
      expect(empty.calibration).toMatchObject({ calibrated: false, reason: 'too_few_pairs', pairs: 0 });
      const nothing = {
        requests: 0,
        errors: 0,
        error_rate: null,
        confidence_count: 0,
        mean_confidence: null,
        latency_p50_ms: null,
        latency_p95_ms: null,
        realised_accuracy: { labelled: 0, correct: 0, value: null },
        estimated_accuracy: { value: null, standard_error: null, lower: null, upper: null },
      };
      expect(empty.summary).toEqual(nothing);
      for (const p of empty.series) expect({ ...p, from: undefined, to: undefined }).toEqual({ ...nothing, from: undefined, to: undefined });
      // data elsewhere, none in the range
      await insert(db(), mixedDay(8));
      const future = await performance(`from=${now + DAY_MS}&to=${now + 2 * DAY_MS}`);
      expect(future.summary).toEqual(nothing);
    });

    it('reads minute buckets for recent ranges', async () => {
      const start = floorTo(now, HOUR_MS) - 3 * HOUR_MS;
      const records = Array.from({ length: 180 }, (_, i) => record({ createdAt: start + i * 60_000 + 30_000, latencyMs: 10 + i }));
      await insert(db(), records);
      const body = await performance(`from=${start}&to=${start + 3 * HOUR_MS}`);
      expect(body.resolution.step).toBe('1m');
      expect(body.series).toHaveLength(180);
      expect(body.series.every((p) => p.requests === 1)).toBe(true);
      expectQuantile(body.series[17]!.latency_p50_ms, [27], 0.5);
    });
  });

  describe('/api/v1/mlops/monitoring/performance bad queries', () => {
    const db = useTestDatabase(td);
    const now = Date.now();
    let app: FastifyInstance;
    beforeEach(async () => {
      app = await performanceApp(db());
    });
    afterEach(async () => app.close());

    it.each([
      ['resolution=2m', /resolution/],
      ['window=30d&resolution=5m', /minute rollups/],
      ['window=30d&resolution=1h', /at most 500/],
      [`from=${now - 400 * DAY_MS}&to=${now}&resolution=12h`, /at most 500/],
      ['window=2d', /window/],
      ['window=24h&from=1', /either window or from\/to/],
      [`from=${now}&to=${now - 1}`, /before/],
      ['to=5', /to needs from/],
      [`from=0&to=${500 * DAY_MS}`, /400 days/],
      ['variant=canary', /variant/],
    ])('answers 400 to performance?%s', async (query, message) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/mlops/monitoring/performance?${query}` });
      expect(res.statusCode).toBe(400);
      expect(ErrorBody.parse(res.json()).error.message).toMatch(message);
    });
  });
});
