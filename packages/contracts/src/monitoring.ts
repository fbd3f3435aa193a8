// GET /api/v1/mlops/monitoring/*: monitoring read from the prediction-log rollups (per minute, hour and UTC day), so
// every answer costs O(buckets) whatever the number of stored predictions.
import { z } from 'zod';
import { TimeWindow } from './comparison.js';
import { instant, stringList } from './mlops.js';

/** Which predictions count: `served` (answered to a client: champion, challenger, or logged before deployments),
 * one variant alone, or `all` (shadow runs included). */
export const MonitoringVariant = z.enum(['served', 'champion', 'challenger', 'shadow', 'all']);
export type MonitoringVariant = z.infer<typeof MonitoringVariant>;

/** Longest range answered (the by-day series stays bounded). */
export const MONITORING_MAX_RANGE_MS = 400 * 86_400_000;

export const rangeFields = {
  /** epoch ms or ISO 8601; with `to` (default now), instead of `window` */
  from: instant.optional(),
  to: instant.optional(),
  /** a trailing window ending now (default 24h when no range is given) */
  window: TimeWindow.optional(),
  model: z.string().min(1).max(500).optional(),
  version: z.string().min(1).max(100).optional(),
  variant: MonitoringVariant.default('served'),
};

type RangeFields = { from?: number; to?: number; window?: TimeWindow };

export const rangeChecks = <T extends z.ZodType<RangeFields>>(schema: T) =>
  schema
    .refine((q) => q.window === undefined || (q.from === undefined && q.to === undefined), {
      message: 'give either window or from/to, not both',
    })
    .refine((q) => q.to === undefined || q.from !== undefined, { message: 'to needs from' })
    .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to' })
    .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from <= MONITORING_MAX_RANGE_MS, {
      message: 'the range may span at most 400 days',
    });

export const PredictionMonitoringQuery = rangeChecks(
  z.object({
    ...rangeFields,
    /** how many users to list, most predictions first */
    top_users: z.coerce.number().int().min(1).max(1000).default(10),
    /** how many foods to list */
    top_foods: z.coerce.number().int().min(1).max(200).default(50),
  }),
);
export type PredictionMonitoringQuery = z.infer<typeof PredictionMonitoringQuery>;

/** Output bins must merge the 50 stored 0.02-wide bins evenly. */
const BIN_COUNTS = [1, 2, 5, 10, 25, 50];

export const ConfidenceMonitoringQuery = rangeChecks(
  z.object({
    ...rangeFields,
    /** histogram bins over [0, 1]: 1, 2, 5, 10, 25 or 50 */
    bins: z.coerce
      .number()
      .int()
      .refine((b) => BIN_COUNTS.includes(b), { message: `bins must be one of ${BIN_COUNTS.join(', ')}` })
      .default(10),
    /** quantiles to report, each in [0, 1]: repeated or comma-separated, at most 20 */
    quantiles: stringList
      .pipe(z.array(z.coerce.number<string>().min(0).max(1)).min(1).max(20))
      .default([0.05, 0.25, 0.5, 0.75, 0.95]),
    /** report the share of predictions with confidence below this */
    threshold: z.coerce.number().min(0).max(1).default(0.5),
  }),
);
export type ConfidenceMonitoringQuery = z.infer<typeof ConfidenceMonitoringQuery>;

const Range = z.object({
  /** what the figures cover, epoch ms: the asked range with each edge rounded up to the minute (last 48 h) or hour */
  from: z.number(),
  to: z.number(),
});

const Filters = z.object({ model: z.string().nullable(), version: z.string().nullable(), variant: MonitoringVariant });

export const PredictionMonitoring = z.object({
  range: Range,
  filters: Filters,
  totals: z.object({
    requests: z.number().int(),
    errors: z.number().int(),
    /** errors / requests; null without requests */
    error_rate: z.number().nullable(),
    /** successful predictions that recognised no food */
    no_food: z.number().int(),
    /** requests without a user id */
    anonymous: z.number().int(),
  }),
  /** successful predictions by top-1 food (null = nothing recognised), most frequent first */
  by_food: z.array(z.object({ food: z.string().nullable(), count: z.number().int(), share: z.number() })),
  /** per UTC day touched by the range (partial days count only their part inside it), oldest first */
  by_day: z.array(z.object({ day: z.string(), requests: z.number().int(), errors: z.number().int() })),
  /** per-user figures come from hour buckets, so they cover the range rounded up to whole hours */
  users: z.object({
    range: Range,
    /** HyperLogLog estimate of distinct users */
    distinct_estimate: z.number().int(),
    /** the sketch's standard error, relative (about 0.016) */
    distinct_relative_error: z.number(),
    /**
     * Most predictions first (ties by user id), from mergeable top-k summaries (Misra-Gries, k = 256) kept per hour and
     * day bucket: `count` is an upper bound and the true count lies in [count - max_overcount, count]. Exact
     * (max_overcount 0) while every bucket in the range saw at most 256 distinct users per model, version and variant;
     * otherwise max_overcount <= (predictions with a user in the range) / 257.
     */
    top: z.array(z.object({ user_id: z.string(), count: z.number().int(), max_overcount: z.number().int() })),
  }),
});
export type PredictionMonitoring = z.infer<typeof PredictionMonitoring>;

export const ConfidenceMonitoring = z.object({
  range: Range,
  filters: Filters,
  /** successful predictions that have a confidence (a food was recognised) */
  count: z.number().int(),
  mean: z.number().nullable(),
  histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })),
  /** read from the stored 0.02-wide bins by linear interpolation: within `quantile_error` of the exact quantile */
  quantiles: z.array(z.object({ q: z.number(), value: z.number().nullable() })),
  quantile_error: z.number(),
  /** count (interpolated inside a bin unless the threshold is a multiple of 0.02) and share below the threshold */
  below_threshold: z.object({ threshold: z.number(), count: z.number(), share: z.number().nullable() }),
});
export type ConfidenceMonitoring = z.infer<typeof ConfidenceMonitoring>;
