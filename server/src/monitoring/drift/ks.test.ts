import { describe, expect, it } from 'vitest';
import { ksStatisticSorted, ksTest, ksTestSummaries } from './ks.js';
import { probOutsideBand, probOutsideSquare } from './ks-exact.js';
import { summariseNumbers } from './summaries.js';
import { A, B, C, D, expectClose, gen } from '../../../test/drift-samples.js';

// Expected values: SciPy 1.17.1, `r = scipy.stats.ks_2samp(x, y)` (method='auto'), printed as
// `float(r.statistic), float(r.pvalue)`, with x and y the samples below (test-samples.ts holds A-D and gen(),
// which is the same arithmetic in Python: [((i*a) % mod)/mod*scale + shift for i in range(n)]).
const cases: Array<{ name: string; x: number[]; y: number[]; d: number; p: number; method: 'exact' | 'asymptotic' }> = [
  { name: 'normal samples 30 vs 25', x: A, y: B, d: 0.38666666666666666, p: 0.024885437976899162, method: 'exact' },
  { name: 'equal sizes 40 vs 40', x: C, y: D, d: 0.2, p: 0.404587405685253, method: 'exact' },
  { name: 'ties', x: [1, 2, 2, 3, 3, 3, 4, 5], y: [2, 3, 3, 4, 4, 5, 5, 6, 7], d: 0.4166666666666667, p: 0.35170711641299884, method: 'exact' },
  { name: 'n = 1', x: [0.5], y: [0.1, 0.2, 0.9], d: 0.6666666666666666, p: 1.0, method: 'exact' },
  { name: 'one shared value', x: [1, 1, 1], y: [1, 1], d: 0, p: 1, method: 'exact' },
  { name: 'disjoint constants', x: [0, 0, 0, 0], y: [1, 1, 1], d: 1, p: 0.05714285714285715, method: 'exact' },
  // gen(3000, 7919, 10007) vs gen(2000, 104729, 20011, 1.05, -0.02)
  { name: 'exact 3000 vs 2000', x: gen(3000, 7919, 10007), y: gen(2000, 104729, 20011, 1.05, -0.02), d: 0.029833333333333333, p: 0.2326125906782111, method: 'exact' },
  // gen(10000, 7919, 10007) vs gen(9999, 104729, 20011, 1.01, 0.0): the largest exact case, lcm ≈ 1e8
  { name: 'exact 10000 vs 9999', x: gen(10000, 7919, 10007), y: gen(9999, 104729, 20011, 1.01, 0), d: 0.009901420142014202, p: 0.7052906315156193, method: 'exact' },
  // gen(12000, 7919, 10007) vs gen(15000, 104729, 20011, 1.02, 0.01)
  { name: 'asymptotic 12000 vs 15000', x: gen(12000, 7919, 10007), y: gen(15000, 104729, 20011, 1.02, 0.01), d: 0.029616666666666625, p: 1.629958933297282e-5, method: 'asymptotic' },
  // gen(50, 7919, 10007, 1, 0.2) vs gen(20000, 104729, 20011): kstwo with n = round(en) = 50
  { name: 'asymptotic 50 vs 20000', x: gen(50, 7919, 10007, 1, 0.2), y: gen(20000, 104729, 20011), d: 0.24035000000000006, p: 0.005009346593199848, method: 'asymptotic' },
  // gen(100000, 7919, 100003) vs gen(100000, 104729, 200003, 1.003, 0.0)
  { name: 'asymptotic 1e5 vs 1e5', x: gen(100_000, 7919, 100_003), y: gen(100_000, 104_729, 200_003, 1.003, 0), d: 0.003010000000000068, p: 0.754289882726395, method: 'asymptotic' },
];

describe('ksTest matches scipy.stats.ks_2samp', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = ksTest(c.x, c.y)!;
      expectClose(r.statistic, c.d, 1e-12);
      expectClose(r.pValue, c.p, 1e-9);
      expect(r.method).toBe(c.method);
      // Symmetric in its arguments.
      expectClose(ksTest(c.y, c.x)!.pValue, c.p, 1e-9);
    });
  }

  it('drops NaN and answers null for an empty side', () => {
    expect(ksTest([], [1, 2])).toBeNull();
    expect(ksTest([NaN], [1, 2])).toBeNull();
    expectClose(ksTest([...A, NaN], B)!.pValue, 0.024885437976899162, 1e-9);
  });

  it('is O(n log n): 1e5 vs 1e5 in well under a second', () => {
    const x = gen(100_000, 7919, 100_003);
    const y = gen(100_000, 104_729, 200_003, 1.003, 0);
    const t0 = performance.now();
    ksTest(x, y);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('exact two-sample probabilities', () => {
  // scipy.stats._stats_py._compute_prob_outside_square(n, h) and
  // scipy.stats._stats_pythran._compute_outer_prob_inside_method(m, n, g, h)
  it('square and band recursions agree with each other where both apply by symmetry', () => {
    // The band method with m = n must give the square formula's value.
    for (const [n, h] of [[10, 3], [40, 8], [200, 17]] as const) {
      expectClose(probOutsideBand(n, n, n, h), probOutsideSquare(n, h), 1e-12);
    }
  });

  it('keeps tiny p-values accurate (no 1 − p cancellation)', () => {
    const range = (n: number, shift: number) => Array.from({ length: n }, (_, i) => i + shift);
    // scipy.stats.ks_2samp(list(range(100)), [v + 60 for v in range(120)]) -> band method
    expectClose(ksTest(range(100, 0), range(120, 60))!.pValue, 1.604343430808191e-23, 1e-9);
    // scipy.stats.ks_2samp(list(range(300)), [v + 200 for v in range(300)]) -> square method
    expectClose(ksTest(range(300, 0), range(300, 200))!.pValue, 1.645219670502406e-63, 1e-9);
  });
});

describe('KS on summaries', () => {
  const spec = { lo: -4, hi: 4, bins: 800 };

  it('equals the raw result when both sides have few distinct values', () => {
    const x = [1, 2, 2, 3, 3, 3, 4, 5];
    const y = [2, 3, 3, 4, 4, 5, 5, 6, 7];
    const s = ksTestSummaries(summariseNumbers(x, { lo: 0, hi: 10, bins: 10 }), summariseNumbers(y, { lo: 0, hi: 10, bins: 10 }))!;
    expect(s.exact).toBe(true);
    expectClose(s.statistic, 0.4166666666666667, 1e-12);
    expectClose(s.pValue, 0.35170711641299884, 1e-9);
  });

  it('brackets the raw statistic within one bin share', () => {
    const x = gen(12000, 7919, 10007, 6, -3);
    const y = gen(15000, 104729, 20011, 6.12, -2.94);
    const raw = ksTest(x, y)!;
    const s = ksTestSummaries(summariseNumbers(x, spec), summariseNumbers(y, spec))!;
    expect(s.exact).toBe(false);
    expect(s.statistic).toBeLessThanOrEqual(raw.statistic + 1e-12);
    expect(s.statisticUpperBound).toBeGreaterThanOrEqual(raw.statistic - 1e-12);
    // One bin of width 0.01 over a range of 6 holds ≈ 1/600 of each sample.
    expect(s.statisticUpperBound - s.statistic).toBeLessThan(2 * (1 / 600) * 1.1);
    expect(Math.abs(s.pValue - raw.pValue)).toBeLessThan(0.05 * raw.pValue + 1e-6);
  });

  it('handles values outside the histogram range through the below/above cells', () => {
    // Range ±5 and ±5.5 against a ±4 histogram: a fifth of each sample lies outside.
    const x = gen(3000, 7919, 10007, 10, -5);
    const y = gen(2000, 104729, 20011, 11, -5.5);
    const s = ksTestSummaries(summariseNumbers(x, spec), summariseNumbers(y, spec))!;
    const raw = ksTest(x, y)!;
    expect(s.exact).toBe(false);
    expect(s.statistic).toBeLessThanOrEqual(raw.statistic + 1e-12);
    expect(s.statisticUpperBound).toBeGreaterThanOrEqual(raw.statistic - 1e-12);
  });

  it('is null for an empty window', () => {
    expect(ksTestSummaries(summariseNumbers([], spec), summariseNumbers([1], spec))).toBeNull();
  });

  it('merge pass statistic evaluates after ties', () => {
    expect(ksStatisticSorted(Float64Array.from([1, 1]), Float64Array.from([1, 1, 1]))).toBe(0);
  });
});
