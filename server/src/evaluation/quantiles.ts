// Latency quantiles with numpy's default method (`numpy.percentile(..., method="linear")`, Hyndman & Fan type 7),
// so the p50/p95 an evaluation logs match what a notebook computes from the same latencies.

/** The q-quantile (0 <= q <= 1) of the values; NaN for none. Does not modify `values`. */
export function quantile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within [0, 1], got ${q}`);
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return quantileOfSorted(sorted, q);
}

/** Several quantiles with one sort. */
export function quantiles(values: readonly number[], qs: readonly number[]): number[] {
  for (const q of qs) if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within [0, 1], got ${q}`);
  if (values.length === 0) return qs.map(() => NaN);
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => quantileOfSorted(sorted, q));
}

function quantileOfSorted(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}
