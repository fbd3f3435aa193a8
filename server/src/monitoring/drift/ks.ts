// Two-sample Kolmogorov-Smirnov, on raw samples (SciPy `ks_2samp`, method='auto', two-sided) and on summaries.
import { exactKsPValue, roundHalfEven } from './ks-exact.js';
import { kolmogorovSf } from './kolmogorov-n.js';
import { assertSameSpec, type NumericSummary } from './summaries.js';
import { finiteSorted } from './samples.js';

/** SciPy's MAX_AUTO_N: 'auto' is exact while both samples have at most this many values. */
export const KS_MAX_EXACT_N = 10_000;

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
  n1: number;
  n2: number;
}

/** p-value for a statistic d from samples of n1 and n2 values, choosing the method as SciPy's 'auto' does. */
export function ksPValue(d: number, n1: number, n2: number): KsResult {
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const exact = exactKsPValue(n1, n2, d);
    if (exact) return { statistic: exact.d, pValue: exact.p, method: 'exact', n1, n2 };
  }
  const en = (n1 * n2) / (n1 + n2);
  return { statistic: d, pValue: kolmogorovSf(roundHalfEven(en), d), method: 'asymptotic', n1, n2 };
}

/**
 * D = sup |F1 − F2| by one merge pass over the sorted samples, both ECDFs evaluated after all ties at a value
 * (SciPy's searchsorted side='right'). Like SciPy, D is the larger of max(F1 − F2) and max(F2 − F1).
 */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxDiff = 0;
  let minDiff = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  return Math.max(maxDiff, Math.min(1, -minDiff));
}

/** `ks_2samp(reference, current)` on raw values (non-finite values dropped); null when either side is empty. */
export function ksTest(reference: ArrayLike<number>, current: ArrayLike<number>): KsResult | null {
  const a = finiteSorted(reference);
  const b = finiteSorted(current);
  if (a.length === 0 || b.length === 0) return null;
  return ksPValue(ksStatisticSorted(a, b), a.length, b.length);
}

export interface KsSummaryResult extends KsResult {
  /** True when computed from exact value counts (identical to the raw result). */
  exact: boolean;
  /** The raw-sample D lies in [statistic, statisticUpperBound]; equal when exact. */
  statisticUpperBound: number;
}

/**
 * KS on two summaries. With exact value counts on both sides (≤ 20 distinct values) the ECDFs are known and the
 * result equals the raw one. Otherwise the ECDFs are known exactly only at the histogram edges (and at min/max):
 * D_edges = max over edges |F1 − F2| is a lower bound of the raw D, and inside one bin each ECDF moves by at most
 * that bin's share, so D ≤ max over bins of max(F1(right) − F2(left), F2(right) − F1(left)). The gap is at most
 * the largest single-bin share of either sample: with a fine spec (e.g. 1,000 bins) that is small unless mass
 * piles into one bin. The p-value is computed from the lower bound (the conservative choice for drift alerts).
 */
export function ksTestSummaries(reference: NumericSummary, current: NumericSummary): KsSummaryResult | null {
  const n1 = reference.count;
  const n2 = current.count;
  if (n1 === 0 || n2 === 0) return null;
  if (reference.distinct && current.distinct) {
    const result = ksPValue(ksFromValueCounts(reference.distinct, current.distinct, n1, n2), n1, n2);
    return { ...result, exact: true, statisticUpperBound: result.statistic };
  }
  assertSameSpec(reference, current);
  // Cells: below-range, each bin, above-range. The ECDF at each cell's right end is exact.
  const cells1 = [reference.below, ...reference.counts, reference.above];
  const cells2 = [current.below, ...current.counts, current.above];
  let c1 = 0;
  let c2 = 0;
  let lower = 0;
  let upper = 0;
  for (let k = 0; k < cells1.length; k++) {
    const f1Left = c1 / n1;
    const f2Left = c2 / n2;
    c1 += cells1[k]!;
    c2 += cells2[k]!;
    const f1 = c1 / n1;
    const f2 = c2 / n2;
    lower = Math.max(lower, Math.abs(f1 - f2));
    upper = Math.max(upper, f1 - f2Left, f2 - f1Left);
  }
  const result = ksPValue(lower, n1, n2);
  return { ...result, exact: false, statisticUpperBound: Math.max(upper, result.statistic) };
}

function ksFromValueCounts(a: Array<[number, number]>, b: Array<[number, number]>, n1: number, n2: number): number {
  let i = 0;
  let j = 0;
  let c1 = 0;
  let c2 = 0;
  let maxDiff = 0;
  let minDiff = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]![0] <= b[j]![0]) ? a[i]![0] : b[j]![0];
    if (i < a.length && a[i]![0] === v) c1 += a[i++]![1];
    if (j < b.length && b[j]![0] === v) c2 += b[j++]![1];
    const diff = c1 / n1 - c2 / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  return Math.max(maxDiff, Math.min(1, -minDiff));
}
