// GET /api/v1/mlops/monitoring/health: what this process is doing now, from memory plus a `select 1`: request and
// prediction rates, latency quantiles and error rates over the last 1 and 5 minutes, event-loop delay, memory, the
// store, the prediction log's queue, and every deployed model version with what loading it cost.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, MonitoringHealth } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import type { DeploymentSet } from '../deployments/deployment-set.js';
import type { InferenceEngine } from '../inference/types.js';
import type { PredictionLogWriter } from '../monitoring/prediction-log/prediction-log-writer.js';
import { checkDatabase, overallStatus, predictionLogCounters } from '../observability/health-checks.js';
import type { Observability } from '../observability/observability.js';
import { FOODLENS_VERSION } from '../version.js';

export interface MonitoringHealthDeps {
  database: Pick<Database, 'ping' | 'dialect'>;
  models: Pick<DeploymentSet, 'status' | 'statuses'>;
  engine: Pick<InferenceEngine, 'loadedModels'>;
  writer: Pick<PredictionLogWriter, 'stats'>;
  observability: Pick<Observability, 'startedAt' | 'requests' | 'predictions' | 'eventLoop'>;
}

export async function monitoringHealthRoutes(app: FastifyInstance, deps: MonitoringHealthDeps): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/mlops/monitoring/health', {
    schema: {
      summary: 'Live health of this instance: rates, latency quantiles, errors, event loop, memory, store, log queue, models',
      response: { 200: MonitoringHealth, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async () => {
      const db = await checkDatabase(deps.database);
      const obs = deps.observability;
      const now = Date.now();
      const log = deps.writer.stats();
      const memory = process.memoryUsage();
      const loaded = new Map(deps.engine.loadedModels().map((m) => [`${m.name}\u0000${m.version}`, m]));
      return {
        status: overallStatus(db.ok, deps.models.status()),
        version: FOODLENS_VERSION,
        started_at: new Date(obs.startedAt).toISOString(),
        uptime_s: Math.round((now - obs.startedAt) / 100) / 10,
        requests: { last_1m: obs.requests.summary(60), last_5m: obs.requests.summary(300) },
        predictions: { last_1m: obs.predictions.summary(60), last_5m: obs.predictions.summary(300) },
        event_loop: obs.eventLoop.summary(),
        memory: {
          rss_bytes: memory.rss,
          heap_used_bytes: memory.heapUsed,
          heap_total_bytes: memory.heapTotal,
          external_bytes: memory.external,
          array_buffers_bytes: memory.arrayBuffers,
        },
        database: {
          status: db.ok ? 'up' : 'down',
          dialect: deps.database.dialect,
          latency_ms: Math.round(db.latencyMs * 1000) / 1000,
          error: db.error,
        },
        prediction_log: {
          ...predictionLogCounters(log),
          last_flush_at: log.lastFlushAt === null ? null : new Date(log.lastFlushAt).toISOString(),
        },
        models: deps.models.statuses().map((s) => ({
          ...s,
          versions: s.versions.map((v) => {
            const info = loaded.get(`${s.name}\u0000${v.version}`);
            return {
              ...v,
              runtime: info?.runtime ?? null,
              load_ms: info ? Math.round(info.loadMs * 10) / 10 : null,
              memory_bytes: info ? Math.round(info.memoryBytes) : null,
            };
          }),
        })),
      } as const;
    },
  });
}
