// Deployments for any registered model, end to end over HTTP on every database: a user's ONNX colour classifier
// registered as `colours` is deployed with PUT and predicted with ?model= (or the form field / X-Model header) next to
// food-detector, split stickily with a challenger, stopped and unloaded when the registered model is deleted or
// renamed, and found by a second instance polling the store.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeploymentState, ErrorBody, Health, PredictResponse } from '@foodlens/contracts';
import { insertFirstRevision } from '../src/deployments/deployment.repository.js';
import { createInferenceEngine, type InferenceWorkerPool } from '../src/inference/index.js';
import { describeEachDatabase, useTestDatabase } from './databases.js';
import { eventually, multipart, startTestApp, type TestApp } from './app-harness.js';
import { COLOUR_LABELS, colourClassifierOnnx } from './fixtures/onnx-models.js';
import { photo } from './photos.js';

const SPEC = { task: 'classification', labels: [...COLOUR_LABELS], input: { width: 32, height: 32 }, output: { activation: 'none' } };
const banana = photo('E010');
let red: Buffer;
let green: Buffer;
let engine: InferenceWorkerPool;
let otherEngine: InferenceWorkerPool;

beforeAll(async () => {
  const solid = (r: number, g: number, b: number) => sharp({ create: { width: 64, height: 48, channels: 3, background: { r, g, b } } }).jpeg().toBuffer();
  red = await solid(230, 20, 20);
  green = await solid(20, 220, 30);
  engine = createInferenceEngine({ workers: 1 });
  otherEngine = createInferenceEngine({ workers: 1 });
});
afterAll(async () => {
  await engine?.close();
  await otherEngine?.close();
});

describeEachDatabase((td) => {
  describe('deployments of a user model', () => {
    const db = useTestDatabase(td);
    const apps: TestApp[] = [];
    // instances on one store share the artifact location, as they must in production (model files live there)
    let artifacts = '';
    beforeEach(() => {
      artifacts = mkdtempSync(path.join(os.tmpdir(), 'foodlens-artifacts-'));
    });
    afterEach(async () => {
      for (const t of apps.splice(0)) await t.close();
      rmSync(artifacts, { recursive: true, force: true });
    });
    const start = async (pool: InferenceWorkerPool, pollMs = 60_000, shadowPool = pool) => {
      const t = await startTestApp({ MLFLOW_ARTIFACT_LOCATION: artifacts }, { database: db(), engine: pool, shadowEngine: shadowPool, deploymentPollMs: pollMs });
      apps.push(t);
      return t;
    };

    const register = async (t: TestApp, name: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/mlops/register-model',
        ...multipart([
          { name: 'name', value: name },
          { name: 'spec', value: JSON.stringify(SPEC) },
          { name: 'file', value: colourClassifierOnnx(), filename: 'colours.onnx', type: 'application/octet-stream' },
        ]),
      });
      expect(res.statusCode, res.body).toBe(201);
      return String(res.json().version);
    };
    const put = (t: TestApp, body: object) => t.app.inject({ method: 'PUT', url: '/api/v1/mlops/deployment', payload: body });
    const predictRaw = (t: TestApp, image: Buffer, opts: { model?: string; user?: string; header?: string } = {}) =>
      t.app.inject({
        method: 'POST',
        url: opts.model === undefined ? '/api/v1/predict' : `/api/v1/predict?model=${encodeURIComponent(opts.model)}`,
        headers: { 'content-type': 'image/jpeg', ...(opts.user ? { 'x-user-id': opts.user } : {}), ...(opts.header ? { 'x-model': opts.header } : {}) },
        payload: image,
      });
    const predict = async (t: TestApp, image: Buffer, opts: { model?: string; user?: string; header?: string } = {}) => {
      const res = await predictRaw(t, image, opts);
      expect(res.statusCode, res.body).toBe(200);
      return PredictResponse.parse(res.json());
    };
    const logged = () =>
      db().db.selectFrom('predictions').select(['id', 'model_name', 'model_version', 'variant', 'status', 'error_class', 'user_id', 'shadow_of']).execute();

    it('PUT deploys `colours`, ?model= predicts with it next to food-detector, a challenger splits users stickily, DELETE stops it', async () => {
      const t = await start(engine, 60_000, otherEngine);
      await register(t, 'colours');

      // not deployed yet: a clear 404, logged as a failed prediction
      const early = await predictRaw(t, red, { model: 'colours' });
      expect(early.statusCode).toBe(404);
      expect(ErrorBody.parse(early.json()).error).toMatchObject({ reason: 'model_not_deployed', message: expect.stringMatching(/colours is not deployed/) });
      const unknown = await predictRaw(t, red, { model: 'no-such-model' });
      expect(unknown.statusCode).toBe(404);
      await eventually(async () => ((await logged()).filter((r) => r.error_class === 'model_not_deployed').length === 2 ? true : undefined), 5000);

      // first deployment: the champion is required (no alias yet), must be registered and servable
      const noChampion = await put(t, { model: 'colours' });
      expect(noChampion.statusCode).toBe(400);
      expect(ErrorBody.parse(noChampion.json()).error.message).toMatch(/no deployment and no champion alias/);
      expect((await put(t, { model: 'colours', champion: '7' })).statusCode).toBe(400);
      expect((await put(t, { model: 'never-registered', champion: '1' })).statusCode).toBe(404);
      const created = await put(t, { model: 'colours', champion: 1 });
      expect(created.statusCode, created.body).toBe(200);
      expect(DeploymentState.parse(created.json())).toMatchObject({
        model: 'colours',
        revision: 1,
        config: { champion: '1', challengers: [], shadow: null },
        versions: [{ version: '1', roles: ['champion'], loaded: true, in_flight: 0 }],
      });
      const alias = await t.app.inject({ url: '/api/2.0/mlflow/registered-models/alias?name=colours&alias=champion' });
      expect(alias.json().model_version.version).toBe('1');

      // the query, the form field and the header name the model; food-detector stays the default
      const viaQuery = await predict(t, red, { model: 'colours', user: 'u1' });
      expect(viaQuery).toMatchObject({ food_name: 'tomato', model: { name: 'colours', version: '1', variant: 'champion' } });
      expect((await predict(t, green, { header: 'colours' })).food_name).toBe('broccoli');
      const form = await t.app.inject({
        method: 'POST',
        url: '/api/v1/predict',
        ...multipart([{ name: 'file', value: red, filename: 'r.jpg', type: 'image/jpeg' }, { name: 'model', value: 'colours' }]),
      });
      expect(form.statusCode, form.body).toBe(200);
      expect(PredictResponse.parse(form.json()).model.name).toBe('colours');
      // precedence: query over header
      expect((await predict(t, red, { model: 'food-detector', header: 'colours' })).model.name).toBe('food-detector');
      const detector = await predict(t, banana, { user: 'u1' });
      expect(detector).toMatchObject({ food_name: 'banana', model: { name: 'food-detector', version: '1' } });

      // a challenger with weight 50 splits users, each keeping a version
      expect(await register(t, 'colours')).toBe('2');
      const split = await put(t, { model: 'colours', challengers: [{ version: '2', weight: 50 }] });
      expect(split.statusCode, split.body).toBe(200);
      expect(DeploymentState.parse(split.json())).toMatchObject({ revision: 2, config: { champion: '1', challengers: [{ version: '2', weight: 50 }] } });
      const seen = new Map<string, string>();
      for (let i = 0; i < 24; i++) {
        const p = await predict(t, red, { model: 'colours', user: `split-${i}` });
        expect(p.model.variant).toBe(p.model.version === '2' ? 'challenger' : 'champion');
        expect(p.food_name).toBe('tomato');
        seen.set(`split-${i}`, p.model.version);
      }
      expect(new Set(seen.values())).toEqual(new Set(['1', '2']));
      for (const [user, version] of [...seen].slice(0, 8)) expect((await predict(t, red, { model: 'colours', user })).model.version).toBe(version);
      // food-detector's deployment is untouched
      const fd = DeploymentState.parse((await t.app.inject({ url: '/api/v1/mlops/deployment?model=food-detector' })).json());
      expect(fd).toMatchObject({ revision: 1, config: { champion: '1', challengers: [] } });
      const health = Health.parse((await t.app.inject({ url: '/health' })).json());
      expect(health.status).toBe('ok');
      expect(health.models?.map((m) => [m.name, m.version])).toEqual([['food-detector', '1'], ['colours', '1']]);
      const rows = await eventually(async () => {
        const r = (await logged()).filter((x) => x.user_id?.startsWith('split-'));
        return r.length === 32 ? r : undefined;
      }, 5000);
      for (const r of rows) expect(r).toMatchObject({ model_name: 'colours', status: 'ok', variant: r.model_version === '2' ? 'challenger' : 'champion' });
      const compare = (await t.app.inject({ url: '/api/v1/mlops/model-versions?model=colours' })).json();
      expect(compare.model_versions.find((v: { version: string }) => v.version === '2')).toMatchObject({ serving: { roles: ['challenger 50%'], loaded: true } });

      // a shadow of colours runs after the response and is logged under colours
      expect((await put(t, { model: 'colours', shadow: { version: '2', sample_rate: 1 } })).statusCode).toBe(200);
      const served = await predict(t, red, { model: 'colours', user: 'shadowed' });
      expect(served.model).toEqual({ name: 'colours', version: '1', variant: 'champion' });
      const shadowRow = await eventually(async () => (await logged()).find((r) => r.shadow_of === served.prediction_id), 10_000);
      expect(shadowRow).toMatchObject({ model_name: 'colours', model_version: '2', variant: 'shadow', status: 'ok' });
      const withShadow = DeploymentState.parse((await t.app.inject({ url: '/api/v1/mlops/deployment?model=colours' })).json());
      expect(withShadow.shadow_runs.started).toBe(1);
      expect((await predict(t, banana)).model.name).toBe('food-detector');
      expect(DeploymentState.parse((await t.app.inject({ url: '/api/v1/mlops/deployment?model=food-detector' })).json()).shadow_runs.started).toBe(0);

      // deleting the registered model through MLflow takes its deployment along: 404, versions unloaded
      expect(engine.isLoaded('colours', '1') && otherEngine.isLoaded('colours', '2')).toBe(true);
      const del = await t.app.inject({ method: 'DELETE', url: '/api/2.0/mlflow/registered-models/delete', payload: { name: 'colours' } });
      expect(del.statusCode, del.body).toBe(200);
      await eventually(async () => ((await predictRaw(t, red, { model: 'colours' })).statusCode === 404 ? true : undefined), 5000);
      await eventually(async () => (!engine.isLoaded('colours', '1') && !otherEngine.isLoaded('colours', '2') ? true : undefined), 5000);
      expect((await t.app.inject({ url: '/api/v1/mlops/deployment?model=colours' })).statusCode).toBe(404);
      expect(Health.parse((await t.app.inject({ url: '/health' })).json()).models?.map((m) => m.name)).toEqual(['food-detector']);
      expect((await predict(t, banana)).model.name).toBe('food-detector');
    }, 180_000);

    it('a second instance serves a deployment it finds by polling the store, and follows a rename', async () => {
      const a = await start(engine, 100);
      const b = await start(otherEngine, 100);
      await register(a, 'colours');
      // as another process would deploy it: rows only, no registry event in this process
      await db().db.transaction().execute(async (trx) => {
        const config = JSON.stringify({ champion: '1', challengers: [], shadow: null });
        expect(await insertFirstRevision(trx, 'colours', config, Date.now(), 'deployed elsewhere')).toBe(true);
        await trx.insertInto('registered_model_aliases').values({ name: 'colours', alias: 'champion', version: 1 }).execute();
      });
      for (const t of [a, b]) {
        const p = await eventually(async () => {
          const res = await predictRaw(t, red, { model: 'colours' });
          return res.statusCode === 200 ? PredictResponse.parse(res.json()) : undefined;
        }, 10_000);
        expect(p).toMatchObject({ food_name: 'tomato', model: { name: 'colours', version: '1', variant: 'champion' } });
      }
      expect(otherEngine.isLoaded('colours', '1')).toBe(true);

      // a rename moves the deployment with the name (foreign keys cascade): the old name stops, the new one serves
      const rename = await a.app.inject({ method: 'POST', url: '/api/2.0/mlflow/registered-models/rename', payload: { name: 'colours', new_name: 'hues' } });
      expect(rename.statusCode, rename.body).toBe(200);
      for (const t of [a, b]) {
        await eventually(async () => ((await predictRaw(t, red, { model: 'colours' })).statusCode === 404 ? true : undefined), 10_000);
        const p = await eventually(async () => {
          const res = await predictRaw(t, green, { model: 'hues' });
          return res.statusCode === 200 ? PredictResponse.parse(res.json()) : undefined;
        }, 10_000);
        expect(p).toMatchObject({ food_name: 'broccoli', model: { name: 'hues', version: '1' } });
      }
      await eventually(async () => (!otherEngine.isLoaded('colours', '1') ? true : undefined), 5000);

      // an instance starting now serves every deployed model from its first request
      const c = await start(otherEngine);
      expect((await predict(c, red, { model: 'hues' })).food_name).toBe('tomato');
      expect((await predict(c, banana)).model.name).toBe('food-detector');
    }, 180_000);
  });
});
