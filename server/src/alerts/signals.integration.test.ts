// readSignal over a real store, on every database: each alert signal must read exactly what the monitoring endpoint
// behind it answers for the same range and scope (summarisePerformance, summariseConfidence, checkDrift, sumDrops),
// and, where the rollups keep it exactly, what a hand count over the seeded records gives. Predictions go through the
// prediction-log writer (so the rollups are built the normal way) at fixed offsets from a fixed `now`.
//
// `now` is fixed once per file but taken from the clock (rounded to the minute): the rollup insert keeps minute
// buckets only for records inside minute retention of the real clock, so a constant from the past would read nothing.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AlertRuleInput,
  ConfidenceMonitoringQuery,
  DriftQuery,
  PerformanceMonitoringQuery,
  PutDriftReferenceBody,
  type AlertRuleBody,
} from '@foodlens/contracts';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import { NO_IMAGE } from '../../test/prediction-records.js';
import type { Database } from '../db/connection.js';
import { checkDrift } from '../monitoring/drift-monitor/drift.service.js';
import { driftStream } from '../monitoring/drift-monitor/drift-test-data.js';
import { setReference } from '../monitoring/drift-monitor/reference.service.js';
import { recordFeedback } from '../monitoring/feedback/feedback.js';
import { summarisePerformance } from '../monitoring/performance/performance-series.js';
import { PredictionLogWriter } from '../monitoring/prediction-log/prediction-log-writer.js';
import type { PredictionRecord, PredictionVariant } from '../monitoring/prediction-log/types.js';
import { summariseConfidence } from '../monitoring/rollups/confidence-summary.js';
import { CONFIDENCE_BINS, confidenceBin, LATENCY_QUANTILE_RELATIVE_ERROR } from '../monitoring/rollups/histogram-bins.js';
import { floorTo, HOUR_MS, MINUTE_MS } from '../monitoring/rollups/time-buckets.js';
import { uuidv7 } from '../util/ids.js';
import { DropRecorder, sumDrops } from './log-drops.js';
import { instanceKey, readSignal, type SignalContext } from './signals.js';

/** Minute-aligned, so a 5m window is exactly [NOW - 5m, NOW) (windows are rounded up to whole minutes). */
const NOW = floorTo(Date.now(), MINUTE_MS);
const SECOND = 1000;

const rule = (body: Partial<AlertRuleBody> & Pick<AlertRuleBody, 'signal'>): AlertRuleInput =>
  AlertRuleInput.parse({ name: `test ${body.signal}`, comparator: '>', threshold: 0, ...body });

const context = (database: Database, servedVersions: SignalContext['servedVersions'] = () => []): SignalContext => ({
  database,
  servedVersions,
  now: NOW,
  cache: new Map(),
});

/** The value of a rule's own scope (every non-drift signal reads exactly one). */
async function value(r: AlertRuleInput, ctx: SignalContext): Promise<number | null> {
  const readings = await readSignal(r, ctx);
  expect(readings).toHaveLength(1);
  expect(readings[0]).toMatchObject({ key: '', model: r.model, version: r.version });
  return readings[0]!.value;
}

/** Through the writer, as the request path logs them: one transaction per batch with its rollups. */
async function writeThroughLog(database: Database, records: PredictionRecord[]): Promise<void> {
  const writer = new PredictionLogWriter({ database, queueSize: records.length + 1, batchSize: 500, flushIntervalMs: 60_000 });
  for (const r of records) expect(writer.enqueue(r)).toBe(true);
  await writer.flush();
  await writer.close();
  expect(writer.stats()).toMatchObject({ written: records.length, dropped: 0, queued: 0 });
}

interface Spec {
  /** seconds before NOW */
  ago: number;
  model?: string;
  version?: string;
  variant?: PredictionVariant | null;
  error?: boolean;
  confidence?: number;
  latencyMs?: number;
}

function record(s: Spec): PredictionRecord {
  const createdAt = NOW - s.ago * SECOND;
  return {
    id: uuidv7(createdAt),
    createdAt,
    userId: 'user-1',
    modelName: s.model ?? 'food-detector',
    modelVersion: s.version ?? '1',
    status: s.error ? 'error' : 'ok',
    errorClass: s.error ? 'corrupt' : null,
    foodName: s.error ? null : 'banana',
    confidence: s.error ? null : (s.confidence ?? 0.5),
    detections: [],
    latencyMs: s.latencyMs ?? 50,
    ...NO_IMAGE,
    variant: s.variant === undefined ? 'champion' : s.variant,
    shadowOf: null,
  };
}

// Within the last 4 minutes unless said otherwise. Confidences avoid the 0.02 bin edges and the thresholds used below.
const SEED: Spec[] = [
  // food-detector v1, champion: 6 successes, 2 failures
  { ago: 230, confidence: 0.91, latencyMs: 40 },
  { ago: 200, confidence: 0.83, latencyMs: 62 },
  { ago: 170, confidence: 0.71, latencyMs: 85 },
  { ago: 140, confidence: 0.47, latencyMs: 110 },
  { ago: 110, confidence: 0.33, latencyMs: 130 },
  { ago: 80, confidence: 0.97, latencyMs: 2400 },
  { ago: 60, error: true, latencyMs: 4 },
  { ago: 30, error: true, latencyMs: 6 },
  // food-detector v2, challenger: 2 successes, 1 failure
  { ago: 190, version: '2', variant: 'challenger', confidence: 0.63, latencyMs: 55 },
  { ago: 100, version: '2', variant: 'challenger', confidence: 0.55, latencyMs: 75 },
  { ago: 50, version: '2', variant: 'challenger', error: true, latencyMs: 5 },
  // logged without a variant: counts as served
  { ago: 120, variant: null, confidence: 0.39, latencyMs: 95 },
  // shadow runs: never served, out of the default scope
  { ago: 150, variant: 'shadow', confidence: 0.13, latencyMs: 300 },
  { ago: 90, variant: 'shadow', confidence: 0.15, latencyMs: 310 },
  // another model: 2 failures, 1 success
  { ago: 180, model: 'other-model', error: true },
  { ago: 160, model: 'other-model', error: true },
  { ago: 70, model: 'other-model', confidence: 0.21, latencyMs: 900 },
  // before the 5m window (inside a 30m one)
  { ago: 20 * 60, error: true },
  { ago: 19 * 60, confidence: 0.99, latencyMs: 45 },
];

const SERVED = ['champion', 'challenger', ''];

interface HandScope {
  from: number;
  model?: string | null;
  version?: string | null;
  variants?: string[] | null;
}

/** The figures counted by hand over the seeded records of a scope ending at NOW. */
function handCount(records: PredictionRecord[], s: HandScope) {
  const variants = s.variants === undefined ? SERVED : s.variants;
  const inScope = records.filter(
    (r) =>
      r.createdAt >= s.from &&
      r.createdAt < NOW &&
      (s.model == null || r.modelName === s.model) &&
      (s.version == null || r.modelVersion === s.version) &&
      (variants === null || variants.includes(r.variant ?? '')),
  );
  const ok = inScope.filter((r) => r.status === 'ok');
  const confidences = ok.map((r) => r.confidence!);
  const latencies = ok.map((r) => r.latencyMs).sort((a, b) => a - b);
  const binMid = (c: number) => {
    const i = confidenceBin(c);
    return (i / CONFIDENCE_BINS + (i + 1) / CONFIDENCE_BINS) / 2;
  };
  return {
    records: inScope,
    requests: inScope.length,
    errors: inScope.length - ok.length,
    confidences,
    meanConfidence: confidences.reduce((a, b) => a + b, 0) / confidences.length,
    /** exact p95 (nearest rank) */
    p95: latencies[Math.ceil(0.95 * latencies.length) - 1]!,
    /** uncalibrated CBPE over the 0.02-wide histogram: each prediction counts at its bin's midpoint */
    estimated: confidences.map(binMid).reduce((a, b) => a + b, 0) / confidences.length,
    below: (t: number) => confidences.filter((c) => c < t).length / confidences.length,
  };
}

/** What the performance endpoint answers for [NOW - window, NOW) over a scope. */
async function performance(database: Database, windowMs: number, scope: { model?: string; version?: string; variant?: string } = {}) {
  const q = PerformanceMonitoringQuery.parse({ from: NOW - windowMs, to: NOW, ...scope });
  return (await summarisePerformance(database, q, { now: NOW })).summary;
}

const FIVE_MIN = 5 * MINUTE_MS;

describeEachDatabase((td) => {
  describe('alert signals from the rollups and feedback', () => {
    const db = useTestDatabase(td);
    let records: PredictionRecord[];
    let feedback: { correct: string[]; wrong: string[] };

    beforeEach(async () => {
      records = SEED.map(record);
      await writeThroughLog(db(), records);
      // Feedback as the feedback endpoint stores it (copies the prediction's time, model, variant, confidence).
      const served = records.filter((r) => r.modelName === 'food-detector' && r.modelVersion === '1' && r.variant === 'champion' && r.status === 'ok');
      const inWindow = served.filter((r) => r.createdAt >= NOW - FIVE_MIN);
      const old = served.find((r) => r.createdAt < NOW - FIVE_MIN)!;
      const other = records.find((r) => r.modelName === 'other-model' && r.status === 'ok')!;
      feedback = { correct: [inWindow[0]!.id, inWindow[1]!.id, inWindow[2]!.id, other.id], wrong: [inWindow[3]!.id, old.id] };
      for (const id of feedback.correct) await recordFeedback({ database: db() }, { predictionId: id, correct: true, now: NOW });
      for (const id of feedback.wrong) await recordFeedback({ database: db() }, { predictionId: id, correct: false, label: 'apple', now: NOW });
    });

    it('error_rate, request_volume, mean_confidence, latency_p95 and estimated_accuracy equal the performance endpoint and the hand count', async () => {
      const ctx = context(db());
      const scope = { model: 'food-detector' };
      const perf = await performance(db(), FIVE_MIN, scope);
      const hand = handCount(records, { from: NOW - FIVE_MIN, model: 'food-detector' });
      // 12 served food-detector requests in the window (v1 champion 8, v2 challenger 3, one without a variant)
      expect(hand.requests).toBe(12);
      expect(hand.errors).toBe(3);

      const read = (signal: AlertRuleBody['signal']) => value(rule({ signal, ...scope }), ctx);

      expect(await read('error_rate')).toBe(perf.error_rate);
      expect(perf.error_rate).toBe(3 / 12);

      expect(await read('request_volume')).toBe(perf.requests);
      expect(perf.requests).toBe(12);

      expect(await read('mean_confidence')).toBe(perf.mean_confidence);
      expect(perf.mean_confidence).toBeCloseTo(hand.meanConfidence, 12);

      // latency: the rollup histogram's p95, within one log bin of the exact nearest-rank p95 (2400 ms)
      const p95 = await read('latency_p95');
      expect(p95).toBe(perf.latency_p95_ms);
      expect(hand.p95).toBe(2400);
      expect(Math.abs(p95! - hand.p95)).toBeLessThanOrEqual(hand.p95 * LATENCY_QUANTILE_RELATIVE_ERROR);

      // CBPE, uncalibrated (5 labelled pairs are far below the calibration minimum): mean bin midpoint
      const estimated = await read('estimated_accuracy');
      expect(estimated).toBe(perf.estimated_accuracy.value);
      expect(estimated).toBeCloseTo(hand.estimated, 12);
    });

    it('low_confidence_share equals the confidence endpoint\'s share below the rule\'s confidence_threshold', async () => {
      const ctx = context(db());
      const hand = handCount(records, { from: NOW - FIVE_MIN, model: 'food-detector' });
      for (const threshold of [0.5, 0.6]) {
        const q = ConfidenceMonitoringQuery.parse({ from: NOW - FIVE_MIN, to: NOW, model: 'food-detector', threshold });
        const endpoint = await summariseConfidence(db(), q, NOW);
        const read = await value(rule({ signal: 'low_confidence_share', model: 'food-detector', confidence_threshold: threshold }), ctx);
        expect(read).toBe(endpoint.below_threshold.share);
        // thresholds on bin edges: the histogram count below is exact
        expect(read).toBeCloseTo(hand.below(threshold), 12);
      }
      // 0.47, 0.33, 0.39 below 0.5 of 9 confidences; 0.55 joins them below 0.6
      expect(hand.below(0.5)).toBe(3 / 9);
      expect(hand.below(0.6)).toBe(4 / 9);
      // the threshold is part of the cache key: two thresholds, two reads
      expect(ctx.cache.size).toBe(2);
    });

    it('realised_accuracy equals the endpoint\'s correct / labelled over the window\'s feedback', async () => {
      const ctx = context(db());
      // food-detector: 3 correct + 1 wrong in the window (the wrong answer on the 19-minute-old prediction is outside)
      const own = await performance(db(), FIVE_MIN, { model: 'food-detector' });
      expect(own.realised_accuracy).toEqual({ labelled: 4, correct: 3, value: 0.75 });
      expect(await value(rule({ signal: 'realised_accuracy', model: 'food-detector' }), ctx)).toBe(0.75);
      // every model: other-model's correct answer joins
      const all = await performance(db(), FIVE_MIN);
      expect(all.realised_accuracy).toEqual({ labelled: 5, correct: 4, value: 0.8 });
      expect(await value(rule({ signal: 'realised_accuracy' }), ctx)).toBe(0.8);
      // a 30m window reaches the old wrong answer too
      expect(await value(rule({ signal: 'realised_accuracy', model: 'food-detector', window: '30m' }), ctx)).toBe(3 / 5);
      expect((await performance(db(), 30 * MINUTE_MS, { model: 'food-detector' })).realised_accuracy.value).toBe(3 / 5);
      // the rules on volume, errors, confidence and latency skip the feedback read: the same figures, no accuracy
      const q = PerformanceMonitoringQuery.parse({ from: NOW - FIVE_MIN, to: NOW, model: 'food-detector' });
      const lean = (await summarisePerformance(db(), q, { now: NOW, accuracy: false })).summary;
      expect(lean).toEqual({ ...own, realised_accuracy: { labelled: 0, correct: 0, value: null }, estimated_accuracy: lean.estimated_accuracy });
      expect(lean.estimated_accuracy.value).toBeCloseTo(own.estimated_accuracy.value!, 12);
      expect([...ctx.cache.keys()].filter((k) => k.startsWith('performance:')).every((k) => k.endsWith(':true'))).toBe(true);
      await value(rule({ signal: 'error_rate', model: 'food-detector' }), ctx);
      expect([...ctx.cache.keys()].some((k) => k.startsWith('performance:') && k.endsWith(':false'))).toBe(true);
    });

    it('scopes by model, version and variant: records of another scope never count', async () => {
      const ctx = context(db());
      const cases: Array<{ scope: Partial<AlertRuleBody>; hand: HandScope; query: { model?: string; version?: string; variant?: string } }> = [
        { scope: {}, hand: { from: NOW - FIVE_MIN }, query: {} },
        { scope: { model: 'food-detector' }, hand: { from: NOW - FIVE_MIN, model: 'food-detector' }, query: { model: 'food-detector' } },
        { scope: { model: 'food-detector', version: '2' }, hand: { from: NOW - FIVE_MIN, model: 'food-detector', version: '2' }, query: { model: 'food-detector', version: '2' } },
        { scope: { model: 'other-model' }, hand: { from: NOW - FIVE_MIN, model: 'other-model' }, query: { model: 'other-model' } },
        { scope: { model: 'food-detector', variant: 'shadow' }, hand: { from: NOW - FIVE_MIN, model: 'food-detector', variants: ['shadow'] }, query: { model: 'food-detector', variant: 'shadow' } },
        { scope: { model: 'food-detector', variant: 'champion' }, hand: { from: NOW - FIVE_MIN, model: 'food-detector', variants: ['champion'] }, query: { model: 'food-detector', variant: 'champion' } },
        { scope: { variant: 'all' }, hand: { from: NOW - FIVE_MIN, variants: null }, query: { variant: 'all' } },
        { scope: { model: 'food-detector', window: '30m' }, hand: { from: NOW - 30 * MINUTE_MS, model: 'food-detector' }, query: { model: 'food-detector' } },
      ];
      const counts: number[] = [];
      for (const c of cases) {
        const windowMs = c.scope.window === '30m' ? 30 * MINUTE_MS : FIVE_MIN;
        const perf = await performance(db(), windowMs, c.query);
        const hand = handCount(records, c.hand);
        const label = JSON.stringify(c.scope);
        expect(await value(rule({ signal: 'request_volume', ...c.scope }), ctx), label).toBe(hand.requests);
        expect(perf.requests, label).toBe(hand.requests);
        expect(await value(rule({ signal: 'error_rate', ...c.scope }), ctx), label).toBe(perf.error_rate);
        expect(perf.error_rate, label).toBe(hand.errors / hand.requests);
        expect(await value(rule({ signal: 'mean_confidence', ...c.scope }), ctx), label).toBe(perf.mean_confidence);
        counts.push(hand.requests);
      }
      // all served 15 (12 + other-model's 3), food-detector 12, v2 3, other-model 3, shadow 2, champion 8, all variants 17,
      // food-detector over 30m 14
      expect(counts).toEqual([15, 12, 3, 3, 2, 8, 17, 14]);
    });

    it('min_requests: fewer requests (labelled predictions for realised_accuracy) than min_requests read as no data', async () => {
      const ctx = context(db());
      const fd = { model: 'food-detector' };
      // 12 requests: min_requests 12 still reads, 13 does not
      expect(await value(rule({ signal: 'error_rate', ...fd, min_requests: 12 }), ctx)).toBe(0.25);
      expect(await value(rule({ signal: 'error_rate', ...fd, min_requests: 13 }), ctx)).toBeNull();
      expect(await value(rule({ signal: 'latency_p95', ...fd, min_requests: 13 }), ctx)).toBeNull();
      expect(await value(rule({ signal: 'request_volume', ...fd, min_requests: 12 }), ctx)).toBe(12);
      expect(await value(rule({ signal: 'request_volume', ...fd, min_requests: 13 }), ctx)).toBeNull();
      // low_confidence_share counts predictions with a confidence (9), not requests (12) as the contract's min_requests
      // doc says and mean_confidence does: this pins what signals.ts does today (c.count >= min_requests)
      expect(await value(rule({ signal: 'low_confidence_share', ...fd, min_requests: 9 }), ctx)).toBe(3 / 9);
      expect(await value(rule({ signal: 'low_confidence_share', ...fd, min_requests: 10 }), ctx)).toBeNull();
      // realised_accuracy counts labelled predictions: 4
      expect(await value(rule({ signal: 'realised_accuracy', ...fd, min_requests: 4 }), ctx)).toBe(0.75);
      expect(await value(rule({ signal: 'realised_accuracy', ...fd, min_requests: 5 }), ctx)).toBeNull();
      // no requests at all: a ratio is no data even with min_requests 0, a volume is 0
      const nobody = { model: 'nobody' };
      expect(await value(rule({ signal: 'error_rate', ...nobody }), ctx)).toBeNull();
      expect(await value(rule({ signal: 'mean_confidence', ...nobody }), ctx)).toBeNull();
      expect(await value(rule({ signal: 'low_confidence_share', ...nobody }), ctx)).toBeNull();
      expect(await value(rule({ signal: 'realised_accuracy', ...nobody }), ctx)).toBeNull();
      expect(await value(rule({ signal: 'request_volume', ...nobody }), ctx)).toBe(0);
    });

    it('one evaluation pass reads each scope and window once (the per-pass cache)', async () => {
      const ctx = context(db());
      const fd = { model: 'food-detector' };
      // six performance signals of one scope and window: two summarisePerformance reads, one without feedback (volume,
      // errors, confidence, latency) and one with it (the accuracies)
      for (const signal of ['error_rate', 'latency_p95', 'mean_confidence', 'estimated_accuracy', 'request_volume', 'realised_accuracy'] as const) {
        await value(rule({ signal, ...fd, threshold: 1 }), ctx);
      }
      expect(ctx.cache.size).toBe(2);
      const [first] = [...ctx.cache.values()];
      // a threshold, comparator or min_requests is not part of the read
      await value(rule({ signal: 'error_rate', ...fd, comparator: '<', threshold: 0.9, min_requests: 5 }), ctx);
      expect(ctx.cache.size).toBe(2);
      expect([...ctx.cache.values()][0]).toBe(first);
      // another window, another version, another variant: a read each
      await value(rule({ signal: 'error_rate', ...fd, window: '30m' }), ctx);
      await value(rule({ signal: 'error_rate', ...fd, version: '2' }), ctx);
      await value(rule({ signal: 'error_rate', ...fd, variant: 'all' }), ctx);
      expect(ctx.cache.size).toBe(5);
      // the confidence endpoint and the drop count are reads of their own, shared the same way
      await value(rule({ signal: 'low_confidence_share', ...fd }), ctx);
      await value(rule({ signal: 'low_confidence_share', ...fd, threshold: 0.3 }), ctx);
      await value(rule({ signal: 'log_drops' }), ctx);
      await value(rule({ signal: 'log_drops', model: 'other-model' }), ctx);
      expect(ctx.cache.size).toBe(7);
      // a new pass (a new cache) reads again
      const next = context(db());
      await value(rule({ signal: 'error_rate', ...fd }), next);
      expect(next.cache.size).toBe(1);
      expect([...next.cache.values()][0]).not.toBe(first);
    });

    it('log_drops: sums every instance\'s per-minute drops in the window; a failed write is written again, never counted twice', async () => {
      const database = db();
      const logger = { warn: vi.fn() };
      const dropped = { a: 0, b: 0, old: 0 };
      // instance b's store refuses the first write (the store is down: that is when drops happen)
      let failNext = true;
      const flaky = new Proxy(database.db, {
        get(target, prop) {
          if (prop === 'insertInto' && failNext) {
            failNext = false;
            return () => {
              throw new Error('store down');
            };
          }
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
        },
      });
      const a = new DropRecorder({ db: database.db, instanceId: 'a', dropped: () => dropped.a, logger });
      const b = new DropRecorder({ db: flaky, instanceId: 'b', dropped: () => dropped.b, logger });
      const old = new DropRecorder({ db: database.db, instanceId: 'old', dropped: () => dropped.old, logger });

      // a: 3, then 2 more in the same minute (added to the minute's row), then nothing new (no write)
      dropped.a = 3;
      await a.record(NOW - 4 * MINUTE_MS + 5 * SECOND);
      dropped.a = 5;
      await a.record(NOW - 4 * MINUTE_MS + 20 * SECOND);
      await a.record(NOW - 2 * MINUTE_MS);
      // b: 4 in a minute whose write fails, then 2 more a minute later: both minutes are written on the retry
      dropped.b = 4;
      await b.record(NOW - 3 * MINUTE_MS);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0]![0]).toMatchObject({ dropped: 4 });
      dropped.b = 6;
      await b.record(NOW - MINUTE_MS + 10 * SECOND);
      await b.record(NOW - 30 * SECOND);
      // 100 drops 10 minutes ago: outside a 5m window
      dropped.old = 100;
      await old.record(NOW - 10 * MINUTE_MS);

      const rows = await database.db.selectFrom('prediction_log_drops').selectAll().orderBy('instance_id').orderBy('bucket_start').execute();
      expect(rows.map((r) => [r.instance_id, Number(r.bucket_start), Number(r.dropped)])).toEqual([
        ['a', NOW - 4 * MINUTE_MS, 5],
        ['b', NOW - 3 * MINUTE_MS, 4],
        ['b', NOW - MINUTE_MS, 2],
        ['old', NOW - 10 * MINUTE_MS, 100],
      ]);

      const ctx = context(database);
      expect(await sumDrops(database.db, NOW - FIVE_MIN, NOW)).toBe(11);
      expect(await value(rule({ signal: 'log_drops' }), ctx)).toBe(11);
      // a 15m window reaches the old minute too; a window with no drops reads 0 (a value, not no data)
      expect(await value(rule({ signal: 'log_drops', window: '15m' }), ctx)).toBe(111);
      expect(await sumDrops(database.db, NOW - 15 * MINUTE_MS, NOW)).toBe(111);
      expect(await value(rule({ signal: 'log_drops' }), { ...ctx, now: NOW + HOUR_MS, cache: new Map() })).toBe(0);
      expect(logger.warn).toHaveBeenCalledTimes(1);
    });

    it('log_drops: a write that commits but reports failure is written again with the same count, not added twice', async () => {
      const database = db();
      const logger = { warn: vi.fn() };
      let dropped = 0;
      // the first insert runs, then its answer is lost (a connection dropped after the commit): a plugin that throws
      // once the query has executed
      let loseAnswer = true;
      const lossy = database.db.withPlugin({
        transformQuery: (args) => args.node,
        transformResult: async (args) => {
          if (loseAnswer) {
            loseAnswer = false;
            throw new Error('connection lost after commit');
          }
          return args.result;
        },
      });
      const recorder = new DropRecorder({ db: lossy, instanceId: 'x', dropped: () => dropped, logger });
      dropped = 7;
      await recorder.record(NOW - 2 * MINUTE_MS);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      await recorder.record(NOW - 2 * MINUTE_MS + 30 * SECOND);
      const rows = await database.db.selectFrom('prediction_log_drops').selectAll().execute();
      expect(rows.map((r) => [r.instance_id, Number(r.bucket_start), Number(r.dropped)])).toEqual([['x', NOW - 2 * MINUTE_MS, 7]]);
    });
  });

  describe('drift signals', () => {
    const db = useTestDatabase(td);
    const DRIFT_WINDOW = 30 * MINUTE_MS;
    const refWindow = { from: NOW - 3 * HOUR_MS, to: NOW - 2 * HOUR_MS };
    const current = { from: NOW - 25 * MINUTE_MS, to: NOW - MINUTE_MS };
    // v1 and v2 are served; v3 is retired but has a reference; other-model is served without one
    const served = () => [
      { name: 'food-detector', version: '1' },
      { name: 'food-detector', version: '2' },
      { name: 'other-model', version: '1' },
    ];
    const drift = (version: string) =>
      checkDrift(db(), DriftQuery.parse({ model: 'food-detector', version, variant: 'served', from: NOW - DRIFT_WINDOW, to: NOW }), NOW);

    beforeEach(async () => {
      await writeThroughLog(db(), [
        ...driftStream(11, 700, refWindow),
        ...driftStream(12, 400, { ...refWindow, version: '3' }),
        // v1 now sees brighter images; v2 and v3 keep their distribution
        ...driftStream(13, 500, { ...current, brightnessShift: 0.25 }),
        ...driftStream(14, 300, { ...current, version: '2', variant: 'challenger' }),
        ...driftStream(15, 300, { ...current, version: '3' }),
        ...driftStream(16, 200, { ...current, model: 'other-model', brightnessShift: -0.3 }),
      ]);
      for (const version of ['1', '3']) {
        await setReference(db(), PutDriftReferenceBody.parse({ model: 'food-detector', version, source: { type: 'window', ...refWindow } }), NOW);
      }
    });

    it('dataset_drift: one reading per served version with a reference, equal to the drift endpoint', async () => {
      const ctx = context(db(), served);
      const readings = await readSignal(rule({ signal: 'dataset_drift', window: '30m' }), ctx);
      // v2 and other-model have no reference, v3 is not served: only v1
      expect(readings.map((r) => r.key)).toEqual([instanceKey('food-detector', '1')]);
      const report = await drift('1');
      expect(readings[0]).toEqual({ key: 'food-detector/1', model: 'food-detector', version: '1', value: report.dataset.share });
      // by hand: drifted features over evaluated features, brightness among them
      expect(report.dataset.share).toBe(report.dataset.drifted_features / report.dataset.evaluated);
      expect(report.features.filter((f) => f.drifted).map((f) => f.name)).toContain('brightness');
      expect(report.dataset.share).toBeGreaterThan(0);
    });

    it('feature_drift: the feature\'s test score from the drift endpoint (a shifted brightness drifts, saturation does not)', async () => {
      const ctx = context(db(), served);
      const report = await drift('1');
      for (const feature of ['brightness', 'saturation'] as const) {
        const readings = await readSignal(rule({ signal: 'feature_drift', feature, model: 'food-detector', window: '30m' }), ctx);
        const f = report.features.find((x) => x.name === feature)!;
        expect(f.status).toBe('ok');
        // fewer than 1000 reference rows: Kolmogorov-Smirnov, read as its p-value
        expect(f.test).toBe('ks');
        expect(readings).toEqual([{ key: 'food-detector/1', model: 'food-detector', version: '1', value: f.p_value }]);
        expect(f.drifted).toBe(feature === 'brightness');
        if (feature === 'brightness') expect(f.p_value!).toBeLessThan(f.threshold!);
        else expect(f.p_value!).toBeGreaterThanOrEqual(f.threshold!);
      }
      // one drift read per version and window, whatever the feature (plus the pass's one list of references)
      expect([...ctx.cache.keys()].filter((k) => k.startsWith('drift:'))).toHaveLength(1);
      expect(ctx.cache.has('drift-references')).toBe(true);
    });

    it('versions: a served version without a reference reads nothing, a named retired version with one is read', async () => {
      const ctx = context(db(), served);
      expect(await readSignal(rule({ signal: 'dataset_drift', model: 'food-detector', version: '2', window: '30m' }), ctx)).toEqual([]);
      expect(await readSignal(rule({ signal: 'dataset_drift', model: 'other-model', window: '30m' }), ctx)).toEqual([]);
      const retired = await readSignal(rule({ signal: 'dataset_drift', model: 'food-detector', version: '3', window: '30m' }), ctx);
      expect(retired).toEqual([{ key: 'food-detector/3', model: 'food-detector', version: '3', value: (await drift('3')).dataset.share }]);
      // a model-wide rule reads only the served versions of the model
      const model = await readSignal(rule({ signal: 'dataset_drift', model: 'food-detector', window: '30m' }), ctx);
      expect(model.map((r) => r.key)).toEqual(['food-detector/1']);
      // a version nobody has seen: no reference, no reading
      expect(await readSignal(rule({ signal: 'dataset_drift', model: 'food-detector', version: '9', window: '30m' }), ctx)).toEqual([]);
    });

    it('no data: fewer current rows than min_requests, or an empty window', async () => {
      const ctx = context(db(), served);
      const report = await drift('1');
      const rows = report.current.rows;
      expect(rows).toBeGreaterThan(400);
      const at = (min_requests: number) => readSignal(rule({ signal: 'dataset_drift', model: 'food-detector', version: '1', window: '30m', min_requests }), ctx);
      expect((await at(rows))[0]!.value).toBe(report.dataset.share);
      expect((await at(rows + 1))[0]!.value).toBeNull();
      // 5 minutes before the current stream started: the window is empty
      const early = await readSignal(rule({ signal: 'dataset_drift', model: 'food-detector', version: '1', window: '1m' }), {
        ...ctx,
        now: current.from - 5 * MINUTE_MS,
        cache: new Map(),
      });
      expect(early).toEqual([{ key: 'food-detector/1', model: 'food-detector', version: '1', value: null }]);
    });
  });
});
