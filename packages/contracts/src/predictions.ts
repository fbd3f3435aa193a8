import { z } from 'zod';
import { instant } from './mlops.js';

export const FOOD_CLASSES = [
  'banana',
  'apple',
  'sandwich',
  'orange',
  'broccoli',
  'carrot',
  'hot dog',
  'pizza',
  'donut',
  'cake',
] as const;
export type FoodClass = (typeof FOOD_CLASSES)[number];

/** Pixel box in the (EXIF-oriented) uploaded image. */
export const Box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

export const Detection = z.object({
  label: z.string(),
  confidence: z.number(),
  box: Box,
});
export type Detection = z.infer<typeof Detection>;

export const ModelRef = z.object({ name: z.string(), version: z.string() });

/** The model and version that answered a prediction, and how the model's deployment chose it. */
export const ServedModelRef = ModelRef.extend({ variant: z.enum(['champion', 'challenger']).optional() });

export const ImageInfo = z.object({
  width: z.number().int(),
  height: z.number().int(),
  size_bytes: z.number().int(),
  format: z.enum(['jpeg', 'png', 'webp']),
});

/** POST /api/v1/predict?model=: the deployed model to ask (default food-detector). The model may also be named by the
 * multipart field `model` or the header `X-Model`; the query wins over the field, the field over the header. */
export const PredictQuery = z.object({
  model: z.string().optional(),
});

export const PredictResponse = z.object({
  prediction_id: z.string(),
  /** the most confident food found, or null when the image shows none of the known foods */
  food_name: z.string().nullable(),
  confidence: z.number(),
  detections: z.array(Detection),
  model: ServedModelRef,
  processing_time_ms: z.number(),
  image: ImageInfo,
});
export type PredictResponse = z.infer<typeof PredictResponse>;

export const PredictionLogEntry = z.object({
  prediction_id: z.string(),
  created_at: z.string().describe('ISO 8601'),
  user_id: z.string().nullable(),
  model: ModelRef.nullable(),
  /** how the deployment chose the version (shadow: a shadow run, never answered); null when no version was chosen */
  variant: z.enum(['champion', 'challenger', 'shadow']).nullable(),
  /** shadow runs: the served prediction they shadowed */
  shadow_of: z.string().nullable(),
  status: z.enum(['ok', 'error']),
  error_class: z.string().nullable(),
  food_name: z.string().nullable(),
  confidence: z.number().nullable(),
  detections: z.array(Detection),
  latency_ms: z.number(),
  inference_ms: z.number().nullable(),
  image: z
    .object({
      width: z.number().nullable(),
      height: z.number().nullable(),
      size_bytes: z.number().nullable(),
      format: z.string().nullable(),
      brightness: z.number().nullable(),
      contrast: z.number().nullable(),
      saturation: z.number().nullable(),
      sharpness: z.number().nullable(),
    })
    .nullable(),
});
export type PredictionLogEntry = z.infer<typeof PredictionLogEntry>;

export const PredictionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().min(1).max(200).optional(),
});

export const PredictionList = z.object({
  predictions: z.array(PredictionLogEntry),
  next_cursor: z.string().nullable(),
});
export type PredictionList = z.infer<typeof PredictionList>;

/** Most records per POST /api/v1/predictions/backfill request (one transaction). */
export const BACKFILL_MAX_RECORDS = 5000;

/**
 * One back-filled prediction: the answer of an existing prediction (the model's real output on a real image: food,
 * confidence, detections, image statistics, model version) logged again at another time for another user. `source`
 * names the prediction; with `version`, the answer of that version on the same request (the prediction itself, or
 * its shadow run by that version).
 */
export const BackfillRecord = z
  .object({
    source: z.object({ prediction_id: z.string().min(1).max(100), version: z.string().min(1).max(100).optional() }).strict(),
    /** epoch ms or ISO 8601; not in the future, and within the raw-log retention */
    created_at: instant,
    user_id: z.string().min(1).max(200).nullable().default(null),
    /** how the version was chosen; null for a request refused before a version was (e.g. a copied 415) */
    variant: z.enum(['champion', 'challenger', 'shadow']).nullable(),
    /** whole request latency to log (default: the source's) */
    latency_ms: z.number().min(0).max(600_000).optional(),
    /** shadow records: index, in this request, of the served record they shadow */
    shadow_of: z.number().int().min(0).optional(),
  })
  .strict();
export type BackfillRecord = z.infer<typeof BackfillRecord>;

export const BackfillBody = z
  .object({ records: z.array(BackfillRecord).min(1).max(BACKFILL_MAX_RECORDS) })
  .strict();
export type BackfillBody = z.infer<typeof BackfillBody>;

export const BackfillResponse = z.object({
  inserted: z.number().int(),
  /** the new predictions' ids, in the order of the request's records */
  prediction_ids: z.array(z.string()),
});
export type BackfillResponse = z.infer<typeof BackfillResponse>;
