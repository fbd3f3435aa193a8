// GET /api/v1/mlops/monitoring/predictions and /confidence: monitoring over a time range (from/to or window) with
// optional model, version and variant filters, read from the prediction-log rollups.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ConfidenceMonitoring,
  ConfidenceMonitoringQuery,
  ErrorBody,
  PredictionMonitoring,
  PredictionMonitoringQuery,
} from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { summariseConfidence } from '../monitoring/rollups/confidence-summary.js';
import { summarisePredictions } from '../monitoring/rollups/prediction-summary.js';

export async function monitoringRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/mlops/monitoring/predictions', {
    schema: {
      summary: 'Prediction counts by food, by day and by user (top N) over a time range',
      querystring: PredictionMonitoringQuery,
      response: { 200: PredictionMonitoring, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ query }) => summarisePredictions(opts.database, query),
  });

  r.get('/api/v1/mlops/monitoring/confidence', {
    schema: {
      summary: 'Confidence histogram, mean, quantiles and share below a threshold over a time range',
      querystring: ConfidenceMonitoringQuery,
      response: { 200: ConfidenceMonitoring, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ query }) => summariseConfidence(opts.database, query),
  });
}
