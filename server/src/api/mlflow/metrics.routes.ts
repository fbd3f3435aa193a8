// MLflow metric history endpoints: the full series (paged, as the client follows next_page_token) and the sampled
// multi-run series the UI charts use.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TrackingService } from '../../tracking/types.js';
import { int64, str, stringList } from './lenient.js';
import { requireRunId, RunRef } from './runs.routes.js';
import { metricJson, page, runMetricJson } from './to-json.js';

const GetHistory = z.object({
  ...RunRef,
  metric_key: str('metric_key').required(),
  max_results: int64('max_results').optional(),
  page_token: str('page_token').optional(),
});
const GetHistoryBulkInterval = z.object({
  run_ids: stringList('run_ids'),
  metric_key: str('metric_key').required(),
  start_step: int64('start_step').optional(),
  end_step: int64('end_step').optional(),
  max_results: int64('max_results').optional(),
});

export async function metricsRoutes(app: FastifyInstance, opts: { tracking: TrackingService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const t = opts.tracking;

  r.get('/metrics/get-history', { schema: { querystring: GetHistory } }, async (req) => {
    const q = req.query;
    const result = await t.getMetricHistory({
      runId: requireRunId(q),
      metricKey: q.metric_key,
      maxResults: q.max_results,
      pageToken: q.page_token,
    });
    return page('metrics', result.metrics.map(metricJson), result.nextPageToken);
  });

  r.get('/metrics/get-history-bulk-interval', { schema: { querystring: GetHistoryBulkInterval } }, async (req) => {
    const q = req.query;
    const metrics = await t.getMetricHistoryBulkInterval({
      runIds: q.run_ids,
      metricKey: q.metric_key,
      startStep: q.start_step,
      endStep: q.end_step,
      maxResults: q.max_results,
    });
    return page('metrics', metrics.map(runMetricJson), null);
  });
}
