// The request path of POST /api/v1/predict: decode -> pick the serving version -> run it -> answer, and hand one
// record to the prediction log. Failed predictions are logged too, with their error class.
import type { PredictResponse } from '@foodlens/contracts';
import { decodeUpload, ImageRejected, type UploadedImage } from '../images/decode.js';
import type { InferenceEngine, InferenceResult } from '../inference/types.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import { AppError } from '../util/errors.js';
import { uuidv7 } from '../util/ids.js';
import { foodDetections } from './food-detections.js';

export interface PredictionSink {
  /** must be synchronous and never throw: logging never fails or delays a prediction */
  enqueue(record: PredictionRecord): boolean;
}

export interface ServedModel {
  name: string;
  version: string;
}

export interface PredictDeps {
  engine: InferenceEngine;
  log: PredictionSink;
  /** which model version answers this request */
  resolveModel(userId: string | null): ServedModel;
  maxImagePixels: number;
}

export interface PredictInput {
  body: Buffer;
  userId: string | null;
  /** when the request started, so logged latency includes upload parsing */
  startedAt?: number;
}

export class InferenceFailed extends AppError {
  constructor(message: string) {
    super('INTERNAL_ERROR', message, { reason: 'inference' });
  }
}

export function createPredictService(deps: PredictDeps) {
  return {
    async predict(input: PredictInput): Promise<PredictResponse> {
      const started = input.startedAt ?? performance.now();
      const id = uuidv7();
      const createdAt = Date.now();
      let model: ServedModel | null = null;
      let upload: UploadedImage | null = null;
      let result: InferenceResult | null = null;
      try {
        upload = await decodeUpload(input.body, { maxPixels: deps.maxImagePixels });
        model = deps.resolveModel(input.userId);
        try {
          result = await deps.engine.run(model.name, model.version, upload.pixels);
        } catch (err) {
          throw new InferenceFailed(`model ${model.name}/${model.version} failed: ${(err as Error).message}`);
        }
        const detections = foodDetections(result.detections, upload.width, upload.height);
        const top = detections[0] ?? null;
        const latencyMs = performance.now() - started;
        deps.log.enqueue({
          ...baseRecord(id, createdAt, input.userId, model, upload, result, latencyMs),
          status: 'ok',
          errorClass: null,
          foodName: top?.label ?? null,
          confidence: top?.confidence ?? null,
          detections,
        });
        return {
          prediction_id: id,
          food_name: top?.label ?? null,
          confidence: top?.confidence ?? 0,
          detections,
          model: { name: model.name, version: model.version },
          processing_time_ms: Math.round(latencyMs * 100) / 100,
          image: { width: upload.width, height: upload.height, size_bytes: upload.sizeBytes, format: upload.format },
        };
      } catch (err) {
        logFailure(errorClassOf(err), { userId: input.userId, startedAt: started, bodyBytes: input.body.length, id, createdAt, model, upload, result });
        throw err;
      }
    },

    /** Logs a request that failed before it reached predict() (no file, too large, unreadable body). */
    logRejected(errorClass: string, ctx: { userId: string | null; startedAt: number; bodyBytes: number | null }): void {
      logFailure(errorClass, { ...ctx, id: uuidv7(), createdAt: Date.now(), model: null, upload: null, result: null });
    },
  };

  function logFailure(
    errorClass: string,
    ctx: {
      userId: string | null;
      startedAt: number;
      bodyBytes: number | null;
      id: string;
      createdAt: number;
      model: ServedModel | null;
      upload: UploadedImage | null;
      result: InferenceResult | null;
    },
  ): void {
    deps.log.enqueue({
      ...baseRecord(ctx.id, ctx.createdAt, ctx.userId, ctx.model, ctx.upload, ctx.result, performance.now() - ctx.startedAt),
      status: 'error',
      errorClass,
      foodName: null,
      confidence: null,
      detections: [],
      imageBytes: ctx.upload?.sizeBytes ?? ctx.bodyBytes,
    });
  }
}

export type PredictService = ReturnType<typeof createPredictService>;

/** The error class stored with a failed prediction: the rejection reason, or the error's name. */
export function errorClassOf(err: unknown): string {
  if (err instanceof ImageRejected) return err.reason;
  if (err instanceof AppError) return (err.details?.reason as string | undefined) ?? err.code.toLowerCase();
  return err instanceof Error ? err.name : 'unknown';
}

function baseRecord(
  id: string,
  createdAt: number,
  userId: string | null,
  model: ServedModel | null,
  upload: UploadedImage | null,
  result: InferenceResult | null,
  latencyMs: number,
): Omit<PredictionRecord, 'status' | 'errorClass' | 'foodName' | 'confidence' | 'detections'> {
  return {
    id,
    createdAt,
    userId,
    modelName: model?.name ?? null,
    modelVersion: model?.version ?? null,
    latencyMs,
    inferenceMs: result?.inferenceMs ?? null,
    imageWidth: upload?.width ?? null,
    imageHeight: upload?.height ?? null,
    imageBytes: upload?.sizeBytes ?? null,
    imageFormat: upload?.format ?? null,
    brightness: result?.stats.brightness ?? null,
    contrast: result?.stats.contrast ?? null,
    saturation: result?.stats.saturation ?? null,
    sharpness: result?.stats.sharpness ?? null,
  };
}
