import { describe, expect, it } from 'vitest';
import { servingMetrics } from './serving-runs.js';

describe('servingMetrics', () => {
  const base = { modelName: 'food-detector', modelVersion: '1' };

  it('logs all four metrics of a busy window at its step and time', () => {
    expect(
      servingMetrics({ ...base, requests: 8, failed: 2, meanConfidence: 0.75, p95LatencyMs: 120.5 }, 3, 1_700_000_040_000),
    ).toEqual([
      { key: 'requests', value: 8, step: 3, timestamp: 1_700_000_040_000 },
      { key: 'error_rate', value: 0.25, step: 3, timestamp: 1_700_000_040_000 },
      { key: 'mean_confidence', value: 0.75, step: 3, timestamp: 1_700_000_040_000 },
      { key: 'p95_latency_ms', value: 120.5, step: 3, timestamp: 1_700_000_040_000 },
    ]);
  });

  it('logs only requests = 0 for an idle window, never NaN', () => {
    expect(servingMetrics({ ...base, requests: 0, failed: 0, meanConfidence: null, p95LatencyMs: null }, 0, 60_000)).toEqual([
      { key: 'requests', value: 0, step: 0, timestamp: 60_000 },
    ]);
  });

  it('leaves out confidence and latency when every request failed', () => {
    const keys = servingMetrics({ ...base, requests: 2, failed: 2, meanConfidence: null, p95LatencyMs: null }, 1, 1).map((m) => [m.key, m.value]);
    expect(keys).toEqual([
      ['requests', 2],
      ['error_rate', 1],
    ]);
  });
});
