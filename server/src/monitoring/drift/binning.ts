// Bin edges and binned shares the way numpy makes them (`histogram_bin_edges(..., 'sturges')`, `histogram`,
// `quantile` with the default linear method), for raw samples, and the same bins estimated from fine summaries.
import { binEdge, type NumericSummary } from './summaries.js';

/**
 * numpy's Sturges edges for values spanning [min, max] (n values): width = ptp/(log2 n + 1),
 * ⌈ptp/width⌉ equal bins from `linspace(min, max, bins + 1)`; a constant sample gets one bin [v − 0.5, v + 0.5].
 * (numpy also floors the width at 1 for integer dtypes; JavaScript numbers are always float64, so it does not.)
 */
export function sturgesEdges(min: number, max: number, n: number): number[] {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (max - min) / (Math.log2(n) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, bins + 1);
}

/** numpy.linspace(start, stop, num) with endpoint: i·step + start, the last point set to stop. */
export function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  const out = Array.from({ length: num }, (_, i) => i * step + start);
  out[num - 1] = stop;
  return out;
}

/** Index of the bin holding x: edges[i] ≤ x < edges[i+1], the last bin closed; −1 when outside. */
export function binIndex(edges: ArrayLike<number>, x: number): number {
  const last = edges.length - 1;
  if (!(x >= edges[0]!) || !(x <= edges[last]!)) return -1;
  if (x === edges[last]) return last - 1;
  let lo = 0;
  let hi = last; // invariant: edges[lo] ≤ x < edges[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** numpy.histogram(values, edges)[0]. */
export function histogramCounts(values: ArrayLike<number>, edges: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const k = binIndex(edges, values[i]!);
    if (k >= 0) counts[k]!++;
  }
  return counts;
}

/** numpy.quantile(sorted, q) with the default 'linear' method, including numpy's two-sided lerp. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const below = Math.floor(pos);
  const t = pos - below;
  const a = sorted[below]!;
  const b = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/**
 * Counts of a summary re-binned onto other edges (which must cover [min, max]). Exact value counts are placed
 * exactly; otherwise each histogram cell's count is split in proportion to its overlap with each target bin
 * (mass assumed uniform inside a cell; the below/above cells span [min, lo] and [hi, max]). Only the cells that
 * straddle a target edge can be misassigned, so the error per target bin is at most two fine cells' counts.
 */
export function rebinSummary(s: NumericSummary, edges: number[]): number[] {
  const out = new Array<number>(edges.length - 1).fill(0);
  if (s.distinct) {
    for (const [v, c] of s.distinct) {
      const k = binIndex(edges, v);
      if (k >= 0) out[k]! += c;
    }
    return out;
  }
  const { spec } = s;
  const cells: Array<[number, number, number]> = [[Math.min(s.min, spec.lo), spec.lo, s.below]];
  for (let i = 0; i < spec.bins; i++) cells.push([binEdge(spec, i), binEdge(spec, i + 1), s.counts[i]!]);
  cells.push([spec.hi, Math.max(s.max, spec.hi), s.above]);
  for (const [rawLo, rawHi, count] of cells) {
    if (count === 0) continue;
    // Clip each cell to the observed range: no value lies outside [min, max].
    const lo = Math.max(rawLo, s.min);
    const hi = Math.min(rawHi, s.max);
    if (!(hi > lo)) {
      const k = binIndex(edges, Math.min(Math.max(lo, edges[0]!), edges[edges.length - 1]!));
      if (k >= 0) out[k]! += count;
      continue;
    }
    let k = Math.max(0, binIndex(edges, Math.max(lo, edges[0]!)));
    for (; k < out.length && edges[k]! < hi; k++) {
      const overlap = Math.min(hi, edges[k + 1]!) - Math.max(lo, edges[k]!);
      if (overlap > 0) out[k]! += (count * overlap) / (hi - lo);
    }
  }
  return out;
}

/** The q-quantile estimated from a summary: exact from value counts, else linear inside the fine bin. */
export function summaryQuantile(s: NumericSummary, q: number): number {
  const target = (s.count - 1) * q; // numpy's 0-based rank
  if (s.distinct) {
    const valueAt = (rank: number): number => {
      let seen = 0;
      for (const [v, c] of s.distinct!) {
        seen += c;
        if (rank < seen) return v;
      }
      return s.max;
    };
    const below = Math.floor(target);
    const t = target - below;
    const a = valueAt(below);
    const b = valueAt(Math.min(below + 1, s.count - 1));
    return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
  }
  const { spec } = s;
  const rank = target + 0.5; // the mass below a point of rank r is about r + ½
  let seen = s.below;
  if (rank <= seen) return s.min + (spec.lo - s.min) * (seen ? rank / seen : 0);
  for (let i = 0; i < spec.bins; i++) {
    const c = s.counts[i]!;
    if (c > 0 && rank <= seen + c) {
      const lo = Math.max(binEdge(spec, i), s.min);
      const hi = Math.min(binEdge(spec, i + 1), s.max);
      return lo + (hi - lo) * ((rank - seen) / c);
    }
    seen += c;
  }
  return s.above ? spec.hi + (s.max - spec.hi) * ((rank - seen) / s.above) : s.max;
}
