// GET /api/v1/mlops/monitoring/performance: volume, errors, confidence, latency, realised and estimated accuracy over
// time, with the same range and filters as the other monitoring endpoints (api/monitoring.routes.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, PerformanceMonitoring, PerformanceMonitoringQuery } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { summarisePerformance } from '../monitoring/performance/performance-series.js';

export async function monitoringPerformanceRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/mlops/monitoring/performance', {
    schema: {
      summary: 'Requests, errors, mean confidence, latency p50/p95, realised and estimated (CBPE) accuracy over time',
      querystring: PerformanceMonitoringQuery,
      response: { 200: PerformanceMonitoring, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ query }) => summarisePerformance(opts.database, query),
  });
}
