// The drift features of a prediction and their mergeable summaries, as kept per rollup bucket (prediction_rollups.
// features) and per reference (drift_references.features).
//
// Numeric features are monitoring/drift NumericSummary values over FIXED specs (below), so summaries of any two buckets
// merge by adding counts; values outside a spec's [lo, hi] are counted in below/above (their positions are then only
// known through min and max). Only successful predictions (status 'ok') are summarised; a null or non-finite value
// (no food recognised → no confidence, a row logged before image statistics existed) counts as missing.
//
// The predicted food is the categorical feature; its counts are the rollups' prediction_rollup_foods rows, so they
// are not repeated here ('' = nothing recognised, reported as NO_FOOD_LABEL).
//
// Changing a spec makes stored summaries unmergeable with new ones: bump FEATURE_SUMMARY_VERSION (stored summaries of
// another version are ignored by readers and replaced by writers) and add a migration that refills them.
import { MAX_EXACT_DISTINCT, assertSameSpec, emptyNumericSummary, type HistogramSpec, type NumericSummary } from '../drift/summaries.js';

export const FEATURE_SUMMARY_VERSION = 1;

export type NumericFeatureName =
  | 'confidence'
  | 'image_width'
  | 'image_height'
  | 'aspect_ratio'
  | 'image_bytes'
  | 'brightness'
  | 'contrast'
  | 'saturation'
  | 'sharpness';

export const FOOD_FEATURE = 'food';
/** How the categorical feature shows a successful prediction that recognised no food. */
export const NO_FOOD_LABEL = '(no food)';

export interface NumericFeature {
  name: NumericFeatureName;
  spec: HistogramSpec;
  /** why this range: what the value is and where real values lie */
  description: string;
}

/**
 * The numeric drift features, in storage order. Bin widths are chosen so that a bin is small against the spread real
 * traffic shows (the summary statistics are within about one bin of the exact ones), while a day bucket's JSON stays a
 * few KB.
 */
export const NUMERIC_FEATURES: readonly NumericFeature[] = [
  { name: 'confidence', spec: { lo: 0, hi: 1, bins: 100 }, description: 'top-1 confidence, [0, 1] in 0.01 bins' },
  { name: 'image_width', spec: { lo: 0, hi: 8192, bins: 128 }, description: 'decoded width, px, [0, 8192] in 64 px bins' },
  { name: 'image_height', spec: { lo: 0, hi: 8192, bins: 128 }, description: 'decoded height, px, [0, 8192] in 64 px bins' },
  { name: 'aspect_ratio', spec: { lo: 0, hi: 4, bins: 160 }, description: 'width / height, [0, 4] in 0.025 bins' },
  { name: 'image_bytes', spec: { lo: 0, hi: 16 * 1024 * 1024, bins: 256 }, description: 'upload size, bytes, [0, 16 MiB] in 64 KiB bins' },
  { name: 'brightness', spec: { lo: 0, hi: 1, bins: 100 }, description: 'mean Rec.601 luma, [0, 1] in 0.01 bins' },
  { name: 'contrast', spec: { lo: 0, hi: 0.5, bins: 100 }, description: 'std of luma (at most 0.5), [0, 0.5] in 0.005 bins' },
  { name: 'saturation', spec: { lo: 0, hi: 1, bins: 100 }, description: 'mean HSV saturation, [0, 1] in 0.01 bins' },
  { name: 'sharpness', spec: { lo: 0, hi: 0.1, bins: 200 }, description: 'variance of the luma Laplacian, [0, 0.1] in 0.0005 bins (photos lie far below 0.1)' },
];

/** The fields of a prediction the features are read from (a PredictionRecord has them all). */
export interface FeatureFields {
  confidence: number | null;
  imageWidth?: number | null;
  imageHeight?: number | null;
  imageBytes?: number | null;
  brightness?: number | null;
  contrast?: number | null;
  saturation?: number | null;
  sharpness?: number | null;
}

/** One NumericSummary per NUMERIC_FEATURES entry, same order. */
export type FeatureSummaries = NumericSummary[];

const SCALES = NUMERIC_FEATURES.map((f) => f.spec.bins / (f.spec.hi - f.spec.lo));

export function emptyFeatureSummaries(): FeatureSummaries {
  return NUMERIC_FEATURES.map((f) => emptyNumericSummary(f.spec));
}

/** Adds one successful prediction's features (the caller checks the status). */
export function addFeatures(s: FeatureSummaries, r: FeatureFields): void {
  const w = r.imageWidth;
  const h = r.imageHeight;
  addValue(s[0]!, r.confidence, SCALES[0]!);
  addValue(s[1]!, w, SCALES[1]!);
  addValue(s[2]!, h, SCALES[2]!);
  addValue(s[3]!, w != null && h != null && w > 0 && h > 0 ? w / h : null, SCALES[3]!);
  addValue(s[4]!, r.imageBytes, SCALES[4]!);
  addValue(s[5]!, r.brightness, SCALES[5]!);
  addValue(s[6]!, r.contrast, SCALES[6]!);
  addValue(s[7]!, r.saturation, SCALES[7]!);
  addValue(s[8]!, r.sharpness, SCALES[8]!);
}

/**
 * One value into a summary in place, binned exactly as summariseNumbers bins it. Moments by Welford's update on the
 * running sum, so summarising value by value and merging summaries agree to rounding.
 */
export function addValue(s: NumericSummary, x: number | null | undefined, scale: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    s.missing++;
    return;
  }
  const n = s.count;
  const before = n ? s.sum / n : 0;
  s.count = n + 1;
  s.sum += x;
  s.m2 += (x - before) * (x - s.sum / s.count);
  if (x < s.min) s.min = x;
  if (x > s.max) s.max = x;
  const { spec } = s;
  if (x < spec.lo) s.below++;
  else if (x > spec.hi) s.above++;
  else s.counts[Math.min(spec.bins - 1, Math.floor((x - spec.lo) * scale))]!++;
  if (s.distinct !== null) addDistinct(s, x === 0 ? 0 : x, 1); // -0 and 0 are one value
}

/** Adds `from` into `into` in place, feature by feature (both over the current specs); `from` is left untouched. */
export function mergeFeaturesInto(into: FeatureSummaries, from: FeatureSummaries): FeatureSummaries {
  for (let i = 0; i < into.length; i++) {
    const a = into[i]!;
    const b = from[i]!;
    if (b.count === 0 && b.missing === 0) continue;
    if (a.count === 0 && a.missing === 0) into[i] = cloneSummary(b);
    else mergeNumericInto(a, b);
  }
  return into;
}

/**
 * monitoring/drift's mergeNumeric, in place (the write path merges a batch into every stored bucket it touches, so
 * it avoids the copies): the same arithmetic, so the results are identical.
 */
export function mergeNumericInto(a: NumericSummary, b: NumericSummary): void {
  assertSameSpec(a, b);
  const count = a.count + b.count;
  const meanA = a.count ? a.sum / a.count : 0;
  const meanB = b.count ? b.sum / b.count : 0;
  const delta = meanB - meanA;
  const m2 = count ? a.m2 + b.m2 + (delta * delta * a.count * b.count) / count : 0;
  const ac = a.counts;
  const bc = b.counts;
  for (let i = 0; i < ac.length; i++) ac[i]! += bc[i]!;
  a.below += b.below;
  a.above += b.above;
  a.count = count;
  a.missing += b.missing;
  a.sum += b.sum;
  a.m2 = m2;
  if (b.min < a.min) a.min = b.min;
  if (b.max > a.max) a.max = b.max;
  if (a.distinct !== null) {
    if (b.distinct === null) a.distinct = null;
    else for (const [v, c] of b.distinct) addDistinct(a, v, c);
  }
}

/** c more of value v into the exact value counts (which become "many" past MAX_EXACT_DISTINCT values). */
function addDistinct(s: NumericSummary, v: number, c: number): void {
  const d = s.distinct;
  if (d === null) return;
  let i = 0;
  while (i < d.length && d[i]![0] < v) i++;
  if (i < d.length && d[i]![0] === v) d[i]![1] += c;
  else if (d.length >= MAX_EXACT_DISTINCT) s.distinct = null;
  else d.splice(i, 0, [v, c]);
}

function cloneSummary(s: NumericSummary): NumericSummary {
  return { ...s, spec: { ...s.spec }, counts: s.counts.slice(), distinct: s.distinct ? s.distinct.map(([v, c]) => [v, c]) : null };
}

// ---------------------------------------------------------------------------------------------------------------
// Compact JSON. {"v":1,"f":{"<feature>": ...}} with, per feature, either
//   [missing, [[value, count], ...]]   while the exact value counts are kept (everything else follows from them), or
//   [count, missing, sum, m2, min, max, below, above, offset, [counts]]   once there are "many" values:
// counts are the bins from `offset` to the last non-empty one; min and max are null while count is 0. Features without
// any value (count and missing both 0) are left out.

type EncodedNumeric =
  | [number, Array<[number, number]>]
  | [number, number, number, number, number | null, number | null, number, number, number, number[]];

export function encodeNumericSummary(s: NumericSummary): EncodedNumeric {
  if (s.distinct !== null) return [s.missing, s.distinct];
  let first = 0;
  let last = s.counts.length - 1;
  while (first <= last && s.counts[first] === 0) first++;
  while (last >= first && s.counts[last] === 0) last--;
  const finite = s.count > 0;
  return [s.count, s.missing, s.sum, s.m2, finite ? s.min : null, finite ? s.max : null, s.below, s.above, first > last ? 0 : first, first > last ? [] : s.counts.slice(first, last + 1)];
}

export function decodeNumericSummary(e: unknown, spec: HistogramSpec): NumericSummary | null {
  if (!Array.isArray(e)) return null;
  const s = emptyNumericSummary(spec);
  if (e.length === 2) {
    const [missing, distinct] = e as [number, Array<[number, number]>];
    if (!Array.isArray(distinct) || distinct.length > MAX_EXACT_DISTINCT) return null;
    const scale = spec.bins / (spec.hi - spec.lo);
    s.missing = Number(missing);
    s.distinct = [];
    for (const pair of distinct) {
      if (!Array.isArray(pair)) return null;
      const v = Number(pair[0]);
      const c = Number(pair[1]);
      if (!Number.isFinite(v) || !(c > 0)) return null;
      s.distinct.push([v, c]);
      s.count += c;
      s.sum += v * c;
      if (v < s.min) s.min = v;
      if (v > s.max) s.max = v;
      if (v < spec.lo) s.below += c;
      else if (v > spec.hi) s.above += c;
      else s.counts[Math.min(spec.bins - 1, Math.floor((v - spec.lo) * scale))]! += c;
    }
    const mean = s.count ? s.sum / s.count : 0;
    for (const [v, c] of s.distinct) s.m2 += c * (v - mean) * (v - mean);
    return s;
  }
  if (e.length !== 10) return null;
  const [count, missing, sum, m2, min, max, below, above, offset, counts] = e as Extract<EncodedNumeric, { length: 10 }>;
  if (!Array.isArray(counts) || typeof offset !== 'number' || offset < 0 || offset + counts.length > spec.bins) return null;
  s.count = Number(count);
  s.missing = Number(missing);
  s.sum = Number(sum);
  s.m2 = Number(m2);
  s.min = min === null ? Infinity : Number(min);
  s.max = max === null ? -Infinity : Number(max);
  s.below = Number(below);
  s.above = Number(above);
  for (let i = 0; i < counts.length; i++) s.counts[offset + i] = Number(counts[i]);
  s.distinct = null;
  return s;
}

function encodeNumericMap(s: FeatureSummaries): Record<string, EncodedNumeric> {
  const f: Record<string, EncodedNumeric> = {};
  NUMERIC_FEATURES.forEach((feature, i) => {
    const x = s[i]!;
    if (x.count > 0 || x.missing > 0) f[feature.name] = encodeNumericSummary(x);
  });
  return f;
}

function decodeNumericMap(f: unknown): FeatureSummaries | null {
  if (f === null || typeof f !== 'object') return null;
  const out = emptyFeatureSummaries();
  for (let i = 0; i < NUMERIC_FEATURES.length; i++) {
    const { name, spec } = NUMERIC_FEATURES[i]!;
    const e = (f as Record<string, unknown>)[name];
    if (e === undefined) continue;
    const s = decodeNumericSummary(e, spec);
    if (s === null) return null;
    out[i] = s;
  }
  return out;
}

/** The rollup column's text: null when there is nothing to store. */
export function encodeFeatures(s: FeatureSummaries | null): string | null {
  if (s === null) return null;
  const f = encodeNumericMap(s);
  return Object.keys(f).length ? JSON.stringify({ v: FEATURE_SUMMARY_VERSION, f }) : null;
}

/** Null for null/empty text, text of another FEATURE_SUMMARY_VERSION, or anything unreadable. */
export function decodeFeatures(text: string | null | undefined): FeatureSummaries | null {
  if (!text) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || (parsed as { v?: unknown }).v !== FEATURE_SUMMARY_VERSION) return null;
  return decodeNumericMap((parsed as { f?: unknown }).f);
}

// ---------------------------------------------------------------------------------------------------------------
// A whole window: the numeric summaries plus the food counts.

export interface WindowSummaries {
  numeric: FeatureSummaries;
  /** successful predictions per food, '' = nothing recognised */
  foods: Map<string, number>;
  /** successful predictions summarised */
  rows: number;
}

export function emptyWindow(): WindowSummaries {
  return { numeric: emptyFeatureSummaries(), foods: new Map(), rows: 0 };
}

export function addPrediction(w: WindowSummaries, r: FeatureFields & { foodName: string | null }): void {
  addFeatures(w.numeric, r);
  const food = r.foodName ?? '';
  w.foods.set(food, (w.foods.get(food) ?? 0) + 1);
  w.rows++;
}

/** The drift_references.features text: {"v":1,"rows":n,"f":{...numeric...},"food":{"<food>":count}}. */
export function encodeWindow(w: WindowSummaries): string {
  return JSON.stringify({ v: FEATURE_SUMMARY_VERSION, rows: w.rows, f: encodeNumericMap(w.numeric), food: Object.fromEntries(w.foods) });
}

export function decodeWindow(text: string): WindowSummaries | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object') return null;
  const p = parsed as { v?: unknown; rows?: unknown; f?: unknown; food?: unknown };
  if (p.v !== FEATURE_SUMMARY_VERSION || typeof p.rows !== 'number' || p.food === null || typeof p.food !== 'object') return null;
  const numeric = decodeNumericMap(p.f);
  if (numeric === null) return null;
  const foods = new Map<string, number>();
  for (const [k, v] of Object.entries(p.food as Record<string, unknown>)) foods.set(k, Number(v));
  return { numeric, foods, rows: p.rows };
}
