// Confidence-based performance estimation (NannyML's CBPE) for multiclass top-1 accuracy: the expected accuracy of
// a window is the mean calibrated probability of the predicted class, so it needs no labels. The band is
// NannyML's ±3 standard errors, SE = √(p(1−p)/n) (the spread of a mean of n correct/incorrect outcomes).
import { predictIsotonic, type IsotonicModel } from './isotonic.js';
import { binEdge, type NumericSummary } from '../drift/summaries.js';

/** NannyML's SAMPLING_ERROR_RANGE. */
export const SAMPLING_ERROR_RANGE = 3;

export type AccuracyEstimate =
  | {
      status: 'ok';
      estimate: number;
      standardError: number;
      lower: number;
      upper: number;
      n: number;
      calibrated: boolean;
      /** For histogram input: the estimate is exact within [estimateLow, estimateHigh]. */
      estimateLow: number;
      estimateHigh: number;
    }
  | { status: 'not_enough_data'; n: number };

function band(estimate: number, n: number, calibrated: boolean, low = estimate, high = estimate): AccuracyEstimate {
  const standardError = Math.sqrt((estimate * (1 - estimate)) / n);
  return {
    status: 'ok',
    estimate,
    standardError,
    lower: Math.max(0, estimate - SAMPLING_ERROR_RANGE * standardError),
    upper: Math.min(1, estimate + SAMPLING_ERROR_RANGE * standardError),
    n,
    calibrated,
    estimateLow: low,
    estimateHigh: high,
  };
}

function calibrate(calibrator: IsotonicModel | null, c: number): number {
  return calibrator ? predictIsotonic(calibrator, c) : c;
}

/** Estimated accuracy from the predicted class's confidences (non-finite ones skipped). */
export function estimateAccuracy(confidences: ArrayLike<number>, calibrator: IsotonicModel | null = null): AccuracyEstimate {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < confidences.length; i++) {
    const c = confidences[i]!;
    if (!Number.isFinite(c)) continue;
    sum += calibrate(calibrator, Math.min(1, Math.max(0, c)));
    n++;
  }
  return n === 0 ? { status: 'not_enough_data', n } : band(sum / n, n, calibrator !== null);
}

/**
 * The same from a confidence histogram (the rollups keep one), so 10M predictions cost O(bins). Each bin counts
 * at its midpoint; because the calibrator is non-decreasing, the true mean lies between the estimates with every
 * value at its bin's left and at its right edge, which are returned as estimateLow/estimateHigh.
 */
export function estimateAccuracyFromHistogram(confidence: NumericSummary, calibrator: IsotonicModel | null = null): AccuracyEstimate {
  const n = confidence.count;
  if (n === 0) return { status: 'not_enough_data', n };
  const clamp = (c: number) => Math.min(1, Math.max(0, c));
  let mid = 0;
  let low = 0;
  let high = 0;
  const cells: Array<[number, number, number]> = [[confidence.min, confidence.spec.lo, confidence.below], [confidence.spec.hi, confidence.max, confidence.above]];
  for (let i = 0; i < confidence.spec.bins; i++) cells.push([binEdge(confidence.spec, i), binEdge(confidence.spec, i + 1), confidence.counts[i]!]);
  for (const [lo, hi, count] of cells) {
    if (count === 0) continue;
    const a = clamp(Math.max(lo, confidence.min));
    const b = clamp(Math.min(hi, confidence.max));
    mid += count * calibrate(calibrator, (a + b) / 2);
    low += count * calibrate(calibrator, a);
    high += count * calibrate(calibrator, b);
  }
  return band(mid / n, n, calibrator !== null, low / n, high / n);
}
