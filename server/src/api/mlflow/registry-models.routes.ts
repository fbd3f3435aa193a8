// MLflow registered-model endpoints (model_registry.proto: CreateRegisteredModel ... GetLatestVersions, aliases).
// Thin: read the request leniently, call the registry, print MLflow's JSON.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/connection.js';
import * as registry from '../../registry/index.js';
import { int64, keyValue, objectList, str, stringList } from './lenient.js';
import { modelVersionJson, registeredModelJson } from './registry-json.js';
import { page } from './to-json.js';

const Name = z.object({ name: str('name').required() });
const CreateModel = z.object({
  name: str('name').required(),
  tags: objectList('tags', keyValue),
  description: str('description').optional(),
});
export const RegistrySearch = z.object({
  filter: str('filter').optional(),
  max_results: int64('max_results').optional(),
  order_by: stringList('order_by'),
  page_token: str('page_token').optional(),
});
// new_name is checked by the registry ("Registered model name cannot be empty."), as MLflow's store does.
const Rename = z.object({ name: str('name').required(), new_name: str('new_name').optional() });
const Update = z.object({ name: str('name').required(), description: str('description').optional() });
const SetTag = z.object({ name: str('name').required(), key: str('key').required(), value: str('value').required() });
const DeleteTag = z.object({ name: str('name').required(), key: str('key').required() });
const SetAlias = z.object({ name: str('name').required(), alias: str('alias').required(), version: str('version').required() });
const Alias = z.object({ name: str('name').required(), alias: str('alias').required() });
const LatestVersions = z.object({ name: str('name').required(), stages: stringList('stages') });

export async function registryModelsRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = opts.database;
  const modelAnswer = (m: registry.RegisteredModel) => ({ registered_model: registeredModelJson(m) });

  r.post('/registered-models/create', { schema: { body: CreateModel } }, async (req) => {
    const b = req.body;
    return modelAnswer(await registry.createRegisteredModel(db, { name: b.name, description: b.description, tags: b.tags }));
  });

  r.get('/registered-models/get', { schema: { querystring: Name } }, async (req) => modelAnswer(await registry.getRegisteredModel(db, req.query.name)));

  r.get('/registered-models/search', { schema: { querystring: RegistrySearch } }, async (req) => {
    const q = req.query;
    const result = await registry.searchRegisteredModels(db, {
      filter: q.filter,
      maxResults: q.max_results,
      orderBy: q.order_by,
      pageToken: q.page_token,
    });
    return page('registered_models', result.items.map(registeredModelJson), result.nextPageToken);
  });

  r.post('/registered-models/rename', { schema: { body: Rename } }, async (req) =>
    modelAnswer(await registry.renameRegisteredModel(db, req.body.name, req.body.new_name ?? '')),
  );

  // An absent description clears it, as in MLflow (protobuf reads it as "").
  r.patch('/registered-models/update', { schema: { body: Update } }, async (req) =>
    modelAnswer(await registry.updateRegisteredModel(db, req.body.name, { description: req.body.description ?? '' })),
  );

  r.delete('/registered-models/delete', { schema: { body: Name } }, async (req) => {
    await registry.deleteRegisteredModel(db, req.body.name);
    return {};
  });

  r.post('/registered-models/set-tag', { schema: { body: SetTag } }, async (req) => {
    await registry.setRegisteredModelTag(db, req.body.name, req.body.key, req.body.value);
    return {};
  });

  r.delete('/registered-models/delete-tag', { schema: { body: DeleteTag } }, async (req) => {
    await registry.deleteRegisteredModelTag(db, req.body.name, req.body.key);
    return {};
  });

  r.post('/registered-models/alias', { schema: { body: SetAlias } }, async (req) => {
    await registry.setAlias(db, req.body.name, req.body.alias, req.body.version);
    return {};
  });

  r.delete('/registered-models/alias', { schema: { body: Alias } }, async (req) => {
    await registry.deleteAlias(db, req.body.name, req.body.alias);
    return {};
  });

  r.get('/registered-models/alias', { schema: { querystring: Alias } }, async (req) => ({
    model_version: modelVersionJson(await registry.getModelVersionByAlias(db, req.query.name, req.query.alias)),
  }));

  const latest = async (q: z.output<typeof LatestVersions>) =>
    page('model_versions', (await registry.getLatestVersions(db, q.name, q.stages)).map(modelVersionJson), null);
  // The client POSTs, and falls back to GET on ENDPOINT_NOT_FOUND; MLflow serves both.
  r.post('/registered-models/get-latest-versions', { schema: { body: LatestVersions } }, async (req) => latest(req.body));
  r.get('/registered-models/get-latest-versions', { schema: { querystring: LatestVersions } }, async (req) => latest(req.query));
}
