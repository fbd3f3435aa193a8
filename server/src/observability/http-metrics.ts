// Times every HTTP answer: into the Prometheus histogram (by route template, so /api/v1/predictions/:id is one series
// whatever the id) and, except for the monitoring probes themselves, into the recent-requests window of the health
// endpoint (scrapes and probes every few seconds would otherwise be most of a quiet server's traffic).
import type { FastifyInstance } from 'fastify';
import type { AppMetrics } from './metrics.js';
import type { RecentWindow } from './recent-window.js';

/** Routes left out of the recent-requests window (they are still in http_request_duration_seconds). */
export const PROBE_ROUTES: ReadonlySet<string> = new Set(['/metrics', '/health', '/api/v1/mlops/monitoring/health']);

export function instrumentHttp(app: FastifyInstance, metrics: AppMetrics, recent: RecentWindow): void {
  app.addHook('onResponse', async (request, reply) => {
    // routeOptions.url is the template of the matched route; undefined when no route matched (the 404 handler)
    const route = request.routeOptions.url;
    const ms = reply.elapsedTime;
    metrics.observeHttpRequest(request.method, route, reply.statusCode, ms / 1000);
    if (route === undefined || !PROBE_ROUTES.has(route)) recent.record(ms, reply.statusCode >= 500);
  });
}
