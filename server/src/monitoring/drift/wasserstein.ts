// 1-D Wasserstein-1 distance, SciPy's `wasserstein_distance(u, v)` = ∫|F_u − F_v| dx, and Evidently's
// normalisation W1 / max(std(reference), 0.001) with numpy's std (ddof = 0).
import { finiteSorted, std } from './samples.js';
import { assertSameSpec, binEdge, summaryStd, type NumericSummary } from './summaries.js';

/** Evidently's floor on the reference std, so a constant reference does not divide by zero. */
export const MIN_NORM = 0.001;

export interface WassersteinResult {
  distance: number;
  /** distance / max(std(reference), 0.001): Evidently's `wasserstein` score. */
  normalised: number;
  referenceStd: number;
}

/** Neumaier-compensated running sum, so 2e5 small products add up like NumPy's pairwise sum or better. */
class Sum {
  private s = 0;
  private c = 0;
  add(x: number): void {
    const t = this.s + x;
    this.c += Math.abs(this.s) >= Math.abs(x) ? this.s - t + x : x - t + this.s;
    this.s = t;
  }
  get value(): number {
    return this.s + this.c;
  }
}

/** W1 between two sorted samples: one merge pass, |F_a − F_b| times the gap to the next value. */
export function wassersteinSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  const total = new Sum();
  let prev = Math.min(a[0]!, b[0]!);
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    total.add(Math.abs(i / n1 - j / n2) * (v - prev));
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    prev = v;
  }
  return total.value;
}

export function wassersteinTest(reference: ArrayLike<number>, current: ArrayLike<number>): WassersteinResult | null {
  const a = finiteSorted(reference);
  const b = finiteSorted(current);
  if (a.length === 0 || b.length === 0) return null;
  const distance = wassersteinSorted(a, b);
  const referenceStd = std(a);
  return { distance, normalised: distance / Math.max(referenceStd, MIN_NORM), referenceStd };
}

/**
 * W1 from summaries. Exact when both keep exact value counts. Otherwise each bin's mass is spread uniformly
 * over the bin (and the below/above mass over [min, lo] and [hi, max]), so both CDFs are piecewise linear
 * between edges. Moving every point to a uniform spread inside its own bin costs at most half a bin width per
 * unit mass in each sample, so |W1(summaries) − W1(raw)| ≤ bin width (plus, for out-of-range mass, that mass
 * times the out-of-range span). The std comes from the exact centred sum of squares, so the normalisation
 * itself is exact.
 */
export function wassersteinTestSummaries(reference: NumericSummary, current: NumericSummary): WassersteinResult | null {
  if (reference.count === 0 || current.count === 0) return null;
  const referenceStd = summaryStd(reference);
  let distance: number;
  if (reference.distinct && current.distinct) {
    distance = wassersteinCounts(reference.distinct, current.distinct, reference.count, current.count);
  } else {
    assertSameSpec(reference, current);
    distance = wassersteinHistograms(reference, current);
  }
  return { distance, normalised: distance / Math.max(referenceStd, MIN_NORM), referenceStd };
}

function wassersteinCounts(a: Array<[number, number]>, b: Array<[number, number]>, n1: number, n2: number): number {
  let i = 0;
  let j = 0;
  let c1 = 0;
  let c2 = 0;
  const total = new Sum();
  let prev = Math.min(a[0]![0], b[0]![0]);
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]![0] <= b[j]![0]) ? a[i]![0] : b[j]![0];
    total.add(Math.abs(c1 / n1 - c2 / n2) * (v - prev));
    if (i < a.length && a[i]![0] === v) c1 += a[i++]![1];
    if (j < b.length && b[j]![0] === v) c2 += b[j++]![1];
    prev = v;
  }
  return total.value;
}

/** ∫|F1 − F2| with both CDFs linear inside each cell: exact per cell, including a sign change inside it. */
function wassersteinHistograms(r: NumericSummary, c: NumericSummary): number {
  const { spec } = r;
  const lo = Math.min(r.min, c.min, spec.lo);
  const hi = Math.max(r.max, c.max, spec.hi);
  // Cells: [lo, spec.lo], the bins, [spec.hi, hi].
  const edges = [lo, ...Array.from({ length: spec.bins + 1 }, (_, i) => binEdge(spec, i)), hi];
  const cells1 = [r.below, ...r.counts, r.above];
  const cells2 = [c.below, ...c.counts, c.above];
  const total = new Sum();
  let f1 = 0;
  let f2 = 0;
  for (let k = 0; k < cells1.length; k++) {
    const width = edges[k + 1]! - edges[k]!;
    const g1 = f1 + cells1[k]! / r.count;
    const g2 = f2 + cells2[k]! / c.count;
    if (width > 0) total.add(width * integralAbsLinear(f1 - f2, g1 - g2));
    f1 = g1;
    f2 = g2;
  }
  return total.value;
}

/** ∫_0^1 |d0 + (d1 − d0)t| dt. */
function integralAbsLinear(d0: number, d1: number): number {
  if ((d0 >= 0 && d1 >= 0) || (d0 <= 0 && d1 <= 0)) return (Math.abs(d0) + Math.abs(d1)) / 2;
  return (d0 * d0 + d1 * d1) / (2 * (Math.abs(d0) + Math.abs(d1)));
}
