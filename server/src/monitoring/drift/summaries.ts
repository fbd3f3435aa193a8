// Mergeable per-feature summaries. The server never keeps raw rows for drift: a window (or a reference) is a
// fixed-edge histogram plus moments, or category counts. Adding two summaries with the same spec gives exactly the
// summary of the union, so minute/hour rollups can be summed into any window.

/** Fixed, known edges: `bins` equal-width bins over [lo, hi]; the last bin is closed at hi. */
export interface HistogramSpec {
  lo: number;
  hi: number;
  bins: number;
}

/** Exact value counts are kept while a feature has at most this many distinct values (then it is "many"). */
export const MAX_EXACT_DISTINCT = 20;

export interface NumericSummary {
  kind: 'numeric';
  spec: HistogramSpec;
  /** counts[i] = values in bin i of spec (values inside [lo, hi]). */
  counts: number[];
  /** Values below lo / above hi (their exact positions are known only through min and max). */
  below: number;
  above: number;
  /** Finite values summarised. */
  count: number;
  /** Non-finite values (NaN, ±Infinity, null) seen and left out, as the statistics ignore NaN. */
  missing: number;
  sum: number;
  /** Centred sum of squares Σ(x − mean)². Kept instead of Σx², whose cancellation ruins std when mean ≫ std. */
  m2: number;
  min: number;
  max: number;
  /** [value, count] sorted by value while distinct values ≤ MAX_EXACT_DISTINCT; null once there are more. */
  distinct: Array<[number, number]> | null;
}

export interface CategoricalSummary {
  kind: 'categorical';
  counts: Record<string, number>;
  count: number;
  missing: number;
}

export type FeatureSummary = NumericSummary | CategoricalSummary;

export function binWidth(spec: HistogramSpec): number {
  return (spec.hi - spec.lo) / spec.bins;
}

export function binEdge(spec: HistogramSpec, i: number): number {
  return i === spec.bins ? spec.hi : spec.lo + i * binWidth(spec);
}

function checkSpec(spec: HistogramSpec): void {
  if (!(Number.isFinite(spec.lo) && Number.isFinite(spec.hi) && spec.hi > spec.lo)) {
    throw new RangeError(`histogram range must be finite with hi > lo (got [${spec.lo}, ${spec.hi}])`);
  }
  if (!Number.isInteger(spec.bins) || spec.bins < 1) throw new RangeError(`bins must be a positive integer`);
}

export function emptyNumericSummary(spec: HistogramSpec): NumericSummary {
  checkSpec(spec);
  return {
    kind: 'numeric',
    spec: { ...spec },
    counts: new Array<number>(spec.bins).fill(0),
    below: 0,
    above: 0,
    count: 0,
    missing: 0,
    sum: 0,
    m2: 0,
    min: Infinity,
    max: -Infinity,
    distinct: [],
  };
}

/** Summarise raw values in one pass (Welford for the moments). */
export function summariseNumbers(values: ArrayLike<number | null | undefined>, spec: HistogramSpec): NumericSummary {
  const s = emptyNumericSummary(spec);
  const scale = spec.bins / (spec.hi - spec.lo);
  let distinct: Map<number, number> | null = new Map();
  let mean = 0;
  for (let k = 0; k < values.length; k++) {
    const x = values[k];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      s.missing++;
      continue;
    }
    s.count++;
    s.sum += x;
    const delta = x - mean;
    mean += delta / s.count;
    s.m2 += delta * (x - mean);
    if (x < s.min) s.min = x;
    if (x > s.max) s.max = x;
    if (x < spec.lo) s.below++;
    else if (x > spec.hi) s.above++;
    else s.counts[Math.min(spec.bins - 1, Math.floor((x - spec.lo) * scale))]!++;
    if (distinct) {
      const key = x === 0 ? 0 : x; // -0 and 0 are one value
      distinct.set(key, (distinct.get(key) ?? 0) + 1);
      if (distinct.size > MAX_EXACT_DISTINCT) distinct = null;
    }
  }
  s.distinct = distinct ? [...distinct.entries()].sort((a, b) => a[0] - b[0]) : null;
  return s;
}

function sameSpec(a: HistogramSpec, b: HistogramSpec): boolean {
  return a.lo === b.lo && a.hi === b.hi && a.bins === b.bins;
}

function mergeDistinct(a: NumericSummary['distinct'], b: NumericSummary['distinct']): NumericSummary['distinct'] {
  if (!a || !b) return null;
  const m = new Map(a);
  for (const [v, c] of b) m.set(v, (m.get(v) ?? 0) + c);
  return m.size > MAX_EXACT_DISTINCT ? null : [...m.entries()].sort((x, y) => x[0] - y[0]);
}

export function assertSameSpec(a: NumericSummary, b: NumericSummary): void {
  if (!sameSpec(a.spec, b.spec)) throw new RangeError('numeric summaries must share one histogram spec');
}

/** The summary of the union of the two windows. Both must share one spec (rollups are built with a fixed spec). */
export function mergeNumeric(a: NumericSummary, b: NumericSummary): NumericSummary {
  assertSameSpec(a, b);
  const count = a.count + b.count;
  const meanA = a.count ? a.sum / a.count : 0;
  const meanB = b.count ? b.sum / b.count : 0;
  const delta = meanB - meanA;
  return {
    kind: 'numeric',
    spec: { ...a.spec },
    counts: a.counts.map((c, i) => c + b.counts[i]!),
    below: a.below + b.below,
    above: a.above + b.above,
    count,
    missing: a.missing + b.missing,
    sum: a.sum + b.sum,
    // Chan et al.'s pairwise update: exact in real arithmetic, stable in floating point.
    m2: count ? a.m2 + b.m2 + (delta * delta * a.count * b.count) / count : 0,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    distinct: mergeDistinct(a.distinct, b.distinct),
  };
}

// Null-prototype maps, so a category named "__proto__" is counted like any other.
function countMap(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

export function summariseCategories(values: ArrayLike<string | null | undefined>): CategoricalSummary {
  const counts = countMap();
  let count = 0;
  let missing = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v === null || v === undefined) {
      missing++;
      continue;
    }
    counts[v] = (counts[v] ?? 0) + 1;
    count++;
  }
  return { kind: 'categorical', counts, count, missing };
}

export function mergeCategorical(a: CategoricalSummary, b: CategoricalSummary): CategoricalSummary {
  const counts = countMap();
  for (const [k, c] of Object.entries(a.counts)) counts[k] = c;
  for (const [k, c] of Object.entries(b.counts)) counts[k] = (counts[k] ?? 0) + c;
  return { kind: 'categorical', counts, count: a.count + b.count, missing: a.missing + b.missing };
}

export function summaryMean(s: NumericSummary): number {
  return s.count ? s.sum / s.count : NaN;
}

/** Population standard deviation (numpy's default ddof=0). */
export function summaryStd(s: NumericSummary): number {
  return s.count ? Math.sqrt(Math.max(0, s.m2) / s.count) : NaN;
}

/** Distinct finite values across both summaries, or Infinity when either has "many". */
export function combinedDistinct(a: NumericSummary, b: NumericSummary): number {
  const d = mergeDistinct(a.distinct, b.distinct);
  return d ? d.length : Infinity;
}
