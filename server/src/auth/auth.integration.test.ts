// Authentication on the whole app (inject): every registered route has a role, one route of each class answers
// 401 / 403 / 200 as its role says (FoodLens's error body on /api/v1, MLflow's on /api/2.0), Bearer and Basic alike,
// predict open or closed by setting, whoami, the web app's files open, and no token in the log output even at debug.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, WhoAmI } from '@foodlens/contracts';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { photo } from '../../test/photos.js';
import { registerWeb } from '../api/web.js';
import { createInferenceEngine } from '../inference/index.js';
import type { InferenceEngine } from '../inference/types.js';
import { installAuth } from './install.js';

const ADMIN = 'adm1n-9f8e7d6c5b4a39281706';
const WRITER = 'wr1ter-9f8e7d6c5b4a39281706';
const READER = 'read3r-9f8e7d6c5b4a39281706';
const WRONG = 'wr0ng-9f8e7d6c5b4a39281706';
const TOKENS = `admin:${ADMIN}:alice,writer:${WRITER}:trainer,reader:${READER}`;

type Headers = Record<string, string>;
const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });
const basicCredentials = (token: string, user = 'mlflow-user') => Buffer.from(`${user}:${token}`).toString('base64');
const basic = (token: string, user?: string): Headers => ({ authorization: `Basic ${basicCredentials(token, user)}` });

/** A refused answer in FoodLens's body, with its code and reason. */
function expectRefused(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: 401 | 403, reason: string) {
  expect(res.statusCode).toBe(status);
  const body = ErrorBody.parse(res.json());
  expect(body.error).toMatchObject({ code: status === 401 ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED', reason });
  if (status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="FoodLens"/);
  else expect(res.headers['www-authenticate']).toBeUndefined();
  return body;
}

/** A refused answer in MLflow's body. */
function expectMlflowRefused(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: 401 | 403) {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toEqual({ error_code: status === 401 ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED', message: expect.any(String) });
  if (status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="FoodLens"/);
}

let engine: InferenceEngine;
beforeAll(() => {
  engine = createInferenceEngine({ workers: 1 });
});
afterAll(async () => engine?.close());

describe('with tokens configured', () => {
  let t: TestApp;
  const logs: string[] = [];
  beforeAll(async () => {
    // debug: Fastify logs every request at this level, which is where a header would leak
    t = await startTestApp(
      { FOODLENS_TOKENS: TOKENS, LOG_LEVEL: 'debug', FOODLENS_ALERT_INTERVAL_S: '0', FOODLENS_SERVING_METRICS_INTERVAL_S: '0' },
      { engine, logger: { level: 'debug', stream: { write: (line: string) => logs.push(line) } } },
    );
  });
  afterAll(async () => t?.close());
  const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Headers = {}, payload?: unknown) =>
    t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('gives every registered route a role (OpenAPI lists none the gate did not see)', async () => {
    const routes = t.app.accessGate.registeredRoutes();
    expect(routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(routes.length).toBeGreaterThan(150);
    // an independent list of the app's routes: each described operation was seen, with the access the table gives it
    const doc = (await inject('GET', '/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
    const seen = new Set(routes.map((r) => `${r.method} ${r.url}`));
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const url = p.replace(/\{([^}]+)\}/g, ':$1').replace(':*', '*');
        expect(seen.has(`${method.toUpperCase()} ${url}`), `${method} ${p}`).toBe(true);
      }
    }
    const access = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url)?.access;
    expect(access('POST', '/api/v1/predict')).toBe('predict');
    expect(access('GET', '/api/v1/auth/whoami')).toBe('open');
    expect(access('POST', '/ajax-api/2.0/mlflow/registered-models/rename')).toBe('admin');
    expect(access('HEAD', '/metrics')).toBe('reader');
  });

  it('whoami says a token is needed, and what each token may do', async () => {
    expect(WhoAmI.parse((await inject('GET', '/api/v1/auth/whoami')).json())).toEqual({
      auth_required: true,
      role: null,
      name: null,
      predict_requires_token: false,
    });
    expect((await inject('GET', '/api/v1/auth/whoami', bearer(READER))).json()).toMatchObject({ role: 'reader', name: null });
    expect((await inject('GET', '/api/v1/auth/whoami', basic(ADMIN))).json()).toMatchObject({ role: 'admin', name: 'alice' });
    expectRefused(await inject('GET', '/api/v1/auth/whoami', bearer(WRONG)), 401, 'invalid_token');
  });

  it('keeps liveness, the API reference and the web app open; an unknown URL is a plain 404', async () => {
    expect((await inject('GET', '/health')).statusCode).toBe(200);
    expect((await inject('GET', '/docs/json')).statusCode).toBe(200);
    expect((await inject('GET', '/')).statusCode).toBe(200);
    // a wrong token on an open route is not looked at
    expect((await inject('GET', '/health', bearer(WRONG))).statusCode).toBe(200);
    expect((await inject('GET', '/api/v1/no-such-thing')).statusCode).toBe(404);
  });

  it('reads need reader: 401 without a token or with a wrong one, 200 with any role, Bearer or Basic', async () => {
    for (const url of ['/api/v1/predictions', '/metrics', '/api/v1/mlops/monitoring/health', '/api/v1/mlops/deployment?model=food-detector']) {
      const none = expectRefused(await inject('GET', url), 401, 'missing_token');
      expect(none.error.message).toMatch(/A reader token is needed/);
      const wrong = await inject('GET', url, bearer(WRONG));
      expectRefused(wrong, 401, 'invalid_token');
      expect(wrong.headers['www-authenticate']).toBe('Bearer realm="FoodLens", error="invalid_token"');
      expectRefused(await inject('GET', url, { authorization: 'Negotiate abc' }), 401, 'invalid_token');
      for (const headers of [bearer(READER), basic(READER), bearer(WRITER), basic(ADMIN)]) {
        expect((await inject('GET', url, headers)).statusCode, `${url} ${headers.authorization!.split(' ')[0]}`).toBe(200);
      }
    }
  });

  it('MLflow routes refuse in MLflow\'s error body; tracking writes need writer, registry writes admin', async () => {
    expectMlflowRefused(await inject('GET', '/api/2.0/mlflow/experiments/get?experiment_id=0'), 401);
    expectMlflowRefused(await inject('GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', basic(WRONG)), 401);
    expect((await inject('GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', basic(READER))).statusCode).toBe(200);
    expect((await inject('POST', '/api/2.0/mlflow/runs/search', basic(READER), { experiment_ids: ['0'] })).statusCode).toBe(200);

    const create = { name: 'auth-test' };
    expectMlflowRefused(await inject('POST', '/api/2.0/mlflow/experiments/create', basic(READER), create), 403);
    const created = await inject('POST', '/api/2.0/mlflow/experiments/create', basic(WRITER), create);
    expect(created.statusCode).toBe(200);
    const experimentId = (created.json() as { experiment_id: string }).experiment_id;
    const run = await inject('POST', '/ajax-api/2.0/mlflow/runs/create', bearer(WRITER), { experiment_id: experimentId });
    expect(run.statusCode).toBe(200);
    // a soft delete is a delete: admin
    const runId = (run.json() as { run: { info: { run_id: string } } }).run.info.run_id;
    expectMlflowRefused(await inject('POST', '/api/2.0/mlflow/runs/delete', basic(WRITER), { run_id: runId }), 403);
    expect((await inject('POST', '/api/2.0/mlflow/runs/delete', basic(ADMIN), { run_id: runId })).statusCode).toBe(200);

    const model = { name: 'auth-test-model' };
    const denied = await inject('POST', '/api/2.0/mlflow/registered-models/create', basic(WRITER), model);
    expectMlflowRefused(denied, 403);
    expect((denied.json() as { message: string }).message).toBe('This needs the admin role; the token of trainer has the writer role.');
    expect((await inject('POST', '/api/2.0/mlflow/registered-models/create', basic(ADMIN), model)).statusCode).toBe(200);
    expect((await inject('GET', '/api/2.0/mlflow/registered-models/search', bearer(READER))).statusCode).toBe(200);
  });

  it('predict is open by default; feedback needs writer; the deployment needs admin', async () => {
    // open: no token, and a wrong one is not looked at
    const predicted = await t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg', ...bearer(WRONG) }, payload: photo('E010') });
    expect(predicted.statusCode).toBe(200);
    const id = (predicted.json() as { prediction_id: string }).prediction_id;
    const feedback = `/api/v1/predictions/${id}/feedback`;
    expectRefused(await inject('POST', feedback, {}, { correct: true }), 401, 'missing_token');
    const low = expectRefused(await inject('POST', feedback, bearer(READER), { correct: true }), 403, 'insufficient_role');
    expect(low.error.message).toBe('This needs the writer role; this token has the reader role.');
    expect((await inject('POST', feedback, bearer(WRITER), { correct: true })).statusCode).toBe(200);

    const deployment = { model: 'food-detector', champion: '1' };
    expectRefused(await inject('PUT', '/api/v1/mlops/deployment', bearer(READER), deployment), 403, 'insufficient_role');
    expectRefused(await inject('PUT', '/api/v1/mlops/deployment', basic(WRITER), deployment), 403, 'insufficient_role');
    expect((await inject('PUT', '/api/v1/mlops/deployment', basic(ADMIN), deployment)).statusCode).toBe(200);
    expectRefused(await inject('DELETE', '/api/v1/mlops/monitoring/drift/reference?model=food-detector&version=1', bearer(WRITER)), 403, 'insufficient_role');
  });

  it('writes no token to the log, even at debug, and redacts an Authorization header handed to the logger', async () => {
    t.app.log.info({ req: { headers: { authorization: `Bearer ${ADMIN}` } }, headers: { authorization: `Basic ${ADMIN}` } }, 'headers handed over');
    const output = logs.join('');
    // the requests above were logged (so a leak would show) ...
    expect(output).toContain('incoming request');
    expect(output).toContain('refused: invalid credentials');
    expect(output).toContain('[redacted]');
    // ... and no token appears, as sent or base64-encoded in Basic credentials
    for (const token of [ADMIN, WRITER, READER, WRONG]) {
      expect(output).not.toContain(token);
      expect(output).not.toContain(basicCredentials(token));
    }
  });
});

describe('with FOODLENS_PREDICT_REQUIRES_TOKEN=1', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ FOODLENS_TOKENS: TOKENS, FOODLENS_PREDICT_REQUIRES_TOKEN: '1', FOODLENS_ALERT_INTERVAL_S: '0', FOODLENS_SERVING_METRICS_INTERVAL_S: '0' }, { engine });
  });
  afterAll(async () => t?.close());

  it('predict needs a reader token, and whoami says so', async () => {
    const post = (headers: Headers) =>
      t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg', ...headers }, payload: photo('E010') });
    expectRefused(await post({}), 401, 'missing_token');
    expectRefused(await post(bearer(WRONG)), 401, 'invalid_token');
    expect((await post(bearer(READER))).statusCode).toBe(200);
    expect((await post(basic(WRITER))).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/auth/whoami' })).json()).toMatchObject({ auth_required: true, predict_requires_token: true });
  });
});

describe('without tokens (the default: loopback only)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ FOODLENS_PREDICT_REQUIRES_TOKEN: '1', FOODLENS_ALERT_INTERVAL_S: '0', FOODLENS_SERVING_METRICS_INTERVAL_S: '0' }, { engine });
  });
  afterAll(async () => t?.close());

  it('asks nobody for a token, and still has a role for every route', async () => {
    expect(t.app.accessGate.registeredRoutes().filter((r) => r.access === undefined)).toEqual([]);
    expect((await t.app.inject({ url: '/api/v1/auth/whoami' })).json()).toEqual({
      auth_required: false,
      role: 'admin',
      name: null,
      predict_requires_token: false,
    });
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(200);
    // an admin route, without a token
    const deployed = await t.app.inject({ method: 'PUT', url: '/api/v1/mlops/deployment', payload: { model: 'food-detector', champion: '1' } });
    expect(deployed.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg' }, payload: photo('E010') })).statusCode).toBe(200);
  });
});

describe("the web app's built files", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-auth-web-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>FoodLens</title>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are served without a token, each as a route with a role, while the API next to them is not', async () => {
    const app = Fastify({ logger: false });
    const gate = installAuth(app, { tokens: [{ role: 'admin', token: ADMIN, name: null }], predictRequiresToken: false });
    await registerWeb(app, dir);
    app.get('/api/v1/predictions', async () => ({ predictions: [] }));
    await app.ready();
    try {
      for (const url of ['/', '/index.html', '/assets/index-abc123.js', '/favicon.svg']) {
        expect((await app.inject({ url })).statusCode, url).toBe(200);
      }
      expect((await app.inject({ url: '/api/v1/predictions' })).statusCode).toBe(401);
      const routes = gate.registeredRoutes();
      expect(routes.filter((r) => r.access === undefined)).toEqual([]);
      expect(routes.find((r) => r.url === '/assets/index-abc123.js' && r.method === 'GET')?.access).toBe('open');
    } finally {
      await app.close();
    }
  });
});
