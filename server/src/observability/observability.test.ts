import { describe, expect, it } from 'vitest';
import type { DriftReport } from '@foodlens/contracts';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import { parseExposition, sumOf } from './exposition.js';
import { Observability } from './observability.js';
import { countingSink } from './prediction-metrics.js';

function record(overrides: Partial<PredictionRecord> = {}): PredictionRecord {
  return {
    id: 'x', createdAt: 0, userId: null, modelName: 'food-detector', modelVersion: '1', status: 'ok', errorClass: null,
    foodName: 'banana', confidence: 0.5, detections: [], latencyMs: 40, inferenceMs: 20, imageWidth: 1, imageHeight: 1,
    imageBytes: 1, imageFormat: 'jpeg', brightness: null, contrast: null, saturation: null, sharpness: null,
    variant: 'champion', shadowOf: null, ...overrides,
  };
}

describe('countingSink', () => {
  it('hands every record on, answers what the log answered, and never throws for the counter', () => {
    const logged: PredictionRecord[] = [];
    let full = false;
    const sink = countingSink(
      { enqueue: (r) => (full ? false : (logged.push(r), true)) },
      () => {
        throw new Error('counter bug');
      },
    );
    expect(sink.enqueue(record())).toBe(true);
    full = true;
    expect(sink.enqueue(record())).toBe(false);
    expect(logged).toHaveLength(1);
  });
});

describe('Observability.countPredictions', () => {
  it('counts every record for Prometheus and served ones (not shadow runs) for the health window', async () => {
    const obs = new Observability({ defaultMetrics: false });
    const logged: PredictionRecord[] = [];
    const sink = obs.countPredictions({ enqueue: (r) => logged.push(r) > 0 });
    sink.enqueue(record({ latencyMs: 10 }));
    sink.enqueue(record({ status: 'error', errorClass: 'corrupt', foodName: null, confidence: null, latencyMs: 30 }));
    sink.enqueue(record({ variant: 'shadow', modelVersion: '2', latencyMs: 5000 }));
    expect(logged).toHaveLength(3);
    const e = parseExposition(await obs.metrics.metrics());
    expect(sumOf(e, 'foodrec_predictions_total')).toBe(3);
    expect(sumOf(e, 'foodrec_predictions_total', { variant: 'shadow' })).toBe(1);
    const w = obs.predictions.summary(60);
    expect(w).toMatchObject({ count: 2, errors: 1, error_rate: 0.5 });
    expect(w.latency_ms.max).toBe(30);

    const feature = (name: string, test: string | null, p: number | null, d: number | null, drifted: boolean, status: 'ok' | 'not_enough_data' = 'ok') =>
      ({ name, status, test, p_value: p, distance: d, drifted }) as unknown as DriftReport['features'][number];
    obs.recordDrift({
      model: 'food-detector',
      version: '1',
      features: [feature('brightness', 'wasserstein', null, 0.25, true), feature('food', 'chisquare', 0.4, null, false), feature('sharpness', null, null, null, false, 'not_enough_data')],
      dataset: { share: 0.5, drifted: true },
    } as unknown as DriftReport);
    const drift = parseExposition(await obs.metrics.metrics());
    expect(sumOf(drift, 'foodrec_drift_score', { feature: 'brightness', test: 'wasserstein' })).toBe(0.25);
    expect(sumOf(drift, 'foodrec_drift_score', { feature: 'food', test: 'chisquare' })).toBe(0.4);
    expect(sumOf(drift, 'foodrec_drift_score', { feature: 'sharpness' })).toBe(0);
    expect(sumOf(drift, 'foodrec_drift_detected', { feature: 'dataset' })).toBe(1);
    expect(sumOf(drift, 'foodrec_drift_detected', { feature: 'food' })).toBe(0);
  });
});
