import { describe, expect, it } from 'vitest';
import { wassersteinTest, wassersteinTestSummaries } from './wasserstein.js';
import { summariseNumbers } from './summaries.js';
import { A, B, C, D, expectClose, gen } from '../../../test/drift-samples.js';

// w = scipy.stats.wasserstein_distance(x, y); float(w), float(w / max(numpy.std(x), 0.001))  (SciPy 1.17.1)
describe('wassersteinTest matches scipy.stats.wasserstein_distance and Evidently\'s normalisation', () => {
  it.each([
    ['A vs B', A, B, 0.5619600000000001, 0.6791058994119994],
    ['C vs D', C, D, 0.31000000000000005, 0.2669872561984561],
    ['ties', [1, 2, 2, 3], [2, 2, 5], 1.0, 1.414213562373095],
    ['constant reference (std floored at 0.001)', [3, 3, 3], [3, 4], 0.5, 500.0],
    // gen(12000, 7919, 10007, 6, -3) vs gen(15000, 104729, 20011, 6.12, -2.94)
    ['12000 vs 15000', gen(12000, 7919, 10007, 6, -3), gen(15000, 104729, 20011, 6.12, -2.94), 0.11994851209402542, 0.06925148736506999],
  ])('%s', (_name, x, y, distance, normalised) => {
    const r = wassersteinTest(x, y)!;
    expectClose(r.distance, distance, 1e-10);
    expectClose(r.normalised, normalised, 1e-10);
  });

  it('single values and empty windows', () => {
    expect(wassersteinTest([1], [4])!.distance).toBe(3);
    expect(wassersteinTest([], [4])).toBeNull();
  });
});

describe('wassersteinTestSummaries', () => {
  it('is exact from value counts', () => {
    const spec = { lo: 0, hi: 10, bins: 10 };
    const r = wassersteinTestSummaries(summariseNumbers([1, 2, 2, 3], spec), summariseNumbers([2, 2, 5], spec))!;
    expectClose(r.distance, 1.0, 1e-12);
    expectClose(r.normalised, 1.414213562373095, 1e-12);
  });

  it('is within one bin width of the raw distance (and the normalisation is exact)', () => {
    const spec = { lo: -4, hi: 4, bins: 800 }; // width 0.01
    const x = gen(12000, 7919, 10007, 6, -3);
    const y = gen(15000, 104729, 20011, 6.12, -2.94);
    const r = wassersteinTestSummaries(summariseNumbers(x, spec), summariseNumbers(y, spec))!;
    expect(Math.abs(r.distance - 0.11994851209402542)).toBeLessThanOrEqual(0.01);
    expectClose(r.referenceStd, 0.11994851209402542 / 0.06925148736506999, 1e-9);
  });

  it('accounts for mass outside the histogram range', () => {
    const spec = { lo: 0, hi: 1, bins: 100 };
    const x = [...gen(500, 7919, 10007), 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25];
    const y = gen(400, 104729, 20011);
    const raw = wassersteinTest(x, y)!.distance;
    const s = wassersteinTestSummaries(summariseNumbers(x, spec), summariseNumbers(y, spec))!.distance;
    // Bound: one bin width + out-of-range share × out-of-range span = 0.01 + (21/521)·(25 − 1).
    expect(Math.abs(s - raw)).toBeLessThanOrEqual(0.01 + (21 / 521) * 24);
    expect(Math.abs(s - raw) / raw).toBeLessThan(0.2);
  });
});
