import { describe, expect, it } from 'vitest';
import { CONFIDENCE_BINS, confidenceBin } from '../rollups/histogram-bins.js';
import { emptyLabelled, pushLabelled } from './labelled-columns.js';
import { addCountsInto, calibrationFor, calibrationPairs, emptyAccumulator, figures } from './performance-series.js';
import { seededRandom } from '../../util/seeded-random.js';

describe('addCountsInto', () => {
  it('adds stored JSON counts bin by bin, falling back to JSON.parse for anything unusual', () => {
    const into = [1, 1, 1];
    addCountsInto(into, '[0,12,305]');
    expect(into).toEqual([1, 13, 306]);
    addCountsInto(into, '[]');
    expect(into).toEqual([1, 13, 306]);
    addCountsInto(into, '[1, 2.5, 1e1]');
    expect(into).toEqual([2, 15.5, 316]);
    addCountsInto(into, '[7]');
    expect(into).toEqual([9, 15.5, 316]);
  });
});

describe('figures', () => {
  it('an empty bucket has zero counts and null figures, never NaN', () => {
    const f = figures(emptyAccumulator(), null);
    expect(f).toEqual({
      requests: 0,
      errors: 0,
      error_rate: null,
      confidence_count: 0,
      mean_confidence: null,
      latency_p50_ms: null,
      latency_p95_ms: null,
      realised_accuracy: { labelled: 0, correct: 0, value: null },
      estimated_accuracy: { value: null, standard_error: null, lower: null, upper: null },
    });
  });

  it('the estimate is the histogram read at bin midpoints, with a ±3 SE band', () => {
    const a = emptyAccumulator();
    a.confidenceHist[confidenceBin(0.81)] = 300; // bin [0.80, 0.82): midpoint 0.81
    a.confidenceHist[confidenceBin(0.41)] = 100; // midpoint 0.41
    a.confidenceCount = 400;
    const e = figures(a, null).estimated_accuracy;
    const p = (300 * 0.81 + 100 * 0.41) / 400;
    const se = Math.sqrt((p * (1 - p)) / 400);
    expect(e.value).toBeCloseTo(p, 12);
    expect(e.standard_error).toBeCloseTo(se, 12);
    expect(e.lower).toBeCloseTo(p - 3 * se, 12);
    expect(e.upper).toBeCloseTo(p + 3 * se, 12);
    expect(a.confidenceHist).toHaveLength(CONFIDENCE_BINS);
  });
});

describe('calibrationPairs', () => {
  it('keeps the pairs with a confidence, sorted, in an order independent of the input order', () => {
    const l = emptyLabelled(2);
    const rows: Array<[number, number | null, boolean]> = [
      [5, 0.9, true],
      [1, 0.2, false],
      [4, null, true],
      [3, 0.5, true],
      [2, 0.7, false],
    ];
    for (const r of rows) pushLabelled(l, ...r);
    expect(calibrationPairs([l])).toEqual([
      { confidence: 0.2, correct: false },
      { confidence: 0.5, correct: true },
      { confidence: 0.7, correct: false },
      { confidence: 0.9, correct: true },
    ]);
  });

  it('beyond the maximum, a fixed sample of about that many, whatever the row order or split into parts', () => {
    const random = seededRandom(3);
    const rows = Array.from({ length: 20_000 }, (_, i) => [1.8e12 + i * 1000, random(), random() < 0.5] as const);
    const forward = emptyLabelled();
    for (const r of rows) pushLabelled(forward, ...r);
    const back1 = emptyLabelled();
    const back2 = emptyLabelled();
    rows.forEach((r, i) => pushLabelled(i % 2 ? back1 : back2, ...r));
    const sample = calibrationPairs([forward], { max: 2000 });
    expect(Math.abs(sample.length - 2000)).toBeLessThan(150);
    expect(calibrationPairs([back2, back1], { max: 2000 })).toEqual(sample);
  });

  it('remembers a decision for the same pairs', () => {
    const random = seededRandom(7);
    const pairs = Array.from({ length: 300 }, () => {
      const c = random();
      return { confidence: c, correct: random() < c * c };
    }).sort((a, b) => a.confidence - b.confidence);
    const first = calibrationFor(pairs);
    expect(calibrationFor(pairs.map((p) => ({ ...p })))).toBe(first);
    expect(calibrationFor(pairs.slice(1))).not.toBe(first);
  });
});
