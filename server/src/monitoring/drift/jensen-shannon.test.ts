import { describe, expect, it } from 'vitest';
import { jensenShannonDistance } from './jensen-shannon.js';
import { binnedSharesRaw, binnedSharesSummaries } from './evidently-bins.js';
import { psi } from './psi.js';
import { sturgesEdges } from './binning.js';
import { summariseNumbers } from './summaries.js';
import { A, B, C, D, expectClose, gen } from '../../../test/drift-samples.js';

// Evidently's get_binned_data in Python (numpy 2.4.6, SciPy 1.17.1):
//   if len(np.unique(ref)) > 20:
//       bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins='sturges')
//       rp = np.histogram(ref, bins)[0]/len(ref); cp = np.histogram(cur, bins)[0]/len(cur)
//   else: keys = set(ref) | set(cur); rp, cp = shares of each key
// js = scipy.spatial.distance.jensenshannon(rp, cp); psi (zero-filled as Evidently) = np.sum((rp-cp)*np.log(rp/cp))
const BIG_X = gen(12000, 7919, 10007, 6, -3);
const BIG_Y = gen(15000, 104729, 20011, 6.12, -2.94);
const cases: Array<[string, number[], number[], number, number, number[] | null, number | null]> = [
  // name, ref, cur, js, psi (Evidently bins), [first three edges..., last edge], edge count
  ['A vs B', A, B, 0.2855973968801001, 1.0637546524556751, [-2.711, -1.9437142857142855, -1.1764285714285712, 2.66], 8],
  ['C vs D', C, D, 0.24328559432294497, 0.7214051005059308, [-2.83, -2.0612500000000002, -1.2925, 3.32], 9],
  ['few values (categories)', [1, 2, 2, 3, 3, 3], [2, 3, 3, 4], 0.3839167354288363, 3.2148908965183822, null, null],
  ['12000 vs 15000', BIG_X, BIG_Y, 0.04965270462346994, 0.01999076798802287, [-3.0, -2.6137691144870323, -2.2275382289740646, 3.1796941682074853], 17],
];

describe("Jensen-Shannon and PSI on Evidently's bins match SciPy/numpy", () => {
  for (const [name, x, y, js, psiValue, edges, edgeCount] of cases) {
    it(name, () => {
      const b = binnedSharesRaw(x, y)!;
      if (edges) {
        expect(b.edges!.length).toBe(edgeCount);
        [0, 1, 2].forEach((i) => expectClose(b.edges![i]!, edges[i]!, 1e-14));
        expectClose(b.edges![b.edges!.length - 1]!, edges[3]!, 1e-14);
      } else {
        expect(b.edges).toBeNull();
      }
      expectClose(jensenShannonDistance(b.reference, b.current), js, 1e-10);
      expectClose(psi(b.reference, b.current), psiValue, 1e-10);
    });
  }

  it('identical distributions are 0; disjoint ones reach √ln 2', () => {
    expect(jensenShannonDistance([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expectClose(jensenShannonDistance([1, 0], [0, 1]), Math.sqrt(Math.LN2), 1e-15);
  });

  it('Sturges edges of a constant sample are [v − 0.5, v + 0.5]', () => {
    expect(sturgesEdges(3, 3, 10)).toEqual([2.5, 3.5]);
  });
});

describe('Jensen-Shannon from summaries', () => {
  it('uses the exact Sturges edges and re-binned shares close to the raw ones', () => {
    const spec = { lo: -4, hi: 4, bins: 800 };
    const b = binnedSharesSummaries(summariseNumbers(BIG_X, spec), summariseNumbers(BIG_Y, spec))!;
    expect(b.approximate).toBe(true);
    expect(b.edges!.length).toBe(17);
    expectClose(b.edges![1]!, -2.6137691144870323, 1e-14);
    // Each share is off by at most two fine bins' mass (≈ 2/600 here); the distance moves far less.
    const raw = binnedSharesRaw(BIG_X, BIG_Y)!;
    b.reference.forEach((s, i) => expect(Math.abs(s - raw.reference[i]!)).toBeLessThan(2 / 600));
    expect(Math.abs(jensenShannonDistance(b.reference, b.current) - 0.04965270462346994)).toBeLessThan(0.005);
  });

  it('is exact from value counts', () => {
    const spec = { lo: 0, hi: 10, bins: 10 };
    const b = binnedSharesSummaries(summariseNumbers([1, 2, 2, 3, 3, 3], spec), summariseNumbers([2, 3, 3, 4], spec))!;
    expect(b.approximate).toBe(false);
    expectClose(jensenShannonDistance(b.reference, b.current), 0.3839167354288363, 1e-12);
  });
});
