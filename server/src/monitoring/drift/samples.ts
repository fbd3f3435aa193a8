// Raw-sample helpers. Every statistic drops non-finite values first, as the summaries do (NaN is "missing").

export function finiteValues(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out[k++] = v;
  }
  return k === out.length ? out : out.slice(0, k);
}

/** Finite values, sorted ascending (typed-array sort is numeric and O(n log n)). */
export function finiteSorted(values: ArrayLike<number>): Float64Array {
  return finiteValues(values).sort();
}

/** Arithmetic mean. */
export function mean(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

/** Population standard deviation, numpy's `np.std` default (ddof = 0), two-pass. */
export function std(values: Float64Array): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i]! - m) ** 2;
  return Math.sqrt(s / values.length);
}

/** Count of distinct values (NaN excluded). */
export function distinctCount(...samples: ArrayLike<number>[]): number {
  const set = new Set<number>();
  for (const s of samples) for (let i = 0; i < s.length; i++) if (Number.isFinite(s[i]!)) set.add(s[i]! === 0 ? 0 : s[i]!);
  return set.size;
}
