import { z } from 'zod';

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
