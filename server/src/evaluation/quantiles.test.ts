import { describe, expect, it } from 'vitest';
import { quantile, quantiles } from './quantiles.js';

describe('quantile', () => {
  // Expected values: numpy.percentile(xs, [0, 50, 95, 99, 100]) (numpy 2.4, default method "linear").
  it.each([
    { xs: [1], expected: [1, 1, 1, 1, 1] },
    { xs: [1, 2], expected: [1, 1.5, 1.95, 1.99, 2] },
    { xs: [3, 1, 2], expected: [1, 2, 2.9, 2.98, 3] },
    { xs: [10, 20, 30, 40], expected: [10, 25, 38.5, 39.7, 40] },
    { xs: [5.5, 1.25, 9, 100, 3, 3, 7.75, 42, 0.5, 11], expected: [0.5, 6.625, 73.9, 94.78, 100] },
  ])('matches numpy.percentile for $xs', ({ xs, expected }) => {
    const qs = [0, 0.5, 0.95, 0.99, 1];
    const batch = quantiles(xs, qs);
    qs.forEach((q, i) => {
      expect(quantile(xs, q)).toBeCloseTo(expected[i]!, 9);
      expect(batch[i]).toBeCloseTo(expected[i]!, 9);
    });
  });

  it('sorts numerically, not as strings, and leaves the input alone', () => {
    const xs = [100, 9, 20];
    expect(quantile(xs, 0.5)).toBe(20);
    expect(xs).toEqual([100, 9, 20]);
  });

  it('is NaN for no values and refuses a quantile outside [0, 1]', () => {
    expect(quantile([], 0.5)).toBeNaN();
    expect(quantiles([], [0.5, 0.95])).toEqual([NaN, NaN]);
    expect(() => quantile([1], 95)).toThrow(RangeError);
    expect(() => quantile([1], Number.NaN)).toThrow(RangeError);
  });
});
