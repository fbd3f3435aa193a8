// Evidently's `get_binned_data`: the shares that its Jensen-Shannon and PSI (and our plots) compare.
// A numeric feature is binned only when the reference has more than 20 distinct values, with Sturges edges
// computed on reference and current combined; otherwise each distinct value is a category. Categories are the
// union of both windows.
import { alignCounts, toShares } from './categories.js';
import { histogramCounts, rebinSummary, sturgesEdges } from './binning.js';
import { finiteValues } from './samples.js';
import type { CategoricalSummary, NumericSummary } from './summaries.js';

/** Evidently bins a numeric column only when its reference has more distinct values than this. */
export const BIN_NUMERIC_ABOVE_DISTINCT = 20;

export interface BinnedShares {
  /** Bin edges (numeric, binned) or null when the bins are categories. */
  edges: number[] | null;
  /** One label per bin: the category, or "[lo, hi)". */
  labels: string[];
  reference: number[];
  current: number[];
  /** True when the shares were estimated from fine histograms rather than counted exactly. */
  approximate: boolean;
}

function labelsFor(edges: number[]): string[] {
  return edges.slice(0, -1).map((e, i) => `[${e}, ${edges[i + 1]}${i === edges.length - 2 ? ']' : ')'}`);
}

function valueCategories(ref: ArrayLike<number>, cur: ArrayLike<number>): BinnedShares {
  const count = (xs: ArrayLike<number>) => {
    const m = new Map<number, number>();
    for (let i = 0; i < xs.length; i++) m.set(xs[i]! === 0 ? 0 : xs[i]!, (m.get(xs[i]!) ?? 0) + 1);
    return m;
  };
  const r = count(ref);
  const c = count(cur);
  const keys = [...new Set([...r.keys(), ...c.keys()])].sort((a, b) => a - b);
  return {
    edges: null,
    labels: keys.map(String),
    reference: keys.map((k) => (r.get(k) ?? 0) / ref.length),
    current: keys.map((k) => (c.get(k) ?? 0) / cur.length),
    approximate: false,
  };
}

/** Evidently's binned shares for raw numeric samples (non-finite values dropped); null if a side is empty. */
export function binnedSharesRaw(reference: ArrayLike<number>, current: ArrayLike<number>): BinnedShares | null {
  const ref = finiteValues(reference);
  const cur = finiteValues(current);
  if (ref.length === 0 || cur.length === 0) return null;
  if (new Set(ref).size <= BIN_NUMERIC_ABOVE_DISTINCT) return valueCategories(ref, cur);
  let min = Infinity;
  let max = -Infinity;
  for (const xs of [ref, cur]) for (const x of xs) (min = Math.min(min, x)), (max = Math.max(max, x));
  const edges = sturgesEdges(min, max, ref.length + cur.length);
  return {
    edges,
    labels: labelsFor(edges),
    reference: histogramCounts(ref, edges).map((c) => c / ref.length),
    current: histogramCounts(cur, edges).map((c) => c / cur.length),
    approximate: false,
  };
}

/**
 * The same from summaries. Exact when both keep value counts (the reference then has ≤ 20 values: Evidently's
 * category path). Otherwise the Sturges edges are exact
 * (they need only the combined min, max and count) and the shares are re-binned from the fine histograms.
 */
export function binnedSharesSummaries(reference: NumericSummary, current: NumericSummary): BinnedShares | null {
  if (reference.count === 0 || current.count === 0) return null;
  if (reference.distinct && current.distinct) {
    // A reference with exact counts has ≤ 20 values, so Evidently's category path applies: exact.
    const r = new Map(reference.distinct);
    const c = new Map(current.distinct);
    const keys = [...new Set([...r.keys(), ...c.keys()])].sort((a, b) => a - b);
    return {
      edges: null,
      labels: keys.map(String),
      reference: keys.map((k) => (r.get(k) ?? 0) / reference.count),
      current: keys.map((k) => (c.get(k) ?? 0) / current.count),
      approximate: false,
    };
  }
  // (A reference with ≤ 20 values against a current window with many would be categories in Evidently; the
  // current window's values are not known individually, so it is binned like the general case.)
  const edges = sturgesEdges(Math.min(reference.min, current.min), Math.max(reference.max, current.max), reference.count + current.count);
  return {
    edges,
    labels: labelsFor(edges),
    reference: rebinSummary(reference, edges).map((c) => c / reference.count),
    current: rebinSummary(current, edges).map((c) => c / current.count),
    approximate: true,
  };
}

export function categoricalShares(reference: CategoricalSummary, current: CategoricalSummary): BinnedShares | null {
  if (reference.count === 0 || current.count === 0) return null;
  const aligned = alignCounts(reference, current);
  return {
    edges: null,
    labels: aligned.categories,
    reference: toShares(aligned.reference),
    current: toShares(aligned.current),
    approximate: false,
  };
}
