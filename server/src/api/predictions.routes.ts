// GET /api/v1/predictions: the prediction log, newest first, cursor-paged; POST /api/v1/predictions/{id}/feedback:
// ground truth for one prediction; POST /api/v1/predictions/backfill: existing answers logged again at past times.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  BackfillBody,
  BackfillResponse,
  ErrorBody,
  FeedbackBody,
  FeedbackParams,
  FeedbackResponse,
  PredictionList,
  PredictionListQuery,
  type PredictionLogEntry,
} from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { backfillPredictions } from '../monitoring/prediction-log/backfill.js';
import { listPredictions } from '../monitoring/prediction-log/prediction-log.repository.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import { recordFeedback } from '../monitoring/feedback/feedback.js';

export interface PredictionsRouteOptions {
  database: Database;
  /** writes predictions still queued in the prediction-log writer, so feedback on a just-answered one finds it */
  flushPending?: () => Promise<void>;
  /** FOODLENS_RAW_RETENTION_DAYS: back-filled records older than this are refused */
  rawRetentionDays: number;
}

/** A full backfill request (5,000 records) is about 1.5 MB of JSON. */
const BACKFILL_BODY_LIMIT = 4 * 1024 * 1024;

export async function predictionsRoutes(app: FastifyInstance, opts: PredictionsRouteOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/api/v1/predictions/:id/feedback', {
    schema: {
      summary: 'Ground truth for a prediction: was it right, and if not, what was the food (a later answer replaces an earlier one)',
      params: FeedbackParams,
      body: FeedbackBody,
      response: { 200: FeedbackResponse, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ params, body }) => {
      const f = await recordFeedback(opts, { predictionId: params.id, correct: body.correct, label: body.label ?? null });
      return { prediction_id: f.predictionId, correct: f.correct, label: f.label, updated_time: f.updatedTime, replaced: f.replaced };
    },
  });

  r.post('/api/v1/predictions/backfill', {
    bodyLimit: BACKFILL_BODY_LIMIT,
    schema: {
      summary:
        'Log existing predictions again at past times and for other users (demo history, replayed traffic): each record copies a stored ' +
        "prediction's answer (or its shadow run's, with source.version) and sets the time, user, variant and latency; one transaction",
      body: BackfillBody,
      response: { 200: BackfillResponse, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ body }) => {
      const ids = await backfillPredictions(
        opts,
        body.records.map((r) => ({
          source: { predictionId: r.source.prediction_id, version: r.source.version },
          createdAt: r.created_at,
          userId: r.user_id,
          variant: r.variant,
          latencyMs: r.latency_ms,
          shadowOf: r.shadow_of,
        })),
      );
      return { inserted: ids.length, prediction_ids: ids };
    },
  });

  r.get('/api/v1/predictions', {
    schema: {
      summary: 'Recent predictions, newest first',
      querystring: PredictionListQuery,
      response: { 200: PredictionList, '4xx': ErrorBody },
    },
    handler: async (request) => {
      const page = await listPredictions(opts.database, request.query);
      return { predictions: page.items.map(toEntry), next_cursor: page.nextCursor };
    },
  });
}

export function toEntry(r: PredictionRecord): PredictionLogEntry {
  const hasImage = r.imageBytes !== null || r.imageWidth !== null;
  return {
    prediction_id: r.id,
    created_at: new Date(r.createdAt).toISOString(),
    user_id: r.userId,
    model: r.modelName && r.modelVersion ? { name: r.modelName, version: r.modelVersion } : null,
    variant: r.variant ?? null,
    shadow_of: r.shadowOf ?? null,
    status: r.status,
    error_class: r.errorClass,
    food_name: r.foodName,
    confidence: r.confidence,
    detections: r.detections,
    latency_ms: r.latencyMs,
    inference_ms: r.inferenceMs,
    image: hasImage
      ? {
          width: r.imageWidth,
          height: r.imageHeight,
          size_bytes: r.imageBytes,
          format: r.imageFormat,
          brightness: r.brightness,
          contrast: r.contrast,
          saturation: r.saturation,
          sharpness: r.sharpness,
        }
      : null,
  };
}
