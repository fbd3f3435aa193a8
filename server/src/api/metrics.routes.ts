// GET /metrics: this instance's Prometheus metrics in the text exposition format (see observability/metrics.ts).
import type { FastifyInstance } from 'fastify';
import type { AppMetrics } from '../observability/metrics.js';

export async function metricsRoutes(app: FastifyInstance, opts: { metrics: AppMetrics }): Promise<void> {
  app.get('/metrics', {
    schema: { summary: 'Prometheus metrics (text exposition format 0.0.4)' },
    handler: async (_request, reply) => {
      const body = await opts.metrics.metrics();
      return reply.type(opts.metrics.contentType).send(body);
    },
  });
}
