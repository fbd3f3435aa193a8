// Every deployed model of this instance: one DeploymentService + DeploymentRouter per model, sharing the inference
// engine, the shadow engine and the shadow runner. The default model (food-detector) is deployed at start as before;
// every other model with a row in `deployments` is served too, found at start and by sync() (another instance may
// deploy a model, so the table is polled for names not served here). PUT for a registered model without a deployment
// creates one. A deployment row that disappears (its registered model was deleted or renamed: the foreign key
// cascades) stops that model here: later requests for it answer 404 and its versions are unloaded once idle.
import type { DeploymentConfig, DeploymentState, DeploymentUpdate } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import type { DecodedImage, InferenceResult } from '../inference/types.js';
import { DeploymentRouter, type ModelStatus, type Route, type RouterEngine } from '../serving/deployment-router.js';
import type { ModelCatalog } from '../serving/model-catalog.js';
import type { ShadowReservation, ShadowRunner } from '../serving/shadow-runner.js';
import { InvalidParameter, NotFound } from '../util/errors.js';
import { getChampionVersion } from './champion-alias.js';
import { selectDeployment } from './deployment.repository.js';
import { DeploymentService } from './deployment.service.js';

export interface DeploymentSetOptions {
  database: Database;
  catalog: ModelCatalog;
  engine: RouterEngine;
  /** the shadow engine; called when a model first deploys a shadow, so it must return the same engine every time */
  shadowEngine: () => RouterEngine;
  shadows: ShadowRunner;
  /** deployed at start, and what a prediction naming no model uses */
  defaultModel: string;
  /** the default model's first champion when it has neither a deployment nor a `champion` alias */
  defaultChampion: string;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

interface Deployed {
  service: DeploymentService;
  router: DeploymentRouter;
}

export class DeploymentSet {
  private readonly deployed = new Map<string, Deployed>();
  /** adding and removing models run one at a time (a PUT creating a model and a poll finding it must not both add it) */
  private membership: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: DeploymentSetOptions) {}

  get defaultModel(): string {
    return this.opts.defaultModel;
  }

  /** Deploys the default model (throws when it cannot be served, as a server without it is useless), then the rest. */
  async start(): Promise<void> {
    const entry = this.entry(this.opts.defaultModel, this.opts.defaultChampion);
    await entry.service.start();
    this.deployed.set(this.opts.defaultModel, entry);
    await this.exclusive(() => this.reconcile());
  }

  /** Names of the deployed models, the default first. */
  models(): string[] {
    return [...this.deployed.keys()];
  }

  has(model: string): boolean {
    return this.deployed.has(model);
  }

  // ---- the request path (synchronous: resolve, reserve and run happen in one tick) -------------------------------

  /** Throws a 404 when `model` is not deployed here. */
  requireDeployed(model: string): void {
    if (!this.deployed.has(model)) throw notDeployed(model);
  }

  resolve(model: string, userId: string | null): Route {
    const d = this.deployed.get(model);
    if (!d) throw notDeployed(model);
    return d.router.resolve(userId);
  }

  run(route: Route, image: DecodedImage): Promise<InferenceResult> {
    const d = this.deployed.get(route.name);
    if (!d) return Promise.reject(notDeployed(route.name));
    return d.router.run(route, image);
  }

  reserveShadow(route: Route, image: DecodedImage): ShadowReservation | null {
    const d = this.deployed.get(route.name);
    return d ? this.opts.shadows.reserve(d.router, image, route.version) : null;
  }

  // ---- the deployment API ------------------------------------------------------------------------------------

  async get(model: string, history: number): Promise<DeploymentState> {
    return (await this.deployedOrAdopt(model)).service.get(model, history);
  }

  /** Changes a model's deployment, creating it (revision 1) for a registered model that has none. */
  async update(body: DeploymentUpdate): Promise<DeploymentState> {
    const existing = this.deployed.get(body.model) ?? (await this.exclusive(() => this.adoptOrCreate(body)));
    if (existing === 'created') return this.deployedOrThrow(body.model).service.get(body.model, 10);
    return existing.service.update(body);
  }

  async rollback(model: string): Promise<DeploymentState> {
    return (await this.deployedOrAdopt(model)).service.rollback(model);
  }

  // ---- following the store -----------------------------------------------------------------------------------

  /** Starts and stops models to match the `deployments` table, then lets each follow its row. Never throws. */
  async sync(): Promise<void> {
    try {
      await this.exclusive(() => this.reconcile());
    } catch (err) {
      this.opts.logger.warn({ err }, 'reading the deployed models failed; serving what is loaded');
    }
    for (const d of [...this.deployed.values()]) await d.service.sync();
  }

  // ---- status --------------------------------------------------------------------------------------------------

  /** The default model's status (GET /health's `model`); not loaded when it is not deployed. */
  status(): ModelStatus {
    const d = this.deployed.get(this.opts.defaultModel);
    if (d) return d.router.status();
    return { name: this.opts.defaultModel, version: '', loaded: false, workers: this.opts.engine.size ?? 1, queue_depth: this.opts.engine.queueDepth?.() ?? 0, versions: [] };
  }

  /** Every deployed model's status, the default first. */
  statuses(): ModelStatus[] {
    return [...this.deployed.values()].map((d) => d.router.status());
  }

  /** Roles by version of a deployed model; empty for any other. */
  roles(model: string): Record<string, string[]> {
    return this.deployed.get(model)?.router.roles(model) ?? {};
  }

  /** Versions with a role in any deployment (the default model's champion first). */
  servedVersions(): Array<{ name: string; version: string }> {
    return this.statuses().flatMap((s) => s.versions.filter((v) => v.roles.length > 0).map((v) => ({ name: s.name, version: v.version })));
  }

  /** Waits for pending swaps and unloads (tests, shutdown). */
  async settled(): Promise<void> {
    await this.membership;
    await Promise.all([...this.deployed.values()].map((d) => d.router.settled()));
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private entry(model: string, defaultChampion: string | null): Deployed {
    const { database, catalog, engine, shadowEngine, shadows, logger } = this.opts;
    const router = new DeploymentRouter({ engine, shadowEngine, logger });
    const service = new DeploymentService({ database, catalog, router, model, defaultChampion, shadowStats: () => shadows.stats(model), logger });
    return { service, router };
  }

  /** Run under the membership lock. */
  private async reconcile(): Promise<void> {
    const rows = await this.opts.database.db.selectFrom('deployments').select('model_name').execute();
    const stored = new Set(rows.map((r) => r.model_name));
    for (const model of [...this.deployed.keys()]) if (!stored.has(model)) this.drop(model);
    for (const model of stored) if (!this.deployed.has(model)) await this.adopt(model);
  }

  /** Serves a model deployed in the store (by another instance, or before this start). Run under the lock. */
  private async adopt(model: string): Promise<Deployed> {
    // The default model keeps its fallback champion, as when it is deployed at start.
    const entry = this.entry(model, model === this.opts.defaultModel ? this.opts.defaultChampion : null);
    await entry.service.sync();
    this.deployed.set(model, entry);
    this.opts.logger.info({ model, revision: entry.service.servedRevision() }, 'serving a model deployed in the store');
    return entry;
  }

  private drop(model: string): void {
    const d = this.deployed.get(model);
    if (!d) return;
    this.deployed.delete(model);
    d.router.stop();
    this.opts.shadows.forget(model);
    this.opts.logger.info({ model }, 'the deployment was deleted (its registered model was deleted or renamed); the model is no longer served');
  }

  /** A model PUT names that this instance does not serve. Run under the lock. */
  private async adoptOrCreate(body: DeploymentUpdate): Promise<Deployed | 'created'> {
    const model = body.model;
    const known = this.deployed.get(model);
    if (known) return known;
    const db = this.opts.database.db;
    if (await selectDeployment(db, model)) return this.adopt(model);
    const registered = await db.selectFrom('registered_models').select('name').where('name', '=', model).executeTakeFirst();
    if (!registered) throw new NotFound(`model ${model} is not registered: register it first (POST /api/v1/mlops/register-model)`, { reason: 'unknown_model' });
    const champion = body.champion ?? (await getChampionVersion(db, model));
    if (champion === null) {
      throw new InvalidParameter(`model ${model} has no deployment and no champion alias: name the champion version in the first deployment`, { reason: 'invalid_deployment' });
    }
    const config: DeploymentConfig = { champion, challengers: body.challengers, shadow: body.shadow };
    const entry = this.entry(model, null);
    try {
      await entry.service.create(config, body.comment ?? 'initial deployment');
    } catch (err) {
      entry.router.stop();
      throw err;
    }
    this.deployed.set(model, entry);
    return 'created';
  }

  private async deployedOrAdopt(model: string): Promise<Deployed> {
    const known = this.deployed.get(model);
    if (known) return known;
    // deployed by another instance since the last poll: serve it now rather than answer 404 for a few seconds
    return this.exclusive(async () => {
      const again = this.deployed.get(model);
      if (again) return again;
      if (!(await selectDeployment(this.opts.database.db, model))) throw notDeployed(model);
      return this.adopt(model);
    });
  }

  private deployedOrThrow(model: string): Deployed {
    const d = this.deployed.get(model);
    if (!d) throw notDeployed(model);
    return d;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.membership.then(fn);
    this.membership = run.catch(() => undefined);
    return run;
  }
}

function notDeployed(model: string): NotFound {
  return new NotFound(`model ${model} is not deployed here: deploy a registered model with PUT /api/v1/mlops/deployment`, { reason: 'model_not_deployed' });
}
