// Population Stability Index, Σ (r − c)·ln(r/c), with Evidently's zero-filling. Two binnings: Evidently's
// (Sturges on both windows, see evidently-bins.ts) and the credit-scoring one FoodLens defaults to, bins at the
// reference deciles with the outer bins open to ±∞ so nothing in the current window falls outside.
import { binIndex, quantileSorted, summaryQuantile, rebinSummary } from './binning.js';
import { finiteSorted } from './samples.js';
import type { NumericSummary } from './summaries.js';

export const PSI_EPSILON = 1e-4;

/**
 * Evidently's zero-filling, per vector: zeros become 1e-4, or min(non-zero)/1e6 when the smallest non-zero
 * share is already ≤ 1e-4 (so the filler stays far below every real share).
 */
export function zeroFill(shares: number[]): number[] {
  let minNonZero = Infinity;
  for (const s of shares) if (s > 0 && s < minNonZero) minNonZero = s;
  const fill = minNonZero <= PSI_EPSILON ? minNonZero / 1e6 : PSI_EPSILON;
  return shares.map((s) => (s === 0 ? fill : s));
}

/** PSI of two share vectors over the same bins (zero-filled first). */
export function psi(reference: number[], current: number[]): number {
  const r = zeroFill(reference);
  const c = zeroFill(current);
  let total = 0;
  for (let i = 0; i < r.length; i++) total += (r[i]! - c[i]!) * Math.log(r[i]! / c[i]!);
  return total;
}

export interface PsiResult {
  value: number;
  /** Inner edges (the distinct reference quantiles); the outer bins are open. */
  edges: number[];
  reference: number[];
  current: number[];
  approximate: boolean;
}

function decileLevels(bins: number): number[] {
  return Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
}

function sharesOver(sorted: Float64Array, inner: number[]): number[] {
  const edges = [-Infinity, ...inner, Infinity];
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const x of sorted) counts[binIndex(edges, x)]!++;
  return counts.map((c) => c / sorted.length);
}

/**
 * PSI over reference-quantile bins: inner edges `np.unique(np.quantile(ref, [1/b, …, (b−1)/b]))`, bins
 * [e_i, e_{i+1}) as `np.histogram` counts them with −∞ and +∞ as the outer edges. Null if a side is empty.
 */
export function psiQuantileBins(reference: ArrayLike<number>, current: ArrayLike<number>, bins = 10): PsiResult | null {
  const ref = finiteSorted(reference);
  const cur = finiteSorted(current);
  if (ref.length === 0 || cur.length === 0) return null;
  const inner = [...new Set(decileLevels(bins).map((q) => quantileSorted(ref, q)))].sort((a, b) => a - b);
  const r = sharesOver(ref, inner);
  const c = sharesOver(cur, inner);
  return { value: psi(r, c), edges: inner, reference: r, current: c, approximate: false };
}

/**
 * The same from summaries: quantiles estimated inside the fine bins (exact from value counts), shares re-binned
 * with the uniform-within-bin assumption. Each inner edge is off by at most one fine bin width, so each share is
 * off by at most the mass of the fine bins around its two edges.
 */
export function psiQuantileBinsSummaries(reference: NumericSummary, current: NumericSummary, bins = 10): PsiResult | null {
  if (reference.count === 0 || current.count === 0) return null;
  const inner = [...new Set(decileLevels(bins).map((q) => summaryQuantile(reference, q)))].sort((a, b) => a - b);
  const edges = [Math.min(reference.min, current.min, inner[0]!), ...inner, Math.max(reference.max, current.max, inner[inner.length - 1]!)];
  // Closed outer edges at the observed extremes stand in for ±∞ (nothing lies beyond them).
  const r = rebinSummary(reference, edges).map((x) => x / reference.count);
  const c = rebinSummary(current, edges).map((x) => x / current.count);
  const exact = reference.distinct !== null && current.distinct !== null;
  return { value: psi(r, c), edges: inner, reference: r, current: c, approximate: !exact };
}
