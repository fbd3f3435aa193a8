import { describe, expect, it } from 'vitest';
import { MAX_EXACT_DISTINCT, summariseNumbers, type NumericSummary } from '../drift/summaries.js';
import { RollupBatch } from '../rollups/rollup-batch.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../rollups/time-buckets.js';
import { driftStream } from './drift-test-data.js';
import {
  addFeatures,
  addPrediction,
  addValue,
  decodeFeatures,
  decodeWindow,
  emptyFeatureSummaries,
  emptyWindow,
  encodeFeatures,
  encodeWindow,
  FEATURE_SUMMARY_VERSION,
  mergeFeaturesInto,
  NUMERIC_FEATURES,
  type FeatureFields,
  type FeatureSummaries,
} from './feature-summaries.js';

const ok = driftStream(7, 3000, { from: 0, to: DAY_MS }).filter((r) => r.status === 'ok');

/** Each feature's values as summariseNumbers sees them. */
function values(records: readonly FeatureFields[]): number[][] {
  const get: Array<(r: FeatureFields) => number | null | undefined> = [
    (r) => r.confidence,
    (r) => r.imageWidth,
    (r) => r.imageHeight,
    (r) => (r.imageWidth && r.imageHeight ? r.imageWidth / r.imageHeight : null),
    (r) => r.imageBytes,
    (r) => r.brightness,
    (r) => r.contrast,
    (r) => r.saturation,
    (r) => r.sharpness,
  ];
  return get.map((g) => records.map((r) => g(r) ?? NaN));
}

function accumulate(records: readonly FeatureFields[]): FeatureSummaries {
  const s = emptyFeatureSummaries();
  for (const r of records) addFeatures(s, r);
  return s;
}

/** Exact equality of everything but the floating sums, which agree to rounding. */
function expectSameSummary(a: NumericSummary, b: NumericSummary, what: string): void {
  expect([a.count, a.missing, a.below, a.above, a.min, a.max], what).toEqual([b.count, b.missing, b.below, b.above, b.min, b.max]);
  expect(a.counts, what).toEqual(b.counts);
  expect(a.distinct, what).toEqual(b.distinct);
  expect(a.sum).toBeCloseTo(b.sum, 6);
  expect(Math.abs(a.m2 - b.m2)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b.m2)));
}

describe('drift feature summaries', () => {
  it('value by value equals summariseNumbers over the same values, feature by feature', () => {
    const s = accumulate(ok);
    const v = values(ok);
    NUMERIC_FEATURES.forEach((f, i) => expectSameSummary(s[i]!, summariseNumbers(v[i]!, f.spec), f.name));
    expect(s[0]!.missing).toBeGreaterThan(0); // no food → no confidence
    expect(s[1]!.distinct).toHaveLength(6); // six exact widths
    expect(s[3]!.distinct).not.toBeNull(); // aspect ratios: 6 widths × 4 ratios, few distinct after rounding
    expect(s[5]!.distinct).toBeNull(); // brightness: many values
  });

  it('counts out-of-range, non-finite and missing values apart; -0 is 0', () => {
    const s = emptyFeatureSummaries();
    const spec = NUMERIC_FEATURES[5]!.spec; // brightness [0, 1]
    for (const x of [-0.5, 0, -0, 1, 1.5, NaN, Infinity, null, undefined]) addValue(s[5]!, x, spec.bins / (spec.hi - spec.lo));
    expect([s[5]!.below, s[5]!.above, s[5]!.count, s[5]!.missing]).toEqual([1, 1, 5, 4]);
    expect(s[5]!.counts[0]).toBe(2);
    expect(s[5]!.counts[99]).toBe(1); // hi lands in the last, closed bin
    expect(s[5]!.distinct).toEqual([[-0.5, 1], [0, 2], [1, 1], [1.5, 1]]);
    // aspect ratio needs both sides, positive
    addFeatures(s, { confidence: null, imageWidth: 100, imageHeight: 0 });
    addFeatures(s, { confidence: null, imageWidth: 300, imageHeight: 200 });
    expect([s[3]!.count, s[3]!.missing, s[3]!.sum]).toEqual([1, 1, 1.5]);
  });

  it('switches to "many" past 20 distinct values, also through a merge', () => {
    const spec = NUMERIC_FEATURES[0]!.spec;
    const a = emptyFeatureSummaries();
    for (let i = 0; i < MAX_EXACT_DISTINCT; i++) addValue(a[0]!, i / 100, spec.bins);
    expect(a[0]!.distinct).toHaveLength(MAX_EXACT_DISTINCT);
    const b = emptyFeatureSummaries();
    addValue(b[0]!, 0.5, spec.bins);
    expect(mergeFeaturesInto(a, b)[0]!.distinct).toBeNull();
  });

  it('merging summaries of parts equals the summary of the whole', () => {
    const parts = [ok.slice(0, 1), ok.slice(1, 900), ok.slice(900, 901), ok.slice(901)];
    const merged = parts.map(accumulate).reduce((x, y) => mergeFeaturesInto(x, y), emptyFeatureSummaries());
    const whole = accumulate(ok);
    NUMERIC_FEATURES.forEach((f, i) => expectSameSummary(merged[i]!, whole[i]!, f.name));
    // merging leaves the part it reads untouched
    const part = accumulate(ok.slice(0, 10));
    const before = JSON.stringify(encodeFeatures(part));
    mergeFeaturesInto(accumulate(ok.slice(10, 20)), part);
    expect(JSON.stringify(encodeFeatures(part))).toBe(before);
  });

  it('encodes compactly and decodes to the same summaries', () => {
    const s = accumulate(ok);
    const text = encodeFeatures(s)!;
    expect(JSON.parse(text).v).toBe(FEATURE_SUMMARY_VERSION);
    expect(text.length).toBeLessThan(8000);
    const back = decodeFeatures(text)!;
    NUMERIC_FEATURES.forEach((f, i) => expectSameSummary(back[i]!, s[i]!, f.name));
    // few values: just the value counts
    const one = accumulate(ok.slice(0, 1));
    expect(encodeFeatures(one)!.length).toBeLessThan(400);
    const few = accumulate(ok.slice(0, 15));
    const fewBack = decodeFeatures(encodeFeatures(few))!;
    NUMERIC_FEATURES.forEach((f, i) => expectSameSummary(fewBack[i]!, few[i]!, f.name));
    // nothing to store
    expect(encodeFeatures(emptyFeatureSummaries())).toBeNull();
    // a missing-only feature survives (min/max null in JSON), empty features are left out
    const missing = emptyFeatureSummaries();
    addFeatures(missing, { confidence: null });
    const m = decodeFeatures(encodeFeatures(missing))!;
    expect([m[0]!.count, m[0]!.missing, m[0]!.min, m[0]!.max]).toEqual([0, 1, Infinity, -Infinity]);
  });

  it('ignores text it cannot read or of another version', () => {
    for (const t of [null, '', 'nope', '{"v":999,"f":{}}', '{"v":1,"f":{"confidence":[1]}}', '{"v":1,"f":{"confidence":[1,0,0.5,0,0.5,0.5,0,0,99,[1,1]]}}', '{"v":1,"f":{"confidence":[0,[[0.5,0]]]}}']) {
      expect(decodeFeatures(t), String(t)).toBeNull();
    }
    expect(decodeWindow('{"v":1}')).toBeNull();
  });

  it('a window adds the food counts and round-trips', () => {
    const w = emptyWindow();
    for (const r of ok) addPrediction(w, r);
    expect(w.rows).toBe(ok.length);
    expect(w.foods.get('')).toBe(ok.filter((r) => r.foodName === null).length);
    const back = decodeWindow(encodeWindow(w))!;
    expect(back.rows).toBe(w.rows);
    expect([...back.foods.entries()].sort()).toEqual([...w.foods.entries()].sort());
    NUMERIC_FEATURES.forEach((f, i) => expectSameSummary(back.numeric[i]!, w.numeric[i]!, f.name));
  });
});

describe('RollupBatch feature summaries', () => {
  it('keeps successful predictions only, per key, summed from minutes into hours and days', () => {
    const start = 10 * DAY_MS;
    const records = [
      ...driftStream(11, 1500, { from: start, to: start + 3 * HOUR_MS }),
      ...driftStream(12, 300, { from: start, to: start + 3 * HOUR_MS, variant: 'shadow', version: '2' }),
    ];
    const batch = new RollupBatch();
    for (const r of records) batch.add(r);
    const champion = records.filter((r) => r.status === 'ok' && r.variant === 'champion');
    const errors = records.filter((r) => r.status === 'error' && r.variant === 'champion');
    expect(errors.length).toBeGreaterThan(0);
    const day = batch.buckets.find((b) => b.grain === 'd' && b.variant === 'champion')!;
    const whole = accumulate(champion);
    NUMERIC_FEATURES.forEach((f, i) => expectSameSummary(day.features![i]!, whole[i]!, f.name));
    const hour = batch.buckets.find((b) => b.grain === 'h' && b.bucketStart === start + HOUR_MS && b.variant === 'champion')!;
    const inHour = champion.filter((r) => r.createdAt >= start + HOUR_MS && r.createdAt < start + 2 * HOUR_MS);
    expect(hour.features![5]!.count).toBe(inHour.length);
    const minute = batch.buckets.find((b) => b.grain === 'm' && b.bucketStart === start + MINUTE_MS * 30 && b.variant === 'champion')!;
    expect(minute.features![5]!.count).toBe(champion.filter((r) => r.createdAt >= start + 30 * MINUTE_MS && r.createdAt < start + 31 * MINUTE_MS).length);
    const shadowDay = batch.buckets.find((b) => b.grain === 'd' && b.variant === 'shadow')!;
    expect(shadowDay.features![5]!.count).toBe(records.filter((r) => r.status === 'ok' && r.variant === 'shadow').length);
  });

  it('a bucket of failures only has no feature summaries', () => {
    const batch = new RollupBatch();
    batch.add({ createdAt: 0, modelName: 'm', modelVersion: '1', status: 'error', foodName: null, confidence: null, latencyMs: 1, userId: null });
    expect(batch.buckets.every((b) => b.features === null)).toBe(true);
  });
});
