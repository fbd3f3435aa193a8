// One persisted deployment per served model: the champion (the model's `champion` alias), weighted challengers and an
// optional shadow, with every revision kept for history and rollback. Changes are validated against the registry,
// loaded and warmed, persisted, then swapped in (deployment-router.ts), one at a time per instance. sync() follows
// what other instances and the registry did: a new revision in the store, or the champion alias moved through the
// MLflow API, which becomes a revision of its own. deployment-set.ts keeps one of these per deployed model.
import type { DeploymentConfig, DeploymentState, DeploymentUpdate } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import type { DeploymentRouter } from '../serving/deployment-router.js';
import type { ModelCatalog } from '../serving/model-catalog.js';
import type { ShadowStats } from '../serving/shadow-runner.js';
import { AppError, InvalidParameter, NotFound } from '../util/errors.js';
import { getChampionVersion, setChampionVersion } from './champion-alias.js';
import { configVersions, parseStoredConfig, toRouteTable, withChampion } from './deployment-config.js';
import { appendRevision, insertFirstRevision, selectDeployment, selectRevision, selectRevisions } from './deployment.repository.js';

export interface DeploymentServiceOptions {
  database: Database;
  catalog: ModelCatalog;
  router: DeploymentRouter;
  /** the model this service deploys */
  model: string;
  /** champion of the first deployment when the model has no `champion` alias yet, and the fallback when the stored
   * revision cannot be served at start; null (user models): no fallback, the model waits for a servable revision */
  defaultChampion: string | null;
  shadowStats: () => ShadowStats;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

interface Served {
  revision: number;
  config: DeploymentConfig;
  updatedTime: number;
}

export class DeploymentService {
  private served: Served | null = null;
  /** a stored revision that could not be served while nothing was serving: not retried every poll, and why */
  private unservable: { revision: number; reason: string } | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  /** warnings already logged, so a poll every few seconds does not repeat them */
  private readonly warned = new Set<string>();

  constructor(private readonly opts: DeploymentServiceOptions) {}

  /** Creates revision 1 at first start (champion = the alias, else the default version), then serves the stored one. */
  async start(): Promise<void> {
    const { database, model } = this.opts;
    const defaultChampion = this.opts.defaultChampion;
    if (defaultChampion === null) throw new Error(`model ${model}: start() needs a default champion; sync() follows a stored deployment`);
    await database.db.transaction().execute(async (trx) => {
      const alias = await getChampionVersion(trx, model);
      const config: DeploymentConfig = { champion: alias ?? defaultChampion, challengers: [], shadow: null };
      const created = await insertFirstRevision(trx, model, JSON.stringify(config), Date.now(), 'initial deployment');
      if (created && alias === null) await setChampionVersion(trx, model, config.champion);
    });
    await this.sync();
    if (!this.served) throw new Error(`model ${model}: no servable deployment (see the warnings above)`);
  }

  /**
   * Deploys a model that has no deployment yet: validates, loads and warms `config`, then writes it as revision 1 and
   * moves the `champion` alias. Another instance deploying the same model first is a concurrent change (400, retry).
   */
  async create(config: DeploymentConfig, comment: string): Promise<void> {
    const { database, catalog, router, model } = this.opts;
    await this.exclusive(async () => {
      const table = await toRouteTable(catalog, model, 1, config);
      const now = Date.now();
      await router.apply(table, async () => {
        await database.db.transaction().execute(async (trx) => {
          if (!(await insertFirstRevision(trx, model, JSON.stringify(config), now, comment))) {
            throw new AppError('INVALID_STATE', `model ${model} was deployed at the same time by another request; retry`, { reason: 'concurrent_change' });
          }
          await setChampionVersion(trx, model, config.champion);
        });
        this.served = { revision: 1, config, updatedTime: now };
      });
      this.opts.logger.info({ model, revision: 1, config, comment }, 'deployment created');
    });
  }

  /** The revision this instance serves, or null while none can be served. */
  servedRevision(): number | null {
    return this.served?.revision ?? null;
  }

  async get(model: string, history: number): Promise<DeploymentState> {
    this.check(model);
    const served = this.servedOrThrow();
    const rows = await selectRevisions(this.opts.database.db, model, history);
    return {
      model,
      revision: served.revision,
      updated_time: served.updatedTime,
      config: served.config,
      versions: this.opts.router.status().versions,
      shadow_runs: this.opts.shadowStats(),
      history: rows.map((r) => ({ revision: r.revision, config: parseStoredConfig(r.config), created_time: r.created_time, comment: r.comment })),
    };
  }

  /** Applies a new config; resolves once its versions are loaded, warmed and serving. */
  async update(body: DeploymentUpdate): Promise<DeploymentState> {
    this.check(body.model);
    await this.exclusive(async () => {
      const champion = body.champion ?? (await getChampionVersion(this.opts.database.db, body.model)) ?? this.servedOrThrow().config.champion;
      await this.change({ champion, challengers: body.challengers, shadow: body.shadow }, body.comment ?? 'update');
    });
    return this.get(body.model, 10);
  }

  /** Applies the revision before the current one again, as a new revision (a second rollback undoes the first). */
  async rollback(model: string): Promise<DeploymentState> {
    this.check(model);
    await this.exclusive(async () => {
      const db = this.opts.database.db;
      const row = await selectDeployment(db, model);
      const previous = row ? await selectRevision(db, model, row.revision - 1) : undefined;
      if (!row || !previous) throw new InvalidParameter(`model ${model} has no earlier deployment revision to roll back to`, { reason: 'no_previous_revision' });
      await this.change(parseStoredConfig(previous.config), `rollback to revision ${previous.revision}`);
    });
    return this.get(model, 10);
  }

  /**
   * Follows the store: serves its revision if another instance wrote a newer one, turns a champion alias moved
   * elsewhere into a new revision, and warns (once) when a served version left the registry. Never throws.
   */
  sync(): Promise<void> {
    return this.exclusive(async () => {
      try {
        await this.followRevision();
        await this.followChampionAlias();
        await this.checkServedVersionsExist();
      } catch (err) {
        this.warnOnce(`sync:${(err as Error).message}`, { err }, 'deployment sync failed; serving what is loaded');
      }
    });
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  /** Validates, loads and warms `config`, writes it as the next revision (moving the alias), then swaps it in. */
  private async change(config: DeploymentConfig, comment: string, baseRevision?: number): Promise<void> {
    const { database, catalog, router, model } = this.opts;
    const table = await toRouteTable(catalog, model, 0, config);
    const now = Date.now();
    await router.apply(table, async () => {
      const revision = await database.db.transaction().execute(async (trx) => {
        const live = await selectDeployment(trx, model);
        if (!live) throw new NotFound(`model ${model} has no deployment`);
        // A change derived from what this instance serves (following the alias) is stale once the store has moved on:
        // another instance made the same change first.
        if (baseRevision !== undefined && live.revision !== baseRevision) {
          throw new AppError('INVALID_STATE', `the deployment of ${model} moved on to revision ${live.revision}`, { reason: 'concurrent_change' });
        }
        const next = await appendRevision(trx, model, live.revision, JSON.stringify(config), now, comment);
        if (next === null) {
          throw new AppError('INVALID_STATE', `the deployment of ${model} was changed at the same time by another request; retry`, { reason: 'concurrent_change' });
        }
        await setChampionVersion(trx, model, config.champion);
        return next;
      });
      table.revision = revision;
      this.served = { revision, config, updatedTime: now };
      this.unservable = null;
    });
    this.opts.logger.info({ model, revision: table.revision, config, comment }, 'deployment applied');
  }

  private async followRevision(): Promise<void> {
    const { database, catalog, router, model } = this.opts;
    const row = await selectDeployment(database.db, model);
    if (!row || row.revision === this.served?.revision || row.revision === this.unservable?.revision) return;
    const config = parseStoredConfig(row.config);
    try {
      const table = await toRouteTable(catalog, model, row.revision, config);
      await router.apply(table);
      this.served = { revision: row.revision, config, updatedTime: row.updated_time };
      this.unservable = null;
      this.opts.logger.info({ model, revision: row.revision, config }, 'deployment followed from the store');
    } catch (err) {
      if (this.served) {
        this.warnOnce(`revision:${row.revision}`, { err, model, revision: row.revision }, 'cannot serve the stored deployment revision; keeping the current one');
        return;
      }
      if (this.opts.defaultChampion === null) {
        // A user model has no version to fall back on: it waits for a new revision (loads are not retried every poll).
        this.unservable = { revision: row.revision, reason: (err as Error).message };
        this.warnOnce(`revision:${row.revision}`, { err, model, revision: row.revision }, 'cannot serve the stored deployment revision; the model is not served until its deployment changes');
        return;
      }
      // Nothing serves yet (first start, and the stored revision names a version that is gone): serve the default.
      this.opts.logger.warn({ err, model, revision: row.revision }, `cannot serve the stored deployment; serving version ${this.opts.defaultChampion} until it changes`);
      const fallback: DeploymentConfig = { champion: this.opts.defaultChampion, challengers: [], shadow: null };
      await router.apply(await toRouteTable(catalog, model, row.revision, fallback));
      this.served = { revision: row.revision, config: fallback, updatedTime: row.updated_time };
    }
  }

  private async followChampionAlias(): Promise<void> {
    const served = this.served;
    if (!served) return;
    const alias = await getChampionVersion(this.opts.database.db, this.opts.model);
    if (alias === served.config.champion) return;
    if (alias === null) {
      this.warnOnce(`alias-gone:${served.revision}`, { model: this.opts.model, version: served.config.champion }, 'the champion alias was removed; serving the last champion until the deployment changes');
      return;
    }
    try {
      await this.change(withChampion(served.config, alias), `champion alias moved to version ${alias}`, served.revision);
    } catch (err) {
      // another instance wrote the same change first; the next sync follows it
      if (err instanceof AppError && err.details?.reason === 'concurrent_change') return;
      this.warnOnce(`alias:${alias}`, { err, model: this.opts.model, version: alias }, 'the champion alias points at a version that cannot be served; keeping the current champion');
    }
  }

  private async checkServedVersionsExist(): Promise<void> {
    const served = this.served;
    if (!served) return;
    const versions = configVersions(served.config);
    const rows = await this.opts.database.db
      .selectFrom('model_versions')
      .select('version')
      .where('name', '=', this.opts.model)
      .where('version', 'in', versions.map(Number))
      .execute();
    const present = new Set(rows.map((r) => String(r.version)));
    for (const v of versions) {
      if (!present.has(v)) {
        this.warnOnce(`deleted:${served.revision}:${v}`, { model: this.opts.model, version: v }, 'a served model version was deleted from the registry; it keeps serving until the deployment changes');
      }
    }
  }

  private check(model: string): void {
    if (model !== this.opts.model) throw new NotFound(`model ${model} is not deployed here (this instance serves ${this.opts.model})`);
  }

  private servedOrThrow(): Served {
    if (!this.served && this.unservable) {
      const { revision, reason } = this.unservable;
      throw new AppError('SERVICE_UNAVAILABLE', `the deployment of ${this.opts.model} (revision ${revision}) cannot be served: ${reason}; PUT a new one`, { reason: 'unservable_deployment' });
    }
    if (!this.served) throw new AppError('SERVICE_UNAVAILABLE', 'no deployment is serving yet');
    return this.served;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private warnOnce(key: string, obj: object, msg: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.opts.logger.warn(obj, msg);
  }
}
