// Which loaded version answers each request, and the hot-swap between deployment revisions.
//
// * resolve(userId): sticky per user (traffic-split.ts) over the current route table; run(route, image) counts the
//   request in flight on its version. Call run in the same tick as resolve: a swap in between could retire the version.
// * apply(table): loads and warms every version of the new table first, then swaps the table in one assignment, so a
//   request resolves against either the old table or the new one, never a mix. Versions the new table no longer uses
//   are unloaded once their last in-flight request has finished.
// * Shadow runs go to their own engine (created on first use): a shadow inference never sits in front of a served
//   request in a worker's queue. leaseShadow() holds the shadow version loaded until the shadow run is done.
// * One router per deployed model (deployments/deployment-set.ts); the engines are shared by all of them, which is
//   safe because an engine keys loaded versions by (name, version) and each router only loads and unloads its model.
// * stop(): the model is no longer deployed; every version is unloaded once its in-flight requests finish.
import type { DecodedImage, InferenceEngine, InferenceResult, ModelSpec } from '../inference/types.js';
import { AppError, InvalidParameter, NotFound, ServiceUnavailable } from '../util/errors.js';
import { bucketOf, pickArm } from './traffic-split.js';

export type ServedVariant = 'champion' | 'challenger';

export interface RoutedVersion {
  version: string;
  spec: ModelSpec;
}

/** One deployment revision, resolved to loadable specs. */
export interface RouteTable {
  name: string;
  revision: number;
  champion: RoutedVersion;
  /** weights in percent, sum <= 100 */
  challengers: ReadonlyArray<RoutedVersion & { weight: number }>;
  shadow: (RoutedVersion & { sampleRate: number }) | null;
}

export interface Route {
  name: string;
  version: string;
  variant: ServedVariant;
  spec: ModelSpec;
}

export type RouterEngine = InferenceEngine & { readonly size?: number; queueDepth?(): number };

export interface ShadowLease {
  name: string;
  version: string;
  spec: ModelSpec;
  /** runs the shadow version once, then releases the lease */
  run(image: DecodedImage): Promise<InferenceResult>;
  /** releases the lease without running */
  release(): void;
}

export interface VersionStatus {
  version: string;
  roles: string[];
  loaded: boolean;
  in_flight: number;
}

export interface ModelStatus {
  name: string;
  /** the champion */
  version: string;
  loaded: boolean;
  workers: number;
  queue_depth: number;
  versions: VersionStatus[];
}

type Pool = 'serve' | 'shadow';

interface Held {
  pool: Pool;
  name: string;
  version: string;
}

export interface DeploymentRouterOptions {
  engine: RouterEngine;
  /** the engine shadow runs use; called once, the first time a table has a shadow */
  shadowEngine: () => RouterEngine;
  logger?: { warn(obj: object, msg: string): void };
}

export class DeploymentRouter {
  private table: RouteTable | null = null;
  private shadowPool: RouterEngine | null = null;
  /** every version this router has loaded, by pool:version */
  private readonly held = new Map<string, Held>();
  private readonly inFlight = new Map<string, number>();
  /** held versions the current table no longer uses: unloaded when their in-flight count reaches 0 */
  private readonly retiring = new Set<string>();
  private readonly unloading = new Map<string, Promise<void>>();
  private applying: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: DeploymentRouterOptions) {}

  /** The table being served, or null before the first apply. */
  current(): RouteTable | null {
    return this.table;
  }

  /**
   * Loads and warms every version of `table`, runs `commit` (e.g. persisting the revision; a throw leaves the old
   * table serving), then swaps the table in and retires versions it no longer uses. Applies run one at a time.
   */
  apply(table: RouteTable, commit?: () => Promise<void>): Promise<void> {
    const run = this.applying.then(() => this.applyNow(table, commit));
    this.applying = run.catch(() => undefined);
    return run;
  }

  resolve(userId: string | null): Route {
    const t = this.table;
    if (!t) throw new ServiceUnavailable('no model deployment is loaded yet');
    const arms = t.challengers.map((c) => ({ weight: c.weight, target: c as RoutedVersion | null }));
    const picked = arms.length > 0 ? pickArm(arms, bucketOf(t.name, userId), null) : null;
    const chosen = picked ?? t.champion;
    if (!this.opts.engine.isLoaded(t.name, chosen.version)) {
      throw new ServiceUnavailable(`model ${t.name}/${chosen.version} is not loaded`);
    }
    return { name: t.name, version: chosen.version, variant: picked ? 'challenger' : 'champion', spec: chosen.spec };
  }

  /** Runs a resolved route, counting it in flight so a swap does not unload its version under it. */
  async run(route: Route, image: DecodedImage): Promise<InferenceResult> {
    const key = keyOf('serve', route.version);
    this.enter(key);
    try {
      return await this.opts.engine.run(route.name, route.version, image);
    } finally {
      this.leave(key);
    }
  }

  /** The current shadow and its sample rate, or null when the deployment has none. */
  shadow(): { version: string; sampleRate: number } | null {
    const s = this.table?.shadow;
    return s ? { version: s.version, sampleRate: s.sampleRate } : null;
  }

  /** Run requests waiting or running in the shadow engine. */
  shadowQueueDepth(): number {
    return this.shadowPool?.queueDepth?.() ?? 0;
  }

  /** Holds the current shadow version loaded for one run; null when there is no shadow. */
  leaseShadow(): ShadowLease | null {
    const t = this.table;
    const pool = this.shadowPool;
    if (!t?.shadow || !pool) return null;
    const { version, spec } = t.shadow;
    const key = keyOf('shadow', version);
    this.enter(key);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.leave(key);
    };
    return {
      name: t.name,
      version,
      spec,
      release,
      run: async (image) => {
        try {
          return await pool.run(t.name, version, image);
        } finally {
          release();
        }
      },
    };
  }

  status(): ModelStatus {
    const t = this.table;
    const engine = this.opts.engine;
    const versions = new Map<string, VersionStatus>();
    const add = (version: string, role: string | null, pool: Pool) => {
      const v = versions.get(version) ?? { version, roles: [], loaded: false, in_flight: 0 };
      if (role) v.roles.push(role);
      versions.set(version, v);
    };
    if (t) {
      add(t.champion.version, 'champion', 'serve');
      for (const c of t.challengers) add(c.version, `challenger ${c.weight}%`, 'serve');
      if (t.shadow) add(t.shadow.version, `shadow ${formatRate(t.shadow.sampleRate)}`, 'shadow');
    }
    for (const h of this.held.values()) add(h.version, null, h.pool);
    for (const v of versions.values()) {
      const serve = keyOf('serve', v.version);
      const shadow = keyOf('shadow', v.version);
      v.loaded =
        (this.held.has(serve) && engine.isLoaded(t?.name ?? '', v.version)) ||
        (this.held.has(shadow) && (this.shadowPool?.isLoaded(t?.name ?? '', v.version) ?? false));
      v.in_flight = (this.inFlight.get(serve) ?? 0) + (this.inFlight.get(shadow) ?? 0);
    }
    const champion = t?.champion.version ?? '';
    return {
      name: t?.name ?? '',
      version: champion,
      loaded: t !== null && engine.isLoaded(t.name, champion),
      workers: engine.size ?? 1,
      queue_depth: engine.queueDepth?.() ?? 0,
      versions: [...versions.values()].sort((a, b) => Number(a.version) - Number(b.version)),
    };
  }

  /** Roles by version ({ '1': ['champion'], '2': ['shadow 10%'] }) of the served model; empty for other models. */
  roles(model: string): Record<string, string[]> {
    if (this.table?.name !== model) return {};
    return Object.fromEntries(this.status().versions.map((v) => [v.version, v.roles]));
  }

  /**
   * Stops serving for good (the deployment was deleted): resolve() fails from now on, and every held version is
   * unloaded once its in-flight requests finish. An apply still loading is refused rather than left loaded.
   */
  stop(): void {
    this.stopped = true;
    this.table = null;
    for (const key of [...this.held.keys()]) this.retire(key);
  }

  /** Waits for pending unloads (tests, shutdown). */
  async settled(): Promise<void> {
    await this.applying;
    await Promise.all(this.unloading.values());
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private async applyNow(table: RouteTable, commit?: () => Promise<void>): Promise<void> {
    if (this.stopped) throw new NotFound(`model ${table.name} is no longer deployed`, { reason: 'model_not_deployed' });
    const wanted = wantedVersions(table);
    const fresh: string[] = [];
    try {
      await Promise.all(
        [...wanted].map(async ([key, { pool, spec }]) => {
          // an unload still finishing for this version must complete before it is loaded again
          await this.unloading.get(key);
          const engine = this.engineFor(pool);
          if (!this.held.has(key)) fresh.push(key);
          this.held.set(key, { pool, name: spec.name, version: spec.version });
          this.retiring.delete(key);
          try {
            await engine.load(spec);
          } catch (err) {
            // a registered file the runtime refuses is the deployment's problem, not the server's
            if (err instanceof AppError) throw err;
            throw new InvalidParameter(`model ${spec.name} version ${spec.version} could not be loaded: ${(err as Error).message}`, { reason: 'load_failed' });
          }
        }),
      );
      this.refuseIfStopped(table, wanted);
      await commit?.();
      this.refuseIfStopped(table, wanted);
    } catch (err) {
      // back to exactly what the serving table uses
      const keep = this.table ? wantedVersions(this.table) : new Map();
      for (const key of fresh) if (!keep.has(key)) this.retire(key);
      throw err;
    }
    this.table = table;
    for (const key of [...this.held.keys()]) if (!wanted.has(key)) this.retire(key);
  }

  /** stop() ran while `table` was loading (and found some of its versions not held yet): unload every one of them. */
  private refuseIfStopped(table: RouteTable, wanted: Map<string, { pool: Pool; spec: ModelSpec }>): void {
    if (!this.stopped) return;
    for (const [key, { pool, spec }] of wanted) {
      this.held.set(key, { pool, name: spec.name, version: spec.version });
      this.retire(key);
    }
    throw new NotFound(`model ${table.name} is no longer deployed`, { reason: 'model_not_deployed' });
  }

  private engineFor(pool: Pool): RouterEngine {
    if (pool === 'serve') return this.opts.engine;
    this.shadowPool ??= this.opts.shadowEngine();
    return this.shadowPool;
  }

  private enter(key: string): void {
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
  }

  private leave(key: string): void {
    const n = (this.inFlight.get(key) ?? 1) - 1;
    if (n > 0) {
      this.inFlight.set(key, n);
      return;
    }
    this.inFlight.delete(key);
    if (this.retiring.has(key)) this.unloadNow(key);
  }

  private retire(key: string): void {
    this.retiring.add(key);
    if (!this.inFlight.has(key)) this.unloadNow(key);
  }

  private unloadNow(key: string): void {
    const held = this.held.get(key);
    this.retiring.delete(key);
    if (!held) return;
    this.held.delete(key);
    const engine = held.pool === 'serve' ? this.opts.engine : this.shadowPool;
    if (!engine) return;
    const p = engine
      .unload(held.name, held.version)
      .catch((err: Error) => this.opts.logger?.warn({ err, model: held.name, version: held.version }, 'unloading a retired model version failed'))
      .finally(() => {
        if (this.unloading.get(key) === p) this.unloading.delete(key);
      });
    this.unloading.set(key, p);
  }
}

function keyOf(pool: Pool, version: string): string {
  return `${pool}:${version}`;
}

function wantedVersions(t: RouteTable): Map<string, { pool: Pool; spec: ModelSpec }> {
  const m = new Map<string, { pool: Pool; spec: ModelSpec }>();
  m.set(keyOf('serve', t.champion.version), { pool: 'serve', spec: t.champion.spec });
  for (const c of t.challengers) m.set(keyOf('serve', c.version), { pool: 'serve', spec: c.spec });
  if (t.shadow) m.set(keyOf('shadow', t.shadow.version), { pool: 'shadow', spec: t.shadow.spec });
  return m;
}

function formatRate(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
