// GET /api/v1/mlops/monitoring/performance: serving performance over time (volume, errors, confidence, latency,
// realised accuracy from ground-truth feedback, and a label-free CBPE accuracy estimate), from the rollups plus the
// feedback (which carries its prediction's time, model and confidence).
import { z } from 'zod';
import { MonitoringVariant, rangeChecks, rangeFields } from './monitoring.js';

/** Series steps, finest first. Minute steps need minute rollups (kept 48 h), so they only serve recent ranges. */
export const PerformanceResolution = z.enum(['1m', '5m', '10m', '15m', '30m', '1h', '2h', '3h', '6h', '12h', '1d']);
export type PerformanceResolution = z.infer<typeof PerformanceResolution>;

const MIN = 60_000;
const HOUR = 60 * MIN;
export const PERFORMANCE_RESOLUTION_MS: Record<PerformanceResolution, number> = {
  '1m': MIN,
  '5m': 5 * MIN,
  '10m': 10 * MIN,
  '15m': 15 * MIN,
  '30m': 30 * MIN,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '3h': 3 * HOUR,
  '6h': 6 * HOUR,
  '12h': 12 * HOUR,
  '1d': 24 * HOUR,
};

/**
 * The automatic resolution is the finest step giving at most this many points among: minute steps for ranges up to
 * PERFORMANCE_MINUTES_UP_TO_MS (where minute rollups are kept), hour steps up to PERFORMANCE_DAILY_BEYOND_MS, whole
 * days beyond. Each is read from the rollup grain it matches, so a month reads 30 day rows per key, not 720 hours.
 */
export const PERFORMANCE_TARGET_POINTS = 200;
export const PERFORMANCE_MINUTES_UP_TO_MS = 6 * HOUR;
export const PERFORMANCE_DAILY_BEYOND_MS = 14 * 24 * HOUR;
/** A requested resolution may give at most this many points. */
export const PERFORMANCE_MAX_POINTS = 500;

export const PerformanceMonitoringQuery = rangeChecks(
  z.object({
    ...rangeFields,
    /** series step; default from the range: minutes up to 6 h, hours up to 14 days, days beyond (at most 200 points) */
    resolution: PerformanceResolution.optional(),
  }),
);
export type PerformanceMonitoringQuery = z.infer<typeof PerformanceMonitoringQuery>;

const Span = z.object({ from: z.number(), to: z.number() });

export const RealisedAccuracy = z.object({
  /** predictions in the bucket that have ground-truth feedback (shadow runs: while their raw row is kept) */
  labelled: z.number().int(),
  correct: z.number().int(),
  /** correct / labelled; null without feedback */
  value: z.number().nullable(),
});

export const EstimatedAccuracy = z.object({
  /**
   * CBPE: the mean calibrated probability that the top-1 answer is right, over the `count` predictions with a
   * confidence, read from the 0.02-wide confidence histogram at bin midpoints. Null without such predictions.
   */
  value: z.number().nullable(),
  /** sampling error √(p(1−p)/n) */
  standard_error: z.number().nullable(),
  /**
   * value ± 3 standard errors (NannyML's band), clipped to [0, 1]: where the realised accuracy of these predictions
   * should fall (~99.7%) from sampling alone if the calibration holds; it does not cover calibration error or
   * concept drift
   */
  lower: z.number().nullable(),
  upper: z.number().nullable(),
});

export const PerformanceFigures = z.object({
  requests: z.number().int(),
  errors: z.number().int(),
  /** errors / requests; null without requests */
  error_rate: z.number().nullable(),
  /** successful predictions with a confidence (a food was recognised) */
  confidence_count: z.number().int(),
  mean_confidence: z.number().nullable(),
  /** of successful predictions, read from the fixed-bin latency histogram (within `latency_relative_error`) */
  latency_p50_ms: z.number().nullable(),
  latency_p95_ms: z.number().nullable(),
  realised_accuracy: RealisedAccuracy,
  estimated_accuracy: EstimatedAccuracy,
});
export type PerformanceFigures = z.infer<typeof PerformanceFigures>;

export const PerformancePoint = PerformanceFigures.extend({
  /** the bucket [from, to), clipped to the answered range */
  from: z.number(),
  to: z.number(),
});
export type PerformancePoint = z.infer<typeof PerformancePoint>;

export const PerformanceMonitoring = z.object({
  /** what the figures cover, epoch ms: the asked range with each edge rounded up to the minute (last 48 h) or hour */
  range: Span,
  filters: z.object({ model: z.string().nullable(), version: z.string().nullable(), variant: MonitoringVariant }),
  resolution: z.object({
    step: PerformanceResolution,
    step_ms: z.number().int(),
    /** 'auto' when chosen from the range, 'requested' when given */
    chosen: z.enum(['auto', 'requested']),
  }),
  /** the quantiles' stated relative bound (one latency bin, about 9%) */
  latency_relative_error: z.number(),
  /**
   * How the estimate maps confidence to P(correct): isotonic regression fitted on feedback (same filters, over
   * `range`: the answered range extended back to 30 days before its end) when at least `min_pairs` labelled
   * predictions with a confidence exist and it lowers the expected calibration error on every one of 10 held-out
   * folds (NannyML's rule); otherwise the raw confidence.
   */
  calibration: z.object({
    calibrated: z.boolean(),
    reason: z.enum(['calibrated', 'too_few_pairs', 'no_improvement', 'single_class']),
    /** labelled predictions with a confidence used (beyond `max_pairs`, a fixed pseudo-random sample of about that many) */
    pairs: z.number().int(),
    min_pairs: z.number().int(),
    max_pairs: z.number().int(),
    range: Span,
  }),
  summary: PerformanceFigures,
  /** oldest first, one point per step (empty buckets included, with zero counts and null figures) */
  series: z.array(PerformancePoint),
});
export type PerformanceMonitoring = z.infer<typeof PerformanceMonitoring>;
