// MLflow model-version endpoints (model_registry.proto: CreateModelVersion ... GetModelVersionDownloadUri).
// Thin: read the request leniently, call the registry, print MLflow's JSON.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/connection.js';
import * as registry from '../../registry/index.js';
import { bool, keyValue, objectList, str } from './lenient.js';
import { modelVersionJson } from './registry-json.js';
import { RegistrySearch } from './registry-models.routes.js';
import { page } from './to-json.js';

const CreateVersion = z.object({
  name: str('name').required(),
  source: str('source').required(),
  run_id: str('run_id').optional(),
  tags: objectList('tags', keyValue),
  run_link: str('run_link').optional(),
  description: str('description').optional(),
});
const Version = z.object({ name: str('name').required(), version: str('version').required() });
const Update = z.object({ name: str('name').required(), version: str('version').required(), description: str('description').optional() });
const Transition = z.object({
  name: str('name').required(),
  version: str('version').required(),
  stage: str('stage').required(),
  archive_existing_versions: bool('archive_existing_versions').required(),
});
const SetTag = z.object({
  name: str('name').required(),
  version: str('version').required(),
  key: str('key').required(),
  value: str('value').required(),
});
const DeleteTag = z.object({ name: str('name').required(), version: str('version').required(), key: str('key').required() });

export async function registryVersionsRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = opts.database;
  const versionAnswer = (v: registry.ModelVersionDetail) => ({ model_version: modelVersionJson(v) });

  r.post('/model-versions/create', { schema: { body: CreateVersion } }, async (req) => {
    const b = req.body;
    return versionAnswer(
      await registry.createModelVersion(db, {
        name: b.name,
        source: b.source,
        runId: b.run_id || null,
        // MLflow stores what protobuf read, "" for an absent description or run_link, and prints it.
        runLink: b.run_link ?? '',
        description: b.description ?? '',
        tags: b.tags,
      }),
    );
  });

  r.get('/model-versions/get', { schema: { querystring: Version } }, async (req) =>
    versionAnswer(await registry.getModelVersionDetail(db, req.query.name, req.query.version)),
  );

  r.get('/model-versions/search', { schema: { querystring: RegistrySearch } }, async (req) => {
    const q = req.query;
    const result = await registry.searchModelVersions(db, {
      filter: q.filter,
      maxResults: q.max_results,
      orderBy: q.order_by,
      pageToken: q.page_token,
    });
    return page('model_versions', result.items.map(modelVersionJson), result.nextPageToken);
  });

  // An absent description clears it, as in MLflow (protobuf reads it as "").
  r.patch('/model-versions/update', { schema: { body: Update } }, async (req) =>
    versionAnswer(await registry.updateModelVersion(db, req.body.name, req.body.version, { description: req.body.description ?? '' })),
  );

  r.delete('/model-versions/delete', { schema: { body: Version } }, async (req) => {
    await registry.deleteModelVersion(db, req.body.name, req.body.version);
    return {};
  });

  r.post('/model-versions/transition-stage', { schema: { body: Transition } }, async (req) => {
    const b = req.body;
    return versionAnswer(await registry.transitionModelVersionStage(db, b.name, b.version, b.stage, b.archive_existing_versions));
  });

  r.get('/model-versions/get-download-uri', { schema: { querystring: Version } }, async (req) => ({
    artifact_uri: await registry.getModelVersionDownloadUri(db, req.query.name, req.query.version),
  }));

  r.post('/model-versions/set-tag', { schema: { body: SetTag } }, async (req) => {
    const b = req.body;
    await registry.setModelVersionTag(db, b.name, b.version, b.key, b.value);
    return {};
  });

  r.delete('/model-versions/delete-tag', { schema: { body: DeleteTag } }, async (req) => {
    await registry.deleteModelVersionTag(db, req.body.name, req.body.version, req.body.key);
    return {};
  });
}
