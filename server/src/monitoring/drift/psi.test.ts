import { describe, expect, it } from 'vitest';
import { psi, psiQuantileBins, psiQuantileBinsSummaries, zeroFill } from './psi.js';
import { summariseNumbers } from './summaries.js';
import { A, B, C, D, expectClose, gen } from '../../../test/drift-samples.js';

// Python (numpy 2.4.6):
//   e = np.unique(np.quantile(ref, np.arange(1, 10)/10)); edges = np.concatenate([[-np.inf], e, [np.inf]])
//   rp = np.histogram(ref, edges)[0]/len(ref); cp = np.histogram(cur, edges)[0]/len(cur)
//   zero-fill each: m = min(p[p != 0]); np.place(p, p == 0, m/10**6 if m <= 0.0001 else 0.0001)
//   psi = np.sum((rp - cp)*np.log(rp/cp))
describe('psiQuantileBins (reference deciles) matches numpy', () => {
  it.each([
    ['A vs B', A, B, 1.3412850007900015, [-0.8340999999999998, -0.49299999999999994, -0.28080000000000005]],
    ['C vs D', C, D, 1.6403714567968353, [-1.1209999999999998, -0.7099999999999999, -0.40800000000000003]],
    ['ties (repeated quantiles merge)', [1, 1, 1, 1, 2, 2, 3, 4, 5, 6], [1, 2, 2, 2, 7, 7], 2.8303445030651546, [1.0, 1.6, 2.0]],
    ['12000 vs 15000', gen(12000, 7919, 10007, 6, -3), gen(15000, 104729, 20011, 6.12, -2.94), 0.008463011202865292, [-2.400419706205656, -1.8002398321175177, -1.2000599580293794]],
  ])('%s', (_name, x, y, value, firstEdges) => {
    const r = psiQuantileBins(x, y)!;
    expectClose(r.value, value, 1e-10);
    firstEdges.forEach((e, i) => expectClose(r.edges[i]!, e, 1e-14));
  });

  it('zero-fills as Evidently does', () => {
    expect(zeroFill([0.5, 0.5, 0])).toEqual([0.5, 0.5, 1e-4]);
    expect(zeroFill([0.99995, 0.00005, 0])).toEqual([0.99995, 0.00005, 0.00005 / 1e6]);
    expect(psi([0.5, 0.5], [0.5, 0.5])).toBe(0);
  });

  it('empty windows are null', () => {
    expect(psiQuantileBins([], [1])).toBeNull();
  });
});

describe('psiQuantileBinsSummaries', () => {
  it('is close to the raw PSI for a fine histogram', () => {
    const spec = { lo: -4, hi: 4, bins: 800 };
    const x = gen(12000, 7919, 10007, 6, -3);
    const y = gen(15000, 104729, 20011, 6.12, -3.1);
    const raw = psiQuantileBins(x, y)!;
    const s = psiQuantileBinsSummaries(summariseNumbers(x, spec), summariseNumbers(y, spec))!;
    expect(s.approximate).toBe(true);
    s.edges.forEach((e, i) => expect(Math.abs(e - raw.edges[i]!)).toBeLessThanOrEqual(0.01));
    expect(Math.abs(s.value - raw.value)).toBeLessThan(0.1 * raw.value);
  });
});
