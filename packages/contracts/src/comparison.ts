// GET /api/v1/mlops/compare (model versions side by side from the prediction log), GET /api/v1/mlops/model-versions
// (the registry with serving state) and POST /api/v1/predictions/{id}/feedback (ground truth).
import { z } from 'zod';
import { instant, stringList } from './mlops.js';

/** A trailing time window ending now, as an alternative to from/to. */
export const TimeWindow = z.enum(['1h', '24h', '7d', '30d']);
export type TimeWindow = z.infer<typeof TimeWindow>;
export const TIME_WINDOW_MS: Record<TimeWindow, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000, '30d': 2_592_000_000 };

export const VersionCompareQuery = z
  .object({
    model: z.string().min(1).max(500).default('food-detector'),
    /** versions to compare: repeated or comma-separated, 1 to 10 */
    versions: stringList.pipe(z.array(z.string().regex(/^[1-9]\d{0,9}$/, 'versions are positive integers')).min(1).max(10)),
    from: instant.optional(),
    to: instant.optional(),
    window: TimeWindow.optional(),
    /** how many foods to list per version */
    top_foods: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((q) => q.window === undefined || (q.from === undefined && q.to === undefined), {
    message: 'give either window or from/to, not both',
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to' });
export type VersionCompareQuery = z.infer<typeof VersionCompareQuery>;

const FeedbackAccuracy = z.object({
  /** predictions of this version whose ground truth is known */
  labelled: z.number().int(),
  correct: z.number().int(),
  accuracy: z.number(),
});

export const VersionStats = z.object({
  version: z.string(),
  /** all predictions of the version in the window: served (champion/challenger) and shadow runs */
  requests: z.number().int(),
  served: z.number().int(),
  shadow: z.number().int(),
  errors: z.number().int(),
  /** errors / requests; null without requests */
  error_rate: z.number().nullable(),
  /** mean top-1 confidence of successful predictions that found something; null when none did */
  mean_confidence: z.number().nullable(),
  /** nearest-rank percentiles of the whole request latency of successful predictions (ms) */
  latency_ms: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  /** successful predictions by top-1 answer (null food = nothing recognised), most frequent first */
  foods: z.array(z.object({ food: z.string().nullable(), count: z.number().int(), share: z.number() })),
  /** realised accuracy from feedback (shadow runs are scored against the feedback on the prediction they shadowed);
   * null when no feedback applies */
  realised_accuracy: FeedbackAccuracy.nullable(),
});
export type VersionStats = z.infer<typeof VersionStats>;

export const ShadowAgreement = z.object({
  primary_version: z.string(),
  shadow_version: z.string(),
  /** served predictions that have a successful shadow run */
  pairs: z.number().int(),
  /** pairs whose top-1 answers are equal (both "nothing recognised" counts as equal) */
  agreed: z.number().int(),
  rate: z.number(),
});

export const VersionComparison = z.object({
  model: z.string(),
  /** the window the figures cover (epoch ms; null = unbounded) */
  from: z.number().nullable(),
  to: z.number().nullable(),
  versions: z.array(VersionStats),
  /** for every (served version, shadow version) pair among the compared versions */
  shadow_agreement: z.array(ShadowAgreement),
});
export type VersionComparison = z.infer<typeof VersionComparison>;

// ---------------------------------------------------------------------------------------------------------------

export const FeedbackParams = z.object({ id: z.string().min(1).max(64) });
export const FeedbackBody = z.object({
  correct: z.boolean(),
  /** the true food; optional when correct */
  label: z.string().trim().min(1).max(200).optional(),
});
export const FeedbackResponse = z.object({
  prediction_id: z.string(),
  correct: z.boolean(),
  label: z.string().nullable(),
  /** epoch ms of the latest answer */
  updated_time: z.number(),
  /** true when an earlier answer was replaced */
  replaced: z.boolean(),
});
export type FeedbackResponse = z.infer<typeof FeedbackResponse>;

// ---------------------------------------------------------------------------------------------------------------
// GET /api/v1/mlops/model-versions

export const ModelVersionListQuery = z.object({
  /** one registered model (default: every model) */
  model: z.string().min(1).max(500).optional(),
  /** the window of the serving metrics */
  window: TimeWindow.default('24h'),
});

export const ModelVersionEntry = z.object({
  name: z.string(),
  version: z.string(),
  aliases: z.array(z.string()),
  stage: z.string(),
  status: z.string(),
  description: z.string().nullable(),
  source: z.string().nullable(),
  run_id: z.string().nullable(),
  /** 'tfjs-graph' (built-in COCO detector or user graph model) or 'onnx'; null when the version is not servable */
  flavor: z.string().nullable(),
  /** built-in detector architecture, or the user model's task */
  task: z.string().nullable(),
  labels: z.number().int().nullable(),
  size_bytes: z.number().int().nullable(),
  created_time: z.number(),
  last_updated_time: z.number(),
  /** how the deployment uses it now: champion, challenger (with weight), shadow (with sample rate) */
  serving: z.object({
    roles: z.array(z.string()),
    loaded: z.boolean(),
    load_ms: z.number().nullable(),
    memory_bytes: z.number().nullable(),
  }),
  /** from the prediction log over the window (served and shadow runs) */
  metrics: z.object({
    requests: z.number().int(),
    error_rate: z.number().nullable(),
    mean_confidence: z.number().nullable(),
    latency_p95_ms: z.number().nullable(),
  }),
});
export type ModelVersionEntry = z.infer<typeof ModelVersionEntry>;

export const ModelVersionList = z.object({
  window: TimeWindow,
  model_versions: z.array(ModelVersionEntry),
});
export type ModelVersionList = z.infer<typeof ModelVersionList>;
