// The deployment router end to end, on every database: sticky weighted splits, shadow runs after the response,
// hot-swaps under load, rollback, validation, and following the champion alias and other instances.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DeploymentState, ErrorBody, PredictResponse } from '@foodlens/contracts';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import { eventually, startTestApp, type TestApp } from '../../test/app-harness.js';
import { photo } from '../../test/photos.js';
import { builtinFoodModels, createInferenceEngine, type InferenceWorkerPool } from '../inference/index.js';
import type { InferenceEngine } from '../inference/types.js';
import { ensureModelVersion } from '../registry/registry.service.js';
import { DeploymentRouter } from '../serving/deployment-router.js';
import { ModelCatalog } from '../serving/model-catalog.js';
import { DeploymentService } from './deployment.service.js';

const MODEL = 'food-detector';
const banana = photo('E010');
let engine: InferenceWorkerPool;
let shadowEngine: InferenceWorkerPool;

beforeAll(async () => {
  engine = createInferenceEngine({ workers: 1 });
  shadowEngine = createInferenceEngine({ workers: 1 });
});
afterAll(async () => {
  await engine?.close();
  await shadowEngine?.close();
});

describeEachDatabase((td) => {
  const db = useTestDatabase(td);
  const apps: TestApp[] = [];
  const start = async (extra: { engine?: InferenceEngine; shadowEngine?: InferenceEngine; pollMs?: number } = {}) => {
    const t = await startTestApp({}, {
      database: db(),
      engine: extra.engine ?? engine,
      shadowEngine: extra.shadowEngine ?? shadowEngine,
      deploymentPollMs: extra.pollMs ?? 60_000,
      // a small bound, so the skip path is reached with a few requests
      maxPendingShadows: 2,
    });
    apps.push(t);
    return t;
  };
  const closeApps = async () => {
    for (const t of apps.splice(0)) await t.close();
  };

  const put = async (t: TestApp, body: object) => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/v1/mlops/deployment', payload: body });
    if (res.statusCode >= 500) console.error('PUT', res.body);
    return res;
  };
  const state = async (t: TestApp) => DeploymentState.parse((await t.app.inject({ method: 'GET', url: `/api/v1/mlops/deployment?model=${MODEL}` })).json());
  const predict = async (t: TestApp, user: string | null) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/predict',
      headers: { 'content-type': 'image/jpeg', ...(user ? { 'x-user-id': user } : {}) },
      payload: banana,
    });
    if (res.statusCode !== 200) throw new Error(`predict answered ${res.statusCode}: ${res.body}`);
    return PredictResponse.parse(res.json());
  };
  const rows = () =>
    db()
      .db.selectFrom('predictions')
      .select(['id', 'user_id', 'model_version', 'variant', 'shadow_of', 'status'])
      .execute();

  it('starts with champion = the configured default version and the champion alias set, revision 1', async () => {
    try {
      const t = await start();
      const s = await state(t);
      expect(s).toMatchObject({ model: MODEL, revision: 1, config: { champion: '1', challengers: [], shadow: null } });
      expect(s.history.map((h) => h.revision)).toEqual([1]);
      expect(s.versions).toEqual([{ version: '1', roles: ['champion'], loaded: true, in_flight: 0 }]);
      const alias = await db().db.selectFrom('registered_model_aliases').selectAll().execute();
      expect(alias).toEqual([{ name: MODEL, alias: 'champion', version: 1 }]);
      const res = await predict(t, 'alice');
      expect(res.model).toEqual({ name: MODEL, version: '1', variant: 'champion' });
    } finally {
      await closeApps();
    }
  });

  it('splits 2,000 users 70/30 within 3 points, each user keeping one version, and HTTP answers follow it', async () => {
    try {
      // the split as the router computes it, on the real store and catalog
      const router = new DeploymentRouter({ engine, shadowEngine: () => shadowEngine });
      const t = await start();
      const service = new DeploymentService({
        database: db(),
        catalog: new ModelCatalog(db(), t.config.artifactLocation),
        router,
        model: MODEL,
        defaultChampion: '1',
        shadowStats: () => ({ started: 0, skipped: 0, failed: 0 }),
        logger: { warn: () => undefined, info: () => undefined },
      });
      await service.start();
      await service.update({ model: MODEL, challengers: [{ version: '2', weight: 30 }], shadow: null });
      let challengers = 0;
      for (let i = 0; i < 2000; i++) {
        const first = router.resolve(`user-${i}`);
        for (let k = 0; k < 3; k++) expect(router.resolve(`user-${i}`).version).toBe(first.version);
        expect(first.variant).toBe(first.version === '2' ? 'challenger' : 'champion');
        if (first.version === '2') challengers++;
      }
      expect(Math.abs(challengers / 2000 - 0.3)).toBeLessThanOrEqual(0.03);

      // through HTTP on the app (which follows the same stored deployment after this PUT)
      const res = await put(t, { model: MODEL, challengers: [{ version: 2, weight: 30 }] });
      expect(res.statusCode).toBe(200);
      const seen = new Map<string, string>();
      for (let i = 0; i < 30; i++) {
        const user = `user-${i}`;
        const answer = await predict(t, user);
        expect(answer.model.version).toBe(router.resolve(user).version);
        expect(answer.model.variant).toBe(answer.model.version === '2' ? 'challenger' : 'champion');
        seen.set(user, answer.model.version);
      }
      expect(new Set(seen.values())).toEqual(new Set(['1', '2']));
      for (const user of [...seen.keys()].slice(0, 8)) expect((await predict(t, user)).model.version).toBe(seen.get(user));
      const logged = await eventually(async () => {
        const r = (await rows()).filter((x) => x.user_id?.startsWith('user-'));
        return r.length === 38 ? r : undefined;
      }, 5000);
      for (const r of logged) expect(r.variant).toBe(r.model_version === '2' ? 'challenger' : 'champion');
    } finally {
      await closeApps();
    }
  });

  it('runs the shadow at 100% after each response: one shadow row per served prediction, pointing at it', async () => {
    // The shadow engine is the real one behind a gate, so the test sees answers arriving while shadows are held.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated: InferenceEngine = {
      load: (s) => shadowEngine.load(s),
      unload: (n, v) => shadowEngine.unload(n, v),
      isLoaded: (n, v) => shadowEngine.isLoaded(n, v),
      loadedModels: () => shadowEngine.loadedModels(),
      close: async () => undefined,
      run: async (n, v, image) => {
        await gate;
        return shadowEngine.run(n, v, image);
      },
    };
    try {
      const t = await start({ shadowEngine: gated });
      expect((await put(t, { model: MODEL, shadow: { version: '2', sample_rate: 1 } })).statusCode).toBe(200);
      const served: string[] = [];
      // two requests: as many shadow runs as the bound lets wait
      for (const user of ['s1', 's2']) served.push((await predict(t, user)).prediction_id);
      // both answered while their shadow runs are still held
      await eventually(async () => ((await rows()).length === 2 ? true : undefined), 5000);
      expect((await rows()).every((r) => r.variant === 'champion')).toBe(true);
      const held = await state(t);
      expect(held.shadow_runs).toEqual({ started: 2, skipped: 0, failed: 0 });
      expect(held.versions.find((v) => v.version === '2')).toMatchObject({ roles: ['shadow 100%'], loaded: true, in_flight: 2 });
      // a third request finds the bound reached: it is answered, and its shadow skipped and counted
      served.push((await predict(t, 's3')).prediction_id);
      expect((await state(t)).shadow_runs.skipped).toBe(1);
      open();
      const shadowRows = await eventually(async () => {
        const r = (await rows()).filter((x) => x.variant === 'shadow');
        return r.length === 2 ? r : undefined;
      }, 10_000);
      expect(shadowRows.map((r) => r.shadow_of).sort()).toEqual(served.slice(0, 2).sort());
      for (const r of shadowRows) expect(r).toMatchObject({ model_version: '2', status: 'ok' });
      // once released, every served prediction gets its shadow (paced so the bound of 2 pending is not what is tested)
      for (const user of ['s4', 's5', 's6']) {
        served.push((await predict(t, user)).prediction_id);
        await eventually(async () => ((await state(t)).versions.find((v) => v.version === '2')?.in_flight === 0 ? true : undefined), 10_000);
      }
      expect((await state(t)).shadow_runs).toEqual({ started: 5, skipped: 1, failed: 0 });
      const all = await eventually(async () => {
        const r = (await rows()).filter((x) => x.variant === 'shadow');
        return r.length === 5 ? r : undefined;
      }, 10_000);
      expect(new Set(all.map((r) => r.shadow_of))).toEqual(new Set([...served.slice(0, 2), ...served.slice(3)]));
    } finally {
      open();
      await closeApps();
    }
  });

  it('gives no shadow run to a request answered by the shadow version itself (a challenger that is also the shadow)', async () => {
    try {
      const t = await start();
      // every user on the challenger v2, which is also the shadow at 100%
      expect((await put(t, { model: MODEL, challengers: [{ version: '2', weight: 100 }], shadow: { version: '2', sample_rate: 1 } })).statusCode).toBe(200);
      for (const user of ['c1', 'c2', 'c3']) expect((await predict(t, user)).model).toMatchObject({ version: '2', variant: 'challenger' });
      expect((await state(t)).shadow_runs).toEqual({ started: 0, skipped: 0, failed: 0 });
      // the champion's requests still get theirs
      expect((await put(t, { model: MODEL, challengers: [], shadow: { version: '2', sample_rate: 1 } })).statusCode).toBe(200);
      await predict(t, 'c4');
      await eventually(async () => ((await state(t)).shadow_runs.started === 1 ? true : undefined), 5000);
      const shadows = await eventually(async () => {
        const r = (await rows()).filter((x) => x.variant === 'shadow');
        return r.length === 1 ? r : undefined;
      }, 10_000);
      expect(shadows[0]).toMatchObject({ model_version: '2', user_id: 'c4' });
    } finally {
      await closeApps();
    }
  });

  it('hot-swaps the champion 1 -> 2 -> 1 under 4 looping clients with zero failed requests', async () => {
    try {
      const t = await start();
      let stop = false;
      const answered: string[] = [];
      const failures: string[] = [];
      const client = async (c: number) => {
        for (let i = 0; !stop; i++) {
          try {
            answered.push((await predict(t, `load-${c}-${i % 5}`)).model.version);
          } catch (err) {
            failures.push((err as Error).message);
          }
        }
      };
      const clients = [0, 1, 2, 3].map(client);
      await eventually(async () => (answered.length >= 4 ? true : undefined), 10_000);
      expect((await put(t, { model: MODEL, champion: '2' })).statusCode).toBe(200);
      const afterFirst = answered.length;
      await eventually(async () => (answered.length >= afterFirst + 4 ? true : undefined), 10_000);
      expect((await put(t, { model: MODEL, champion: 1 })).statusCode).toBe(200);
      const afterSecond = answered.length;
      await eventually(async () => (answered.length >= afterSecond + 4 ? true : undefined), 10_000);
      stop = true;
      await Promise.all(clients);
      expect(failures).toEqual([]);
      expect(answered.slice(afterFirst, afterSecond)).toContain('2');
      // requests resolved after the last swap answer from version 1 (the first few may have resolved before it)
      expect(answered.slice(afterSecond + 4)).not.toContain('2');
      const s = await state(t);
      expect(s.revision).toBe(3);
      // version 2 is unloaded once its last request finished
      await eventually(async () => (!engine.isLoaded(MODEL, '2') ? true : undefined), 5000);
      expect(s.versions.map((v) => v.version)).not.toContain('2');
    } finally {
      await closeApps();
    }
  });

  it('rolls back to the previous revision, moving the champion alias back; nothing before revision 1', async () => {
    try {
      const t = await start();
      const rollback = () => t.app.inject({ method: 'POST', url: '/api/v1/mlops/deployment/rollback', payload: { model: MODEL } });
      const none = await rollback();
      expect(none.statusCode).toBe(400);
      expect(ErrorBody.parse(none.json()).error.message).toMatch(/no earlier deployment revision/);
      expect((await put(t, { model: MODEL, challengers: [{ version: '2', weight: 30 }], comment: 'try nanodet' })).statusCode).toBe(200);
      expect((await put(t, { model: MODEL, champion: '2' })).statusCode).toBe(200);
      expect((await predict(t, 'r1')).model.version).toBe('2');
      const back = await rollback();
      expect(back.statusCode).toBe(200);
      const s = DeploymentState.parse(back.json());
      expect(s.revision).toBe(4);
      expect(s.config).toEqual({ champion: '1', challengers: [{ version: '2', weight: 30 }], shadow: null });
      expect(s.history.map((h) => [h.revision, h.comment])).toEqual([
        [4, 'rollback to revision 2'],
        [3, 'update'],
        [2, 'try nanodet'],
        [1, 'initial deployment'],
      ]);
      const alias = await db().db.selectFrom('registered_model_aliases').select('version').where('alias', '=', 'champion').executeTakeFirstOrThrow();
      expect(alias.version).toBe(1);
    } finally {
      await closeApps();
    }
  });

  it('answers invalid deployments with a 400 that says why, and keeps serving the current one', async () => {
    try {
      const t = await start();
      // registered, but with neither a built-in runtime nor a servable row
      await ensureModelVersion(db(), { name: MODEL, version: 3, source: 's3://nowhere' });
      const cases: Array<[object, RegExp]> = [
        [{ model: MODEL, challengers: [{ version: '2', weight: 80 }, { version: '3', weight: 30 }] }, /add up to 110%|not servable/],
        [{ model: MODEL, challengers: [{ version: '2', weight: 70 }, { version: '2', weight: 10 }] }, /twice/],
        [{ model: MODEL, challengers: [{ version: '2', weight: 12.5 }] }, /whole percents/],
        [{ model: MODEL, challengers: [{ version: '2', weight: 101 }] }, /challengers/],
        [{ model: MODEL, champion: '99' }, /has no version 99/],
        [{ model: MODEL, champion: '3' }, /version 3 is not servable/],
        [{ model: MODEL, champion: 'latest' }, /positive integers/],
        [{ model: MODEL, shadow: { version: '1', sample_rate: 0.5 } }, /shadow version must differ/],
        [{ model: MODEL, shadow: { version: '2', sample_rate: 1.5 } }, /sample_rate/],
        [{ model: MODEL, challengers: [], surprise: true }, /surprise|unrecognized/i],
      ];
      for (const [body, message] of cases) {
        const res = await put(t, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(ErrorBody.parse(res.json()).error.message, JSON.stringify(body)).toMatch(message);
      }
      const unknown = await put(t, { model: 'other-model' });
      expect(unknown.statusCode).toBe(404);
      const s = await state(t);
      expect(s.revision).toBe(1);
      expect(s.history).toHaveLength(1);
      expect((await predict(t, 'v')).model.version).toBe('1');
    } finally {
      await closeApps();
    }
  });

  it('follows the champion alias moved outside deployments, and another instance follows the store', async () => {
    const other = createInferenceEngine({ workers: 1 });
    try {
      const a = await start({ pollMs: 100 });
      const b = await start({ engine: other, pollMs: 100 });
      // as the MLflow API would: the alias row changes
      await db().db.updateTable('registered_model_aliases').set({ version: 2 }).where('name', '=', MODEL).where('alias', '=', 'champion').execute();
      for (const t of [a, b]) {
        const s = await eventually(async () => {
          const x = await state(t);
          return x.config.champion === '2' ? x : undefined;
        }, 10_000);
        expect(s.revision).toBe(2);
        expect(s.history[0]!.comment).toBe('champion alias moved to version 2');
        expect((await predict(t, 'z')).model).toEqual({ name: MODEL, version: '2', variant: 'champion' });
      }
      // a change through one instance reaches the other
      expect((await put(a, { model: MODEL, champion: '1', shadow: { version: '2', sample_rate: 0.25 } })).statusCode).toBe(200);
      const followed = await eventually(async () => {
        const x = await state(b);
        return x.revision === 3 ? x : undefined;
      }, 10_000);
      expect(followed.config).toEqual({ champion: '1', challengers: [], shadow: { version: '2', sample_rate: 0.25 } });
      expect((await predict(b, 'z')).model.version).toBe('1');
      expect(engine.isLoaded(MODEL, '1') && other.isLoaded(MODEL, '1')).toBe(true);
    } finally {
      await closeApps();
      await other.close();
    }
  });
});

it('builtins are food-detector 1 and 2', () => {
  expect(builtinFoodModels().map((s) => `${s.name}/${s.version}`)).toEqual(['food-detector/1', 'food-detector/2']);
});
