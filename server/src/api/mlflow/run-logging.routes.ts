// MLflow endpoints that write to a run: log-metric, log-parameter, set-tag, delete-tag, log-batch, log-inputs,
// log-model. The single-item calls go through the same batch path in the service.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TrackingService } from '../../tracking/types.js';
import { double, entry, int64, keyValue, metricList, objectList, str } from './lenient.js';
import { requireRunId, RunRef } from './runs.routes.js';

const LogMetric = z.object({
  ...RunRef,
  key: str('key').required(),
  value: double('value').required(),
  timestamp: int64('timestamp').required(),
  step: int64('step').optional(),
});
const KeyValueOnRun = z.object({ ...RunRef, key: str('key').required(), value: str('value').required() });
const DeleteTag = z.object({ ...RunRef, key: str('key').required() });

const LogBatch = z.object({
  ...RunRef,
  metrics: metricList('metrics'),
  params: objectList('params', keyValue),
  tags: objectList('tags', keyValue),
});

const DatasetInput = entry({
  tags: objectList('tags', keyValue),
  dataset: entry({
    name: str('name').required(),
    digest: str('digest').required(),
    source_type: str('source_type').required(),
    source: str('source').required(),
    schema: str('schema').optional(),
    profile: str('profile').optional(),
  }),
});
const LogInputs = z.object({ ...RunRef, datasets: objectList('datasets', DatasetInput) });
const LogModel = z.object({ ...RunRef, model_json: str('model_json').required() });

export async function runLoggingRoutes(app: FastifyInstance, opts: { tracking: TrackingService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const t = opts.tracking;

  r.post('/runs/log-metric', { schema: { body: LogMetric } }, async (req) => {
    const b = req.body;
    await t.logMetric(requireRunId(b), { key: b.key, value: b.value, timestamp: b.timestamp, step: b.step ?? 0 });
    return {};
  });

  r.post('/runs/log-parameter', { schema: { body: KeyValueOnRun } }, async (req) => {
    await t.logParam(requireRunId(req.body), { key: req.body.key, value: req.body.value });
    return {};
  });

  r.post('/runs/set-tag', { schema: { body: KeyValueOnRun } }, async (req) => {
    await t.setTag(requireRunId(req.body), { key: req.body.key, value: req.body.value });
    return {};
  });

  r.post('/runs/delete-tag', { schema: { body: DeleteTag } }, async (req) => {
    await t.deleteTag(requireRunId(req.body), req.body.key);
    return {};
  });

  r.post('/runs/log-batch', { schema: { body: LogBatch } }, async (req) => {
    const b = req.body;
    await t.logBatch({ runId: requireRunId(b), metrics: b.metrics, params: b.params, tags: b.tags });
    return {};
  });

  r.post('/runs/log-inputs', { schema: { body: LogInputs } }, async (req) => {
    const datasets = req.body.datasets.map((d) => ({
      tags: d.tags,
      dataset: {
        name: d.dataset.name,
        digest: d.dataset.digest,
        sourceType: d.dataset.source_type,
        source: d.dataset.source,
        schema: d.dataset.schema ?? null,
        profile: d.dataset.profile ?? null,
      },
    }));
    await t.logInputs(requireRunId(req.body), datasets);
    return {};
  });

  r.post('/runs/log-model', { schema: { body: LogModel } }, async (req) => {
    await t.logModel(requireRunId(req.body), req.body.model_json);
    return {};
  });
}
