// GET /health: liveness with the state of what a prediction depends on. Always 200 while the process serves;
// `status: degraded` says the database or model is not right, so a load balancer can tell the difference.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Health } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import type { PredictionLogWriter } from '../monitoring/prediction-log/prediction-log-writer.js';
import type { DeploymentSet } from '../deployments/deployment-set.js';
import { checkDatabase, overallStatus, predictionLogCounters } from '../observability/health-checks.js';
import { FOODLENS_VERSION } from '../version.js';

export interface HealthDeps {
  database: Database;
  models: Pick<DeploymentSet, 'status' | 'statuses'>;
  writer: PredictionLogWriter;
}

export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/health', {
    schema: { summary: 'Liveness, database and model status', response: { 200: Health } },
    handler: async () => {
      const db = await checkDatabase(deps.database);
      const model = deps.models.status();
      return {
        status: overallStatus(db.ok, model),
        version: FOODLENS_VERSION,
        uptime_s: Math.round(process.uptime()),
        database: { ok: db.ok, dialect: deps.database.dialect, error: db.error },
        model,
        models: deps.models.statuses(),
        prediction_log: predictionLogCounters(deps.writer.stats()),
      } as const;
    },
  });
}
