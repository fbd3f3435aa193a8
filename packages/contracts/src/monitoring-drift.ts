// Drift monitoring: GET /api/v1/mlops/monitoring/drift compares a model version's recent predictions with the reference
// summaries stored for that version (PUT/GET/DELETE /api/v1/mlops/monitoring/drift/reference), feature by feature, with
// Evidently's default tests and dataset rule. Both sides are mergeable summaries (rollups / the stored reference), so a
// check costs O(buckets) whatever the number of predictions.
import { z } from 'zod';
import { TimeWindow } from './comparison.js';
import { instant } from './mlops.js';
import { MONITORING_MAX_RANGE_MS, MonitoringVariant, rangeChecks } from './monitoring.js';

export const DRIFT_NUMERIC_FEATURES = [
  'confidence',
  'image_width',
  'image_height',
  'aspect_ratio',
  'image_bytes',
  'brightness',
  'contrast',
  'saturation',
  'sharpness',
] as const;
/** The categorical feature: the top-1 food ("(no food)" when nothing was recognised). */
export const DRIFT_FEATURES = [...DRIFT_NUMERIC_FEATURES, 'food'] as const;
export const DriftFeatureName = z.enum(DRIFT_FEATURES);
export type DriftFeatureName = z.infer<typeof DriftFeatureName>;

const modelField = z.string().min(1).max(500).default('food-detector');
const versionField = z.string().regex(/^[1-9]\d{0,9}$/, 'version is a positive integer');

// ---------------------------------------------------------------------------------------------------------------
// Reference

/** Most predictions a first-N reference reads. */
export const DRIFT_REFERENCE_MAX_FIRST_N = 1_000_000;

export const DriftReferenceSource = z.discriminatedUnion('type', [
  /** the predictions in [from, to), summed from the rollups (edges rounded up to the minute or hour like every window) */
  z
    .object({
      type: z.literal('window'),
      from: instant,
      to: instant,
      /** which predictions of the version count (default all: model and version already pin them) */
      variant: MonitoringVariant.default('all'),
    })
    .refine((s) => s.from < s.to, { message: 'from must be before to' })
    .refine((s) => s.to - s.from <= MONITORING_MAX_RANGE_MS, { message: 'the range may span at most 400 days' }),
  /** the first n successful predictions of the version at or after `after` (default: its first ever), from raw rows */
  z.object({
    type: z.literal('first'),
    n: z.number().int().min(1).max(DRIFT_REFERENCE_MAX_FIRST_N),
    after: instant.optional(),
    variant: MonitoringVariant.default('all'),
  }),
  /** the images of an evaluation run of this model version (`npm run evaluate`): its predictions.csv artifact, which
   * holds each image's prediction and statistics; images that failed are left out, like failed predictions */
  z.object({
    type: z.literal('evaluation'),
    run_id: z.string().min(1).max(256),
  }),
]);
export type DriftReferenceSource = z.infer<typeof DriftReferenceSource>;

/** The stored source, answered back (defaults filled in, times as epoch ms). */
export const DriftReferenceSourceOut = z.discriminatedUnion('type', [
  z.object({ type: z.literal('window'), from: z.number(), to: z.number(), variant: MonitoringVariant }),
  z.object({ type: z.literal('first'), n: z.number().int(), after: z.number().nullable(), variant: MonitoringVariant }),
  z.object({ type: z.literal('evaluation'), run_id: z.string() }),
]);
export type DriftReferenceSourceOut = z.infer<typeof DriftReferenceSourceOut>;

export const DriftReferenceKey = z.object({
  model: modelField,
  version: versionField,
});
export type DriftReferenceKey = z.infer<typeof DriftReferenceKey>;

export const PutDriftReferenceBody = z.object({
  model: modelField,
  version: versionField,
  source: DriftReferenceSource,
});
export type PutDriftReferenceBody = z.infer<typeof PutDriftReferenceBody>;

const NumericStats = z.object({
  count: z.number().int(),
  missing: z.number().int(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});

export const DriftReference = z.object({
  model: z.string(),
  version: z.string(),
  /** the source as given, with the defaults filled in */
  source: DriftReferenceSourceOut,
  description: z.string(),
  /** successful predictions (evaluation: images predicted) summarised */
  rows: z.number().int(),
  /** what the summaries cover, epoch ms: the rollup range (window), the first and last prediction's time (first), or
   * the evaluation run's start and end time (evaluation) */
  range: z.object({ from: z.number().nullable(), to: z.number().nullable() }),
  created_time: z.number(),
  features: z.object({
    numeric: z.record(z.string(), NumericStats),
    /** successful predictions per food, most frequent first */
    food: z.array(z.object({ food: z.string(), count: z.number().int() })),
  }),
});
export type DriftReference = z.infer<typeof DriftReference>;

/** Which model versions have a drift reference (without their summaries): a dashboard asks this before asking for
 * drift, instead of learning it from a 404. */
export const DriftReferenceListQuery = z.object({ model: z.string().min(1).max(500).optional() });
export type DriftReferenceListQuery = z.infer<typeof DriftReferenceListQuery>;

export const DriftReferenceList = z.object({
  references: z.array(DriftReference.omit({ features: true })),
});
export type DriftReferenceList = z.infer<typeof DriftReferenceList>;

// ---------------------------------------------------------------------------------------------------------------
// Drift check

const probability = z.coerce.number().gt(0).lt(1);

export const DriftQuery = rangeChecks(
  z.object({
    model: modelField,
    /** default: the model's champion (registry alias `champion`) */
    version: versionField.optional(),
    /** which predictions of the version form the current window (default all) */
    variant: MonitoringVariant.default('all'),
    from: instant.optional(),
    to: instant.optional(),
    /** trailing window ending now, default 24h when no from/to */
    window: TimeWindow.optional(),
    /** Evidently's stattest_threshold: one threshold for every feature's test, instead of each test's own default (0.05
     * for the p-value tests ks/chisquare/z, 0.1 for the distances wasserstein/jensenshannon) */
    stattest_threshold: probability.optional(),
    /** the dataset drifts when at least this share of the features drift (Evidently's drift_share, default 0.5) */
    drift_share: z.coerce.number().gt(0).max(1).default(0.5),
    /** `psi`: also report each feature's Population Stability Index (reference-decile bins) */
    method: z.enum(['psi']).optional(),
    /** the PSI drift threshold (default 0.1; 0.25 is the usual "major shift") */
    psi_threshold: z.coerce.number().gt(0).max(100).default(0.1),
  }),
);
export type DriftQuery = z.infer<typeof DriftQuery>;

/** Both windows over the same bins, for plotting. */
export const DriftDistribution = z.object({
  /** numeric bins: bin edges (one more than labels; null stands for -∞/+∞); null when each bin is a value or category */
  edges: z.array(z.number().nullable()).nullable(),
  labels: z.array(z.string()),
  reference: z.array(z.number()),
  current: z.array(z.number()),
});
export type DriftDistribution = z.infer<typeof DriftDistribution>;

export const FeatureDriftReport = z.object({
  name: DriftFeatureName,
  type: z.enum(['numerical', 'categorical']),
  /** `not_enough_data`: one window has no value of this feature (see reason); it then counts as not drifted */
  status: z.enum(['ok', 'not_enough_data']),
  reason: z.string().optional(),
  /** Evidently's default for the column: ks / chisquare / z (reference ≤ 1000 rows), wasserstein / jensenshannon above */
  test: z.string().nullable(),
  /** KS D, χ², z, or the distance; null when infinite (χ² with a category unseen in the reference) */
  statistic: z.number().nullable(),
  p_value: z.number().nullable(),
  distance: z.number().nullable(),
  threshold: z.number().nullable(),
  drifted: z.boolean(),
  /** computed from the fine histograms (numeric features with more than 20 distinct values), not from exact values */
  approximate: z.boolean(),
  reference_count: z.number().int(),
  current_count: z.number().int(),
  /** numeric features: moments of each window (exact, from the summaries) */
  stats: z.object({ reference: NumericStats, current: NumericStats }).optional(),
  distribution: DriftDistribution.nullable(),
  /** with method=psi */
  psi: z
    .object({
      value: z.number(),
      threshold: z.number(),
      drifted: z.boolean(),
      approximate: z.boolean(),
      distribution: DriftDistribution,
    })
    .nullable()
    .optional(),
});
export type FeatureDriftReport = z.infer<typeof FeatureDriftReport>;

export const DriftReport = z.object({
  model: z.string(),
  version: z.string(),
  variant: MonitoringVariant,
  reference: z.object({
    source: DriftReferenceSourceOut,
    description: z.string(),
    rows: z.number().int(),
    range: z.object({ from: z.number().nullable(), to: z.number().nullable() }),
    created_time: z.number(),
  }),
  current: z.object({
    /** what the window covers, epoch ms: the asked range with each edge rounded up to the minute (last 48 h) or hour */
    range: z.object({ from: z.number(), to: z.number() }),
    /** successful predictions in the window */
    rows: z.number().int(),
  }),
  features: z.array(FeatureDriftReport),
  /** Evidently's rule: drifted when drifted / evaluated features ≥ drift_share */
  dataset: z.object({
    features: z.number().int(),
    evaluated: z.number().int(),
    drifted_features: z.number().int(),
    share: z.number(),
    drift_share: z.number(),
    drifted: z.boolean(),
    not_enough_data: z.array(z.string()),
  }),
  /** with method=psi: features whose PSI reaches psi_threshold */
  psi: z.object({ threshold: z.number(), drifted_features: z.array(z.string()) }).nullable(),
});
export type DriftReport = z.infer<typeof DriftReport>;
