// The MLflow tracking REST API (2.0) over the tracking service, under /api/2.0/mlflow and its UI mirror
// /ajax-api/2.0/mlflow, plus GET /version. Errors on these prefixes get MLflow's {error_code, message} body from
// api/error-handler.ts. The artifact proxy (/api/2.0/mlflow-artifacts) is a separate plugin.
import type { FastifyInstance } from 'fastify';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import type { TrackingService } from '../../tracking/types.js';
import { artifactsListRoutes } from './artifacts-list.routes.js';
import { experimentsRoutes } from './experiments.routes.js';
import { metricsRoutes } from './metrics.routes.js';
import { normalizeQuery } from './query.js';
import { registryModelsRoutes } from './registry-models.routes.js';
import { registryVersionsRoutes } from './registry-versions.routes.js';
import { runLoggingRoutes } from './run-logging.routes.js';
import { runsRoutes } from './runs.routes.js';

export const MLFLOW_API_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;
/** The MLflow version whose REST API this server speaks (what MLflow's own GET /version answers). */
export const MLFLOW_COMPATIBLE_VERSION = '2.12.2';

export interface MlflowRoutesOptions {
  tracking: TrackingService;
  /** the artifact proxy's store, for mlflow/artifacts/list */
  artifacts: ArtifactStore;
}

export async function mlflowRoutes(app: FastifyInstance, opts: MlflowRoutesOptions): Promise<void> {
  for (const prefix of MLFLOW_API_PREFIXES) {
    await app.register(
      async (scope) => {
        scope.addHook('preValidation', async (request) => {
          if (request.query && typeof request.query === 'object') {
            request.query = normalizeQuery(request.query as Record<string, unknown>);
          }
        });
        await scope.register(experimentsRoutes, opts);
        await scope.register(runsRoutes, opts);
        await scope.register(runLoggingRoutes, opts);
        await scope.register(metricsRoutes, opts);
        await scope.register(artifactsListRoutes, opts);
        await scope.register(registryModelsRoutes, { database: opts.tracking.database });
        await scope.register(registryVersionsRoutes, { database: opts.tracking.database });
      },
      { prefix },
    );
  }

  // MLflow answers its version as plain text; tools use it to check what they talk to.
  app.get('/version', async (_request, reply) => reply.type('text/plain; charset=utf-8').send(MLFLOW_COMPATIBLE_VERSION));
}
