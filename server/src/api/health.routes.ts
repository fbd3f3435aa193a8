// GET /health: liveness with the state of what a prediction depends on. Always 200 while the process serves;
// `status: degraded` says the database or model is not right, so a load balancer can tell the difference.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Health } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import type { PredictionLogWriter } from '../monitoring/prediction-log/prediction-log-writer.js';
import type { DeploymentSet } from '../deployments/deployment-set.js';
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
      let dbError: string | null = null;
      const dbOk = await deps.database.ping().catch((err: Error) => {
        dbError = err.message;
        return false;
      });
      if (!dbOk && !dbError) dbError = 'database did not answer';
      const model = deps.models.status();
      const log = deps.writer.stats();
      return {
        status: dbOk && model.loaded ? 'ok' : 'degraded',
        version: FOODLENS_VERSION,
        uptime_s: Math.round(process.uptime()),
        database: { ok: dbOk, dialect: deps.database.dialect, error: dbError },
        model,
        models: deps.models.statuses(),
        prediction_log: {
          queued: log.queued,
          written: log.written,
          dropped: log.dropped,
          failed_flushes: log.failedFlushes,
          last_error: log.lastError,
        },
      } as const;
    },
  });
}
