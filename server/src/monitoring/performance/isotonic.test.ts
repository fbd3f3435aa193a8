import { describe, expect, it } from 'vitest';
import { fitIsotonic, predictIsotonic } from './isotonic.js';

describe('isotonic regression (pool adjacent violators)', () => {
  it('pools violating neighbours into their weighted mean', () => {
    // Hand-checked: (3, 2) pool to 2.5, (4, 3) pool to 3.5.
    expect(fitIsotonic([1, 2, 3, 4, 5, 6], [1, 3, 2, 4, 3, 5]).y).toEqual([1, 2.5, 2.5, 3.5, 3.5, 5]);
    // A violation that cascades back over two blocks: 5, 1, 0 -> all 2.
    expect(fitIsotonic([1, 2, 3], [5, 1, 0]).y).toEqual([2, 2, 2]);
    // Weights: (4 with weight 3, 0 with weight 1) -> 3.
    expect(fitIsotonic([1, 2], [4, 0], [3, 1]).y).toEqual([3, 3]);
  });

  it('pools equal x values and sorts unsorted input', () => {
    const m = fitIsotonic([0.9, 0.1, 0.9, 0.5], [1, 0, 0, 1]);
    expect(m.x).toEqual([0.1, 0.5, 0.9]);
    // 0.9 pools to 0.5 with weight 2, then pools with 0.5's 1: (1 + 0.5·2)/3.
    expect(m.y).toEqual([0, 2 / 3, 2 / 3]);
  });

  it('interpolates linearly between fitted points and clips outside', () => {
    const m = fitIsotonic([0, 1], [0.2, 0.8]);
    expect(predictIsotonic(m, 0.5)).toBeCloseTo(0.5, 15);
    expect(predictIsotonic(m, -1)).toBe(0.2);
    expect(predictIsotonic(m, 2)).toBe(0.8);
  });

  it('is non-decreasing on any input', () => {
    const x = Array.from({ length: 500 }, (_, i) => Math.sin(i * 12.9898) * 0.5 + 0.5);
    const y = x.map((v, i) => (Math.sin(i * 78.233) > 1 - 2 * v ? 1 : 0));
    const m = fitIsotonic(x, y);
    for (let i = 1; i < m.y.length; i++) expect(m.y[i]!).toBeGreaterThanOrEqual(m.y[i - 1]!);
  });
});
