// The request path of POST /api/v1/predict: the model asked for (default food-detector) must be deployed -> decode ->
// its deployment router picks the version -> run it -> answer, and
// hand one record to the prediction log (failed predictions too, with their error class). A sampled request also gets
// a shadow run, started by the caller once the response is sent.
import type { PredictResponse } from '@foodlens/contracts';
import { decodeUpload, ImageRejected, type UploadedImage } from '../images/decode.js';
import type { DecodedImage, InferenceResult } from '../inference/types.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import { AppError } from '../util/errors.js';
import { uuidv7 } from '../util/ids.js';
import type { Route } from './deployment-router.js';
import { answerDetections } from './food-detections.js';
import { errorRecord, okRecord } from './prediction-record.js';
import type { ShadowReservation } from './shadow-runner.js';

export interface PredictionSink {
  /** must be synchronous and never throw: logging never fails or delays a prediction */
  enqueue(record: PredictionRecord): boolean;
}

export interface PredictDeps {
  log: PredictionSink;
  /** the model of a request that names none */
  defaultModel: string;
  /** throws a 404 AppError when the model is not deployed (checked before the upload is decoded) */
  requireDeployed(model: string): void;
  /** which version of the model answers this request (sticky per user) */
  resolve(model: string, userId: string | null): Route;
  /** runs a resolved route; called in the same tick as resolve */
  run(route: Route, image: DecodedImage): Promise<InferenceResult>;
  /** samples the request (answered by `route`) for a shadow run of the model's shadow version; null when it gets none */
  reserveShadow(route: Route, image: DecodedImage): ShadowReservation | null;
  maxImagePixels: number;
}

export interface PredictInput {
  body: Buffer;
  userId: string | null;
  /** the model asked for; null: the default */
  model?: string | null;
  /** when the request started, so logged latency includes upload parsing */
  startedAt?: number;
}

export interface PredictOutcome {
  response: PredictResponse;
  /** call once the response has been sent: starts the shadow run, if this request was sampled */
  afterResponse: (() => void) | null;
}

export class InferenceFailed extends AppError {
  constructor(message: string) {
    super('INTERNAL_ERROR', message, { reason: 'inference' });
  }
}

export function createPredictService(deps: PredictDeps) {
  return {
    async predict(input: PredictInput): Promise<PredictOutcome> {
      const started = input.startedAt ?? performance.now();
      const id = uuidv7();
      const createdAt = Date.now();
      let route: Route | null = null;
      let upload: UploadedImage | null = null;
      let result: InferenceResult | null = null;
      let shadow: ShadowReservation | null = null;
      const modelName = input.model ?? deps.defaultModel;
      try {
        deps.requireDeployed(modelName);
        upload = await decodeUpload(input.body, { maxPixels: deps.maxImagePixels });
        // resolve, reserve and run in one tick: a swap in between could retire the resolved version
        route = deps.resolve(modelName, input.userId);
        // before run(): the engine takes ownership of the pixel buffer
        shadow = deps.reserveShadow(route, upload.pixels);
        try {
          result = await deps.run(route, upload.pixels);
        } catch (err) {
          throw new InferenceFailed(`model ${route.name}/${route.version} failed: ${(err as Error).message}`);
        }
        const detections = answerDetections(route.spec, result.detections, upload.width, upload.height);
        const top = detections[0] ?? null;
        const latencyMs = performance.now() - started;
        const model = { name: route.name, version: route.version };
        deps.log.enqueue(okRecord({ id, createdAt, userId: input.userId, model, variant: route.variant, upload, result, latencyMs }, detections));
        const served = { predictionId: id, userId: input.userId, upload };
        const reserved = shadow;
        return {
          response: {
            prediction_id: id,
            food_name: top?.label ?? null,
            confidence: top?.confidence ?? 0,
            detections,
            model: { ...model, variant: route.variant },
            processing_time_ms: Math.round(latencyMs * 100) / 100,
            image: { width: upload.width, height: upload.height, size_bytes: upload.sizeBytes, format: upload.format },
          },
          afterResponse: reserved ? () => reserved.start(served) : null,
        };
      } catch (err) {
        shadow?.cancel();
        const model = route ? { name: route.name, version: route.version } : null;
        deps.log.enqueue(
          errorRecord(
            { id, createdAt, userId: input.userId, model, variant: route?.variant ?? null, upload, result, latencyMs: performance.now() - started },
            errorClassOf(err),
            input.body.length,
          ),
        );
        throw err;
      }
    },

    /** Logs a request that failed before it reached predict() (no file, too large, unreadable body). */
    logRejected(errorClass: string, ctx: { userId: string | null; startedAt: number; bodyBytes: number | null }): void {
      deps.log.enqueue(
        errorRecord(
          { id: uuidv7(), createdAt: Date.now(), userId: ctx.userId, model: null, variant: null, upload: null, result: null, latencyMs: performance.now() - ctx.startedAt },
          errorClass,
          ctx.bodyBytes,
        ),
      );
    },
  };
}

export type PredictService = ReturnType<typeof createPredictService>;

/** The error class stored with a failed prediction: the rejection reason, or the error's name. */
export function errorClassOf(err: unknown): string {
  if (err instanceof ImageRejected) return err.reason;
  if (err instanceof AppError) return (err.details?.reason as string | undefined) ?? err.code.toLowerCase();
  return err instanceof Error ? err.name : 'unknown';
}
