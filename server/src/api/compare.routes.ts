// GET /api/v1/mlops/compare?model=food-detector&versions=1,2[&window=24h | &from=&to=]: model versions side by side;
// GET /api/v1/mlops/model-versions: every version with aliases, flavor, size, serving role and metrics.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ErrorBody,
  ModelVersionList,
  ModelVersionListQuery,
  TIME_WINDOW_MS,
  VersionCompareQuery,
  VersionComparison,
} from '@foodlens/contracts';
import { listModelVersionsWithServing, type ServingView } from '../comparison/model-versions.js';
import { compareVersions } from '../comparison/version-comparison.js';
import type { Database } from '../db/connection.js';

export async function compareRoutes(app: FastifyInstance, opts: { database: Database; serving?: ServingView }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/mlops/compare', {
    schema: {
      summary: 'Model versions side by side: volume, confidence, latency, errors, foods, realised accuracy, shadow agreement',
      querystring: VersionCompareQuery,
      response: { 200: VersionComparison, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ query }) => {
      const now = Date.now();
      const from = query.window ? now - TIME_WINDOW_MS[query.window] : query.from;
      const to = query.window ? now : query.to;
      return compareVersions(opts.database, { model: query.model, versions: query.versions, from, to, topFoods: query.top_foods });
    },
  });

  r.get('/api/v1/mlops/model-versions', {
    schema: {
      summary: 'Registered model versions with aliases, stage, flavor, size, serving role and serving metrics',
      querystring: ModelVersionListQuery,
      response: { 200: ModelVersionList, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ query }) => {
      const to = Date.now();
      const from = to - TIME_WINDOW_MS[query.window];
      const versions = await listModelVersionsWithServing(opts.database, { model: query.model, from, to, serving: opts.serving });
      return { window: query.window, model_versions: versions };
    },
  });
}
