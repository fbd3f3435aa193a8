import { describe, expect, it } from 'vitest';
import type { PredictionLogStats } from '../monitoring/prediction-log/prediction-log-writer.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import type { ModelStatus } from '../serving/deployment-router.js';
import { parseExposition, samplesOf, sumOf } from './exposition.js';
import { LabelCap } from './label-cap.js';
import { AppMetrics, CONFIDENCE_BUCKETS, HTTP_DURATION_BUCKETS, LABEL_LIMITS } from './metrics.js';

function record(overrides: Partial<PredictionRecord> = {}): PredictionRecord {
  return {
    id: 'x', createdAt: 0, userId: null, modelName: 'food-detector', modelVersion: '1', status: 'ok', errorClass: null,
    foodName: 'banana', confidence: 0.72, detections: [], latencyMs: 30, inferenceMs: 20, imageWidth: 1, imageHeight: 1,
    imageBytes: 1, imageFormat: 'jpeg', brightness: null, contrast: null, saturation: null, sharpness: null,
    variant: 'champion', shadowOf: null, ...overrides,
  };
}

async function scrape(m: AppMetrics) {
  return parseExposition(await m.metrics());
}

describe('AppMetrics', () => {
  it('counts predictions by model, version, variant and outcome, with confidence and food', async () => {
    const m = new AppMetrics({ defaultMetrics: false });
    m.countPrediction(record());
    m.countPrediction(record({ confidence: 0.35 }));
    m.countPrediction(record({ modelVersion: '2', variant: 'shadow', foodName: 'apple', confidence: 0.95 }));
    m.countPrediction(record({ foodName: null, confidence: null }));
    m.countPrediction(record({ status: 'error', errorClass: 'inference', foodName: null, confidence: null }));
    m.countPrediction(record({ modelName: null, modelVersion: null, variant: null, status: 'error', errorClass: 'bad_format', foodName: null, confidence: null }));
    const e = await scrape(m);
    expect(e.types.get('foodrec_predictions_total')).toBe('counter');
    const counts = samplesOf(e, 'foodrec_predictions_total').map((s) => ({ ...s.labels, n: s.value }));
    expect(counts).toEqual(
      expect.arrayContaining([
        { model: 'food-detector', model_version: '1', variant: 'champion', outcome: 'ok', n: 3 },
        { model: 'food-detector', model_version: '2', variant: 'shadow', outcome: 'ok', n: 1 },
        { model: 'food-detector', model_version: '1', variant: 'champion', outcome: 'inference', n: 1 },
        { model: 'none', model_version: 'none', variant: 'none', outcome: 'bad_format', n: 1 },
      ]),
    );
    expect(counts).toHaveLength(4);

    const champion = { model: 'food-detector', model_version: '1', variant: 'champion' };
    expect(e.types.get('foodrec_prediction_confidence')).toBe('histogram');
    const buckets = samplesOf(e, 'foodrec_prediction_confidence_bucket', champion);
    expect(buckets.map((b) => b.labels.le)).toEqual([...CONFIDENCE_BUCKETS.map(String), '+Inf']);
    const le = (x: string) => buckets.find((b) => b.labels.le === x)!.value;
    expect([le('0.3'), le('0.4'), le('0.7'), le('0.8'), le('+Inf')]).toEqual([0, 1, 1, 2, 2]);
    expect(sumOf(e, 'foodrec_prediction_confidence_count', champion)).toBe(2); // none-found and failed ones have no confidence
    expect(sumOf(e, 'foodrec_prediction_confidence_sum', champion)).toBeCloseTo(1.07, 10);

    expect(sumOf(e, 'foodrec_predicted_food_total', { ...champion, food: 'banana' })).toBe(2);
    expect(sumOf(e, 'foodrec_predicted_food_total', { ...champion, food: 'none' })).toBe(1);
    expect(sumOf(e, 'foodrec_predicted_food_total', { variant: 'shadow', food: 'apple' })).toBe(1);
    // successful predictions = foods counted
    expect(sumOf(e, 'foodrec_predicted_food_total')).toBe(sumOf(e, 'foodrec_predictions_total', { outcome: 'ok' }));
  });

  it('caps foods and error classes so label sets stay bounded', async () => {
    const m = new AppMetrics({ defaultMetrics: false });
    for (let i = 0; i < LABEL_LIMITS.foods + 20; i++) m.countPrediction(record({ foodName: `food${i}` }));
    m.countPrediction(record({ foodName: 'food0' })); // a value seen before the cap keeps its label
    for (let i = 0; i < LABEL_LIMITS.outcomes + 5; i++) m.countPrediction(record({ status: 'error', errorClass: `E${i}`, foodName: null, confidence: null }));
    const e = await scrape(m);
    const foods = samplesOf(e, 'foodrec_predicted_food_total');
    expect(foods).toHaveLength(LABEL_LIMITS.foods + 1);
    expect(foods.find((s) => s.labels.food === 'other')!.value).toBe(20);
    expect(foods.find((s) => s.labels.food === 'food0')!.value).toBe(2);
    const outcomes = samplesOf(e, 'foodrec_predictions_total').filter((s) => s.labels.outcome !== 'ok');
    expect(outcomes).toHaveLength(LABEL_LIMITS.outcomes + 1);
    expect(outcomes.find((s) => s.labels.outcome === 'other_error')!.value).toBe(5);
  });

  it('times HTTP requests by route template, unknown routes under one label, in seconds buckets', async () => {
    const m = new AppMetrics({ defaultMetrics: false });
    m.observeHttpRequest('GET', '/api/v1/predictions/:id', 200, 0.012);
    m.observeHttpRequest('GET', '/api/v1/predictions/:id', 200, 0.3);
    m.observeHttpRequest('GET', undefined, 404, 0.001);
    const e = await scrape(m);
    const route = { method: 'GET', route: '/api/v1/predictions/:id', status_code: '200' };
    expect(samplesOf(e, 'http_request_duration_seconds_bucket', route).map((b) => b.labels.le)).toEqual([...HTTP_DURATION_BUCKETS.map(String), '+Inf']);
    expect(sumOf(e, 'http_request_duration_seconds_bucket', { ...route, le: '0.02' })).toBe(1);
    expect(sumOf(e, 'http_request_duration_seconds_count', route)).toBe(2);
    expect(sumOf(e, 'http_request_duration_seconds_sum', route)).toBeCloseTo(0.312, 10);
    expect(sumOf(e, 'http_request_duration_seconds_count', { route: '__unknown__', status_code: '404' })).toBe(1);
  });

  it('reads the prediction log and the deployed models at scrape time', async () => {
    const m = new AppMetrics({ defaultMetrics: false });
    let stats: PredictionLogStats = { queued: 7, written: 10, dropped: 2, failedFlushes: 1, lastError: 'x', lastFlushAt: null };
    let statuses: ModelStatus[] = [
      {
        name: 'food-detector', version: '1', loaded: true, workers: 1, queue_depth: 0,
        versions: [
          { version: '1', roles: ['champion'], loaded: true, in_flight: 0 },
          { version: '2', roles: ['challenger 30%', 'shadow 10%'], loaded: true, in_flight: 0 },
          { version: '3', roles: [], loaded: true, in_flight: 1 }, // retiring: no role, no info series
        ],
      },
    ];
    m.watch({ predictionLog: () => stats, models: () => statuses });
    let e = await scrape(m);
    expect(sumOf(e, 'foodrec_prediction_log_queue_depth')).toBe(7);
    expect(e.types.get('foodrec_prediction_log_dropped_records_total')).toBe('counter');
    expect(sumOf(e, 'foodrec_prediction_log_dropped_records_total')).toBe(2);
    expect(sumOf(e, 'foodrec_prediction_log_written_records_total')).toBe(10);
    expect(samplesOf(e, 'foodrec_model_info').map((s) => [s.labels, s.value])).toEqual([
      [{ model: 'food-detector', model_version: '1', variant: 'champion' }, 1],
      [{ model: 'food-detector', model_version: '2', variant: 'challenger' }, 1],
      [{ model: 'food-detector', model_version: '2', variant: 'shadow' }, 1],
    ]);

    stats = { ...stats, queued: 0, dropped: 5, written: 17 };
    statuses = [{ ...statuses[0]!, versions: [{ version: '2', roles: ['champion'], loaded: true, in_flight: 0 }] }];
    e = await scrape(m);
    expect(sumOf(e, 'foodrec_prediction_log_queue_depth')).toBe(0);
    expect(sumOf(e, 'foodrec_prediction_log_dropped_records_total')).toBe(5);
    expect(sumOf(e, 'foodrec_prediction_log_written_records_total')).toBe(17);
    expect(samplesOf(e, 'foodrec_model_info').map((s) => s.labels)).toEqual([{ model: 'food-detector', model_version: '2', variant: 'champion' }]);
  });

  it('sets and clears drift scores', async () => {
    const m = new AppMetrics({ defaultMetrics: false });
    m.setDriftScore({ model: 'food-detector', version: '1', feature: 'brightness', test: 'ks' }, 0.12);
    m.setDriftScore({ model: 'food-detector', version: '1', feature: 'brightness', test: 'ks' }, 0.3, true);
    m.setDriftScore({ model: 'food-detector', version: '2', feature: 'confidence', test: 'wasserstein' }, 0.05);
    m.setDriftScore({ model: 'colours', version: '1', feature: 'brightness', test: 'ks' }, 0.9);
    let e = await scrape(m);
    expect(e.types.get('foodrec_drift_score')).toBe('gauge');
    expect(samplesOf(e, 'foodrec_drift_score', { model: 'food-detector', model_version: '1', feature: 'brightness', test: 'ks' })[0]!.value).toBe(0.3);
    expect(samplesOf(e, 'foodrec_drift_detected', { model: 'food-detector', model_version: '1', feature: 'brightness' })[0]!.value).toBe(1);
    expect(samplesOf(e, 'foodrec_drift_score')).toHaveLength(3);
    // the reference grew past 1,000 rows: confidence is now tested with a distance; the p-value series goes
    m.setDriftScore({ model: 'food-detector', version: '2', feature: 'confidence', test: 'ks' }, 0.5, false);
    e = await scrape(m);
    expect(samplesOf(e, 'foodrec_drift_score', { model_version: '2' }).map((s) => s.labels.test)).toEqual(['ks']);
    expect(samplesOf(e, 'foodrec_drift_detected', { model_version: '2' })[0]!.value).toBe(0);
    m.clearDriftScores('food-detector');
    e = await scrape(m);
    expect(samplesOf(e, 'foodrec_drift_score').map((s) => s.labels.model)).toEqual(['colours']);
    expect(samplesOf(e, 'foodrec_drift_detected').map((s) => s.labels.model)).toEqual([]);
    m.clearDriftScores();
    expect(samplesOf(await scrape(m), 'foodrec_drift_score')).toHaveLength(0);
  });

  it('keeps each instance in its own registry, with the process metrics', async () => {
    const a = new AppMetrics();
    const b = new AppMetrics();
    a.countPrediction(record());
    const ea = await scrape(a);
    const eb = await scrape(b);
    expect(sumOf(ea, 'foodrec_predictions_total')).toBe(1);
    expect(sumOf(eb, 'foodrec_predictions_total')).toBe(0);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(samplesOf(eb, name).length, name).toBeGreaterThan(0);
    }
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});

describe('LabelCap', () => {
  it('passes the first values through and collapses the rest', () => {
    const cap = new LabelCap(2);
    expect(['a', 'b', 'c', 'a', 'd'].map((v) => cap.value(v))).toEqual(['a', 'b', 'other', 'a', 'other']);
    expect(() => new LabelCap(0)).toThrow(RangeError);
  });
});
