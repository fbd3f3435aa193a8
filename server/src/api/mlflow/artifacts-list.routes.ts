// GET mlflow/artifacts/list (the tracking side's listing, used by the UI and older clients; the 2.12 client lists
// through the artifact proxy instead). The listing itself is the artifact store's (artifacts/artifact-store.ts):
// entries named relative to the run's artifact root, `{root_uri}` alone when there are none.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listRunArtifacts, type ArtifactStore } from '../../artifacts/artifact-store.js';
import type { TrackingService } from '../../tracking/types.js';
import { str } from './lenient.js';
import { requireRunId, RunRef } from './runs.routes.js';

const ListArtifacts = z.object({ ...RunRef, path: str('path').optional(), page_token: str('page_token').optional() });

export interface ArtifactsListOptions {
  tracking: TrackingService;
  artifacts: ArtifactStore;
}

export async function artifactsListRoutes(app: FastifyInstance, opts: ArtifactsListOptions): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/artifacts/list', { schema: { querystring: ListArtifacts } }, async (req) => {
    const run = await opts.tracking.getRun(requireRunId(req.query));
    return listRunArtifacts(opts.artifacts, run.info.artifactUri, req.query.path);
  });
}
