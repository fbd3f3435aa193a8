// GET /api/v1/predictions: the prediction log, newest first, cursor-paged.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, PredictionList, PredictionListQuery, type PredictionLogEntry } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { listPredictions } from '../monitoring/prediction-log/prediction-log.repository.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';

export async function predictionsRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/predictions', {
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
