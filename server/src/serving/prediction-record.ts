// The prediction-log record of one model run (served or shadow), built in one place so both carry the same fields.
import type { Detection as ApiDetection } from '@foodlens/contracts';
import type { UploadedImage } from '../images/decode.js';
import type { InferenceResult } from '../inference/types.js';
import type { PredictionRecord, PredictionVariant } from '../monitoring/prediction-log/types.js';

export interface RecordContext {
  id: string;
  createdAt: number;
  userId: string | null;
  model: { name: string; version: string } | null;
  variant: PredictionVariant | null;
  shadowOf?: string | null;
  upload: UploadedImage | null;
  result: InferenceResult | null;
  latencyMs: number;
}

export function okRecord(ctx: RecordContext, detections: ApiDetection[]): PredictionRecord {
  const top = detections[0] ?? null;
  return {
    ...baseRecord(ctx),
    status: 'ok',
    errorClass: null,
    foodName: top?.label ?? null,
    confidence: top?.confidence ?? null,
    detections,
  };
}

export function errorRecord(ctx: RecordContext, errorClass: string, bodyBytes: number | null): PredictionRecord {
  return {
    ...baseRecord(ctx),
    status: 'error',
    errorClass,
    foodName: null,
    confidence: null,
    detections: [],
    imageBytes: ctx.upload?.sizeBytes ?? bodyBytes,
  };
}

function baseRecord(ctx: RecordContext): Omit<PredictionRecord, 'status' | 'errorClass' | 'foodName' | 'confidence' | 'detections'> {
  const { upload, result } = ctx;
  return {
    id: ctx.id,
    createdAt: ctx.createdAt,
    userId: ctx.userId,
    modelName: ctx.model?.name ?? null,
    modelVersion: ctx.model?.version ?? null,
    latencyMs: ctx.latencyMs,
    inferenceMs: result?.inferenceMs ?? null,
    imageWidth: upload?.width ?? null,
    imageHeight: upload?.height ?? null,
    imageBytes: upload?.sizeBytes ?? null,
    imageFormat: upload?.format ?? null,
    brightness: result?.stats.brightness ?? null,
    contrast: result?.stats.contrast ?? null,
    saturation: result?.stats.saturation ?? null,
    sharpness: result?.stats.sharpness ?? null,
    variant: ctx.variant,
    shadowOf: ctx.shadowOf ?? null,
  };
}
