// MLflow experiments endpoints (service.proto: CreateExperiment ... SetExperimentTag). Thin: read the request
// leniently, call the tracking service, print MLflow's JSON.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TrackingService } from '../../tracking/types.js';
import { int64, keyValue, objectList, str, stringList, viewType } from './lenient.js';
import { experimentJson, page } from './to-json.js';

const CreateExperiment = z.object({
  name: str('name').required(),
  artifact_location: str('artifact_location').optional(),
  tags: objectList('tags', keyValue),
});
const ExperimentId = z.object({ experiment_id: str('experiment_id').required() });
const ByName = z.object({ experiment_name: str('experiment_name').required() });
const SearchExperiments = z.object({
  max_results: int64('max_results').optional(),
  page_token: str('page_token').optional(),
  filter: str('filter').optional(),
  order_by: stringList('order_by'),
  view_type: viewType('view_type').optionalIgnoringInvalid(),
});
const UpdateExperiment = z.object({ experiment_id: str('experiment_id').required(), new_name: str('new_name').required() });
const SetExperimentTag = z.object({
  experiment_id: str('experiment_id').required(),
  key: str('key').required(),
  value: str('value').required(),
});

export async function experimentsRoutes(app: FastifyInstance, opts: { tracking: TrackingService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const t = opts.tracking;

  r.post('/experiments/create', { schema: { body: CreateExperiment } }, async (req) => {
    const b = req.body;
    return { experiment_id: await t.createExperiment({ name: b.name, artifactLocation: b.artifact_location, tags: b.tags }) };
  });

  r.get('/experiments/get', { schema: { querystring: ExperimentId } }, async (req) => ({
    experiment: experimentJson(await t.getExperiment(req.query.experiment_id)),
  }));

  r.get('/experiments/get-by-name', { schema: { querystring: ByName } }, async (req) => ({
    experiment: experimentJson(await t.getExperimentByName(req.query.experiment_name)),
  }));

  const search = async (q: z.output<typeof SearchExperiments>) => {
    const result = await t.searchExperiments({
      maxResults: q.max_results,
      pageToken: q.page_token,
      filter: q.filter,
      orderBy: q.order_by,
      viewType: q.view_type,
    });
    return page('experiments', result.experiments.map(experimentJson), result.nextPageToken);
  };
  // The client POSTs; a GET form is registered too, as in MLflow.
  r.post('/experiments/search', { schema: { body: SearchExperiments } }, async (req) => search(req.body));
  r.get('/experiments/search', { schema: { querystring: SearchExperiments } }, async (req) => search(req.query));

  r.post('/experiments/update', { schema: { body: UpdateExperiment } }, async (req) => {
    await t.renameExperiment(req.body.experiment_id, req.body.new_name);
    return {};
  });

  r.post('/experiments/delete', { schema: { body: ExperimentId } }, async (req) => {
    await t.deleteExperiment(req.body.experiment_id);
    return {};
  });

  r.post('/experiments/restore', { schema: { body: ExperimentId } }, async (req) => {
    await t.restoreExperiment(req.body.experiment_id);
    return {};
  });

  r.post('/experiments/set-experiment-tag', { schema: { body: SetExperimentTag } }, async (req) => {
    await t.setExperimentTag(req.body.experiment_id, { key: req.body.key, value: req.body.value });
    return {};
  });
}
