// GET /api/v1/mlops/monitoring/performance: per series step and over the whole range, volume, errors, mean
// confidence and latency p50/p95 (rollups), realised accuracy (feedback joined to the raw log) and the label-free
// CBPE accuracy estimate (rollup confidence histograms through a calibration fitted on feedback).
import {
  type PerformanceFigures,
  type PerformanceMonitoring,
  type PerformanceMonitoringQuery,
} from '@foodlens/contracts';
import type { Database } from '../../db/connection.js';
import type { NumericSummary } from '../drift/summaries.js';
import { addInto, CONFIDENCE_BINS, histogramQuantile, LATENCY_BINS, LATENCY_QUANTILE_RELATIVE_ERROR, latencyBinEdges } from '../rollups/histogram-bins.js';
import { resolveScope } from '../rollups/monitoring-range.js';
import { parseCounts } from '../rollups/rollup-write.repository.js';
import { DAY_MS, DEFAULT_MINUTE_RETENTION_MS, floorTo, HOUR_MS } from '../rollups/time-buckets.js';
import { fitCalibration, MIN_CALIBRATION_PAIRS, type CalibrationDecision, type LabelledConfidence } from './calibration.js';
import { estimateAccuracyFromHistogram } from './cbpe.js';
import type { IsotonicModel } from './isotonic.js';
import { forEachLabelled, type LabelledPredictions } from './labelled-columns.js';
import { selectLabelledPredictions } from './labelled-predictions.repository.js';
import { capGrain, chooseResolution, grainFor, seriesBuckets } from './performance-resolution.js';
import { selectPerformanceRollups } from './performance-rollups.repository.js';

/** The calibration is fitted on feedback over at least this long a period ending with the range (the raw log's
 * default retention: no feedback older than that can be joined anyway). */
export const CALIBRATION_REFERENCE_MS = 30 * DAY_MS;
/** At most about this many labelled predictions (a fixed sample beyond that) are used to fit it: fitCalibration's
 * 10 folds of isotonic regression take ~30 ms on 5,000 pairs but grow faster than linearly (~0.5 s on 20,000), and
 * more pairs would hardly move an estimate read at 50 bin midpoints. */
export const MAX_CALIBRATION_PAIRS = 5_000;

/** What one bucket (or the whole range) accumulates. */
export interface Accumulator {
  requests: number;
  errors: number;
  confidenceCount: number;
  confidenceSum: number;
  confidenceHist: number[];
  latencyHist: number[];
  labelled: number;
  correct: number;
}

export function emptyAccumulator(): Accumulator {
  return {
    requests: 0,
    errors: 0,
    confidenceCount: 0,
    confidenceSum: 0,
    confidenceHist: new Array<number>(CONFIDENCE_BINS).fill(0),
    latencyHist: new Array<number>(LATENCY_BINS).fill(0),
    labelled: 0,
    correct: 0,
  };
}

function mergeInto(into: Accumulator, from: Accumulator): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.confidenceCount += from.confidenceCount;
  into.confidenceSum += from.confidenceSum;
  addInto(into.confidenceHist, from.confidenceHist);
  addInto(into.latencyHist, from.latencyHist);
  into.labelled += from.labelled;
  into.correct += from.correct;
}

const scratch: number[] = [];

/**
 * Adds a stored histogram (a JSON array of counts) into `into` bin by bin. A month at 6-hour steps reads thousands of
 * hour rows, and a hand-rolled scan of "[0,12,3,...]" costs a fraction of JSON.parse plus an array per row; any other
 * text (a sign, a fraction, an exponent, whitespace) goes through parseCounts.
 */
export function addCountsInto(into: number[], text: string): void {
  let k = 0;
  let v = 0;
  let digits = false;
  for (let p = 0; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits = true;
    } else if (c === 44 || (c === 93 && digits)) {
      if (!digits) return void addInto(into, parseCounts(text));
      scratch[k++] = v;
      v = 0;
      digits = false;
    } else if (!(c === 91 && p === 0) && !(c === 93 && p === text.length - 1)) {
      return void addInto(into, parseCounts(text));
    }
  }
  if (digits) return void addInto(into, parseCounts(text)); // no closing bracket
  const n = Math.min(k, into.length);
  for (let i = 0; i < n; i++) into[i]! += scratch[i]!;
}

/** The stored confidence histogram as the summary the CBPE estimate reads (values known to lie in [0, 1]). */
function confidenceSummary(a: Accumulator): NumericSummary {
  let n = 0;
  for (const c of a.confidenceHist) n += c;
  return {
    kind: 'numeric',
    spec: { lo: 0, hi: 1, bins: CONFIDENCE_BINS },
    counts: a.confidenceHist,
    below: 0,
    above: 0,
    count: n,
    missing: 0,
    sum: a.confidenceSum,
    m2: 0,
    min: 0,
    max: 1,
    distinct: null,
  };
}

/** The figures of one bucket; every ratio of nothing is null (never NaN). */
export function figures(a: Accumulator, calibrator: IsotonicModel | null): PerformanceFigures {
  const estimate = estimateAccuracyFromHistogram(confidenceSummary(a), calibrator);
  return {
    requests: a.requests,
    errors: a.errors,
    error_rate: a.requests > 0 ? a.errors / a.requests : null,
    confidence_count: a.confidenceCount,
    mean_confidence: a.confidenceCount > 0 ? a.confidenceSum / a.confidenceCount : null,
    latency_p50_ms: histogramQuantile(a.latencyHist, 0.5, latencyBinEdges),
    latency_p95_ms: histogramQuantile(a.latencyHist, 0.95, latencyBinEdges),
    realised_accuracy: { labelled: a.labelled, correct: a.correct, value: a.labelled > 0 ? a.correct / a.labelled : null },
    estimated_accuracy:
      estimate.status === 'ok'
        ? { value: estimate.estimate, standard_error: estimate.standardError, lower: estimate.lower, upper: estimate.upper }
        : { value: null, standard_error: null, lower: null, upper: null },
  };
}

/** A fixed pseudo-random number in [0, 1) for a labelled prediction, the same whatever order rows come in. */
function sampleKey(createdAt: number, confidence: number): number {
  let h = Math.imul((createdAt % 4294967296) >>> 0, 0x9e3779b1) ^ Math.imul(Math.floor(confidence * 4294967296) >>> 0, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * Calibration pairs: the labelled predictions that have a confidence; beyond `max` of them, a
 * fixed pseudo-random sample of about `max` (each kept with probability max/count, keyed on its own time and
 * confidence). Sorted by (confidence, correct), so neither the sample, the fitted calibrator nor its fold split
 * depends on the order rows arrived in.
 */
export function calibrationPairs(parts: readonly LabelledPredictions[], { max = MAX_CALIBRATION_PAIRS } = {}): LabelledConfidence[] {
  let count = 0;
  forEachLabelled(parts, (t, c) => {
    if (c === c) count++;
  });
  const share = count > max ? max / count : 1;
  const pairs: LabelledConfidence[] = [];
  forEachLabelled(parts, (t, c, ok) => {
    if (c !== c || (share < 1 && sampleKey(t, c) >= share)) return;
    pairs.push({ confidence: Math.min(1, Math.max(0, c)), correct: ok === 1 });
  });
  return pairs.sort((a, b) => a.confidence - b.confidence || Number(a.correct) - Number(b.correct));
}

const DECISIONS_KEPT = 64;
const decisions = new Map<string, CalibrationDecision>();

/**
 * fitCalibration, remembered: dashboards repeat the same query, and the pairs only change when feedback arrives or
 * the range moves past a labelled prediction. Keyed by the exact pairs (count and sums of the sorted list).
 */
export function calibrationFor(pairs: readonly LabelledConfidence[]): CalibrationDecision {
  let s1 = 0;
  let s2 = 0;
  let k = 0;
  let sc = 0;
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    s1 += p.confidence * (i + 1);
    s2 += p.confidence * p.confidence;
    if (p.correct) {
      k++;
      sc += p.confidence * (i + 1);
    }
  }
  const key = `${pairs.length}:${s1}:${s2}:${k}:${sc}`;
  let decision = decisions.get(key);
  if (decision) {
    decisions.delete(key);
  } else {
    decision = fitCalibration(pairs);
    if (decisions.size >= DECISIONS_KEPT) decisions.delete(decisions.keys().next().value!);
  }
  decisions.set(key, decision);
  return decision;
}

export interface PerformanceOptions {
  now?: number;
  minuteRetentionMs?: number;
  /** false: skip the feedback read and the calibration (realised and estimated accuracy come back empty), for callers
   * that only want volume, errors, confidence and latency (alert rules on those) */
  accuracy?: boolean;
}

export async function summarisePerformance(database: Database, q: PerformanceMonitoringQuery, options: PerformanceOptions = {}): Promise<PerformanceMonitoring> {
  const now = options.now ?? Date.now();
  const minuteRetentionMs = options.minuteRetentionMs ?? DEFAULT_MINUTE_RETENTION_MS;
  const { plan, filter, filters } = resolveScope(q, now, minuteRetentionMs);
  // resolveScope's own margin: minute buckets near the retention edge may already be deleted
  const minutesSince = now - minuteRetentionMs + HOUR_MS;
  const resolution = chooseResolution(plan, minutesSince, q.resolution);
  const seriesPlan = capGrain(plan, grainFor(resolution.stepMs));
  const calibrationFrom = Math.min(plan.from, plan.to - CALIBRATION_REFERENCE_MS);
  const db = database.db;

  const [rollups, labelled] = await Promise.all([
    selectPerformanceRollups(db, seriesPlan, filter),
    options.accuracy === false ? [] : selectLabelledPredictions(db, calibrationFrom, plan.to, filter),
  ]);

  const buckets = seriesBuckets(plan.from, plan.to, resolution.stepMs);
  const acc = buckets.map(() => emptyAccumulator());
  const origin = floorTo(plan.from, resolution.stepMs);
  const slot = (t: number) => Math.floor((t - origin) / resolution.stepMs);
  for (const r of rollups) {
    const a = acc[slot(r.bucketStart)];
    if (!a) continue;
    a.requests += r.requests;
    a.errors += r.errors;
    a.confidenceCount += r.confidenceCount;
    a.confidenceSum += r.confidenceSum;
    addCountsInto(a.confidenceHist, r.confidenceHist);
    addCountsInto(a.latencyHist, r.latencyHist);
  }
  forEachLabelled(labelled, (t, _c, ok) => {
    if (t < plan.from || t >= plan.to) return; // calibration reference only
    const a = acc[slot(t)]!;
    a.labelled++;
    a.correct += ok;
  });

  const pairs = calibrationPairs(labelled);
  const decision = calibrationFor(pairs);
  const total = emptyAccumulator();
  for (const a of acc) mergeInto(total, a);

  return {
    range: { from: plan.from, to: plan.to },
    filters,
    resolution: { step: resolution.step, step_ms: resolution.stepMs, chosen: resolution.chosen },
    latency_relative_error: LATENCY_QUANTILE_RELATIVE_ERROR,
    calibration: {
      calibrated: decision.calibrator !== null,
      reason: decision.reason,
      pairs: pairs.length,
      min_pairs: MIN_CALIBRATION_PAIRS,
      max_pairs: MAX_CALIBRATION_PAIRS,
      range: { from: calibrationFrom, to: plan.to },
    },
    summary: figures(total, decision.calibrator),
    series: buckets.map((b, i) => ({ from: b.from, to: b.to, ...figures(acc[i]!, decision.calibrator) })),
  };
}
