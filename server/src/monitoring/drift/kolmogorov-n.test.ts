import { describe, expect, it } from 'vitest';
import { kolmogorovSf, smirnovSf } from './kolmogorov-n.js';
import { expectClose } from '../../../test/drift-samples.js';

// [n, x, float(scipy.stats.kstwo.sf(x, n))] with SciPy 1.17.1; the points cover every region of the
// Simard-L'Ecuyer choice (Ruben-Gambino ends, Durbin matrix, SciPy's Pomeranz region, 2·smirnov, Pelz-Good).
const KSTWO_SF: Array<[number, number, number]> = [
  [1, 0.7, 0.6000000000000001],
  [5, 0.15, 0.9988],
  [5, 0.9, 1.9999999999999978e-5],
  [37, 0.1, 0.8176553142175396],
  [37, 0.2, 0.08979521784208933],
  [37, 0.35, 0.00014783518405888906],
  [100, 0.05, 0.9532159710635725],
  [140, 0.2, 2.1981563302200222e-5],
  [141, 0.03, 0.9992107601012719],
  [500, 0.02, 0.9859871786857471],
  [500, 0.07, 0.01416832020019071],
  [5000, 0.01, 0.6954557253913853],
  [20000, 0.008, 0.15371596723031855],
  [120000, 0.003, 0.22983839677697482],
  [120000, 0.005, 0.0049408969337929685],
  [50000, 0.08, 8.588787010842063e-279],
  [1000, 0.0009, 1.0],
];

describe('kolmogorovSf matches scipy.stats.kstwo.sf', () => {
  for (const [n, x, expected] of KSTWO_SF) {
    it(`n=${n}, x=${x}`, () => expectClose(kolmogorovSf(n, x), expected, 1e-9));
  }

  it('is 1 at 0, 0 at 1 and NaN for a non-integer n', () => {
    expect(kolmogorovSf(10, 0)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
    expect(kolmogorovSf(2.5, 0.3)).toBeNaN();
  });
});

describe('smirnovSf matches scipy.special.smirnov', () => {
  // float(scipy.special.smirnov(n, x))
  it.each([
    [10, 0.3, 0.1354635556],
    [100000, 0.005, 0.006715412488899804],
    [100000, 0.03, 6.350918622895262e-79],
  ])('n=%d, x=%f', (n, x, expected) => {
    expectClose(smirnovSf(n, x), expected, 1e-9);
  });
});
