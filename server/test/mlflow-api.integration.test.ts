// The MLflow REST adapter over HTTP (app.inject), on every database: what MLflow clients rely on beyond the recorded
// transcript (both id spellings, lenient values, list query forms, the /ajax-api mirror, error bodies and statuses),
// and that no malformed request is ever answered 5xx (MLflow clients retry those for minutes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/connection.js';
import { startTestApp, type TestApp } from './app-harness.js';
import { describeEachDatabase } from './databases.js';

const API = '/api/2.0/mlflow';

describeEachDatabase((td) => {
  describe('MLflow REST adapter', () => {
    let database: Database;
    let t: TestApp;
    let runId: string;
    let experimentId: string;

    const post = (path: string, body: unknown) =>
      t.app.inject({ method: 'POST', url: `${API}/${path}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    const get = (pathAndQuery: string) => t.app.inject({ method: 'GET', url: `${API}/${pathAndQuery}` });

    beforeAll(async () => {
      database = await td.open();
      t = await startTestApp({}, { database });
      const exp = await post('experiments/create', { name: 'api', tags: [{ key: 'team', value: 'cv' }] });
      experimentId = exp.json<{ experiment_id: string }>().experiment_id;
      const run = await post('runs/create', { experiment_id: experimentId, run_name: 'r', start_time: '1700000000000' });
      runId = run.json<{ run: { info: { run_id: string } } }>().run.info.run_id;
    });
    afterAll(async () => {
      await t?.close();
      await database?.close();
    });

    it('serves /version as MLflow does, and the /ajax-api mirror', async () => {
      const v = await t.app.inject({ method: 'GET', url: '/version' });
      expect(v.statusCode).toBe(200);
      expect(v.headers['content-type']).toMatch(/^text\/plain/);
      expect(v.body).toBe('2.12.2');
      const d = await t.app.inject({ method: 'GET', url: '/ajax-api/2.0/mlflow/experiments/get?experiment_id=0' });
      expect(d.json()).toMatchObject({ experiment: { experiment_id: '0', name: 'Default', artifact_location: 'mlflow-artifacts:/0' } });
      // /health keeps FoodLens's JSON (the MLflow client never calls it; MLflow's own answers "OK")
      expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toHaveProperty('status');
    });

    it('accepts run_id or run_uuid, int64 strings, "NaN"/"Infinity" and ignores unknown fields', async () => {
      expect((await get(`runs/get?run_uuid=${runId}`)).json().run.info).toMatchObject({ run_id: runId, run_uuid: runId, start_time: 1_700_000_000_000 });
      expect((await get(`runs/get?run_id=${runId}&run_id=ignored`)).statusCode).toBe(200);
      for (const [value, step] of [['NaN', '1'], ['Infinity', 2], ['-Infinity', '3'], [0.25, 4]] as const) {
        const r = await post('runs/log-metric', { run_uuid: runId, key: 'x', value, timestamp: '1700000000001', step, surprise: { a: 1 } });
        expect(r.statusCode, r.body).toBe(200);
        expect(r.json()).toEqual({});
      }
      const h = await get(`metrics/get-history?run_uuid=${runId}&metric_key=x&max_results=25000`);
      expect(h.json().metrics.map((m: { value: unknown }) => m.value)).toEqual(['NaN', 1.7976931348623157e308, -1.7976931348623157e308, 0.25]);
      expect(h.body).toContain('1.7976931348623157e+308');
      const run = (await get(`runs/get?run_id=${runId}`)).json().run;
      expect(run.data.metrics).toEqual([{ key: 'x', value: 0.25, timestamp: 1_700_000_000_001, step: 4 }]);
      expect(run.inputs).toEqual({});
    });

    it('reads list query parameters as repeated keys, key[] and key[0]', async () => {
      const other = (await post('runs/create', { experiment_id: experimentId })).json().run.info.run_id as string;
      await post('runs/log-batch', { run_id: other, metrics: [{ key: 'x', value: 1, timestamp: 1, step: 9 }] });
      for (const q of [`run_ids=${runId}&run_ids=${other}`, `run_ids[]=${runId}&run_ids[]=${other}`, `run_ids[0]=${runId}&run_ids[1]=${other}`]) {
        const r = await get(`metrics/get-history-bulk-interval?${q}&metric_key=x&max_results=10`);
        expect(r.statusCode, r.body).toBe(200);
        expect(new Set(r.json().metrics.map((m: { run_id: string }) => m.run_id))).toEqual(new Set([runId, other]));
      }
    });

    it('answers errors in MLflow form with MLflow statuses', async () => {
      const missing = await get(`runs/get?run_id=${'0'.repeat(32)}`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${'0'.repeat(32)} not found` });
      const dup = await post('experiments/create', { name: 'api' });
      expect(dup.statusCode).toBe(400);
      expect(dup.json().error_code).toBe('RESOURCE_ALREADY_EXISTS');
      const required = await post('experiments/create', {});
      expect(required.statusCode).toBe(400);
      expect(required.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Missing value for required parameter 'name'" });
      const noRun = await post('runs/log-metric', { key: 'k', value: 1, timestamp: 1 });
      expect(noRun.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Missing value for required parameter 'run_id'" });
      const badJson = await t.app.inject({ method: 'POST', url: `${API}/runs/search`, headers: { 'content-type': 'application/json' }, payload: '{"experiment_ids": [' });
      expect(badJson.statusCode).toBe(400);
      expect(badJson.json().error_code).toBe('INVALID_PARAMETER_VALUE');
      const wrongType = await t.app.inject({ method: 'POST', url: `${API}/runs/search`, headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
      expect(wrongType.statusCode).toBe(400);
      expect(wrongType.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Bad Request. Content-Type must be one of ['application/json']." });
      const filter = await post('runs/search', { experiment_ids: [experimentId], filter: 'metrics.m >> 1' });
      expect(filter.statusCode).toBe(400);
      expect(filter.json().message).toMatch(/^Invalid comparator '>>'/);
      const noRoute = await post('runs/frobnicate', {});
      expect(noRoute.statusCode).toBe(404);
      expect(noRoute.json().error_code).toBe('ENDPOINT_NOT_FOUND');
      const renameDeleted = await post('experiments/create', { name: 'to-delete' });
      const id = renameDeleted.json().experiment_id as string;
      await post('experiments/delete', { experiment_id: id });
      const r = await post('experiments/update', { experiment_id: id, new_name: 'x' });
      expect(r.statusCode).toBe(400);
      expect(r.json().error_code).toBe('INVALID_STATE');
      // /api/v1 keeps FoodLens's own error shape
      const v1 = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
      expect(v1.statusCode).toBe(404);
      expect(v1.json()).toHaveProperty('error.code');
    });

    it('leaves empty lists out as MLflow does, and gives {} for a search without experiments', async () => {
      expect((await post('runs/search', { experiment_ids: [] })).json()).toEqual({});
      const exp = (await get(`experiments/get?experiment_id=0`)).json().experiment;
      expect(exp).not.toHaveProperty('tags');
      const created = (await post('runs/create', { experiment_id: experimentId, run_name: 'n' })).json().run;
      expect(created.data).toEqual({ tags: [{ key: 'mlflow.runName', value: 'n' }] });
      expect(created.info).not.toHaveProperty('end_time');
      expect(created.info).not.toHaveProperty('user_id');
    });

    it('lists a run\'s artifacts relative to its root (mlflow/artifacts/list)', async () => {
      const info = (await get(`runs/get?run_id=${runId}`)).json().run.info as { artifact_uri: string };
      const dest = info.artifact_uri.replace('mlflow-artifacts:/', '');
      const put = await t.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${dest}/notes/hello.txt`, headers: { 'content-type': 'text/plain' }, payload: 'hello' });
      expect(put.statusCode, put.body).toBe(200);
      expect((await get(`artifacts/list?run_id=${runId}`)).json()).toEqual({ root_uri: info.artifact_uri, files: [{ path: 'notes', is_dir: true }] });
      expect((await get(`artifacts/list?run_id=${runId}&path=notes`)).json()).toEqual({
        root_uri: info.artifact_uri,
        files: [{ path: 'notes/hello.txt', is_dir: false, file_size: 5 }],
      });
      expect((await get(`artifacts/list?run_id=${runId}&path=../../etc`)).statusCode).toBe(400);
    });

    describe('never answers 5xx to malformed requests', () => {
      const POSTS = [
        'experiments/create', 'experiments/search', 'experiments/update', 'experiments/delete', 'experiments/restore',
        'experiments/set-experiment-tag', 'runs/create', 'runs/update', 'runs/delete', 'runs/restore', 'runs/search',
        'runs/log-metric', 'runs/log-parameter', 'runs/set-tag', 'runs/delete-tag', 'runs/log-batch', 'runs/log-inputs',
        'runs/log-model',
      ];
      const GETS = ['experiments/get', 'experiments/get-by-name', 'experiments/search', 'runs/get', 'metrics/get-history', 'metrics/get-history-bulk-interval', 'artifacts/list'];
      const FIELDS = [
        'name', 'artifact_location', 'tags', 'experiment_id', 'experiment_ids', 'experiment_name', 'new_name', 'key', 'value',
        'run_id', 'run_uuid', 'user_id', 'run_name', 'start_time', 'end_time', 'status', 'timestamp', 'step', 'metrics',
        'params', 'datasets', 'model_json', 'filter', 'order_by', 'max_results', 'page_token', 'view_type', 'run_view_type',
        'metric_key', 'run_ids', 'start_step', 'end_step', 'path',
      ];
      const BAD_VALUES: unknown[] = [
        null, true, 0, -1, 1.5, 1e300, -9007199254740993, '', ' ', 'NaN', 'x'.repeat(300), "' or 1=1 --", '"; drop table runs; --',
        '\u0000', {}, { $ne: 1 }, [], [null], [{}], [{ key: {}, value: [] }], ['a', 1, null],
      ];
      const RAW_BODIES = ['{', '[]', '"x"', 'null', '1', '{"a":', '\u0000', '{"run_id": "\\ud800"}'];
      const FILTERS = [
        "metrics.acc > 1 or 1=1", "params.x = '1'; drop table runs", 'metrics.`a` >', "tags.`x = 'y'", '((', ')',
        "attributes.run_id IN ()", "attributes.start_time > 'yesterday'", "datasets.name = 1", 'metrics.a > 1e999',
        'metrics.a > -1e999', "metrics.a = NaN", `params.p = '${"'".repeat(1000)}'`, 'a'.repeat(100_000),
        Array.from({ length: 60 }, (_, i) => `params.p${i} = '1'`).join(' and '),
      ];

      function expectClean(res: { statusCode: number; body: string }, what: string) {
        expect(res.statusCode, `${what} -> ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          const body = JSON.parse(res.body) as { error_code?: unknown; message?: unknown };
          expect(typeof body.error_code, what).toBe('string');
          expect(typeof body.message, what).toBe('string');
        }
      }

      it('bad bodies: not JSON, not objects, wrong types, injection strings, on a real run too', async () => {
        for (const path of POSTS) {
          for (const raw of RAW_BODIES) {
            const res = await t.app.inject({ method: 'POST', url: `${API}/${path}`, headers: { 'content-type': 'application/json' }, payload: raw });
            expectClean(res, `${path} ${raw}`);
          }
          for (const v of BAD_VALUES) {
            const all = Object.fromEntries(FIELDS.map((f) => [f, v]));
            expectClean(await post(path, all), `${path} all=${JSON.stringify(v)}`);
            expectClean(await post(path, { ...all, run_id: runId, run_uuid: runId, experiment_id: experimentId }), `${path} real ids, rest=${JSON.stringify(v)}`);
          }
          expectClean(await t.app.inject({ method: 'POST', url: `${API}/${path}` }), `${path} no body`);
          expectClean(await t.app.inject({ method: 'POST', url: `${API}/${path}`, headers: { 'content-type': 'text/plain' }, payload: '{}' }), `${path} text/plain`);
          expectClean(await t.app.inject({ method: 'POST', url: `${API}/${path}`, headers: { 'content-type': 'application/json' }, payload: `{"name": "${'x'.repeat(1_200_000)}"}` }), `${path} too large`);
        }
      });

      it('bad query strings', async () => {
        const queries = ['', 'run_id=&experiment_id=', 'run_id=%00', `run_id=${runId}&metric_key=x&max_results=-5`, `run_id=${runId}&metric_key=x&max_results=abc`,
          `run_id=${runId}&metric_key=x&page_token=%%%`, 'experiment_id=1e3', 'experiment_id=-1', 'experiment_id=99999999999999999999', 'experiment_name[]=a&experiment_name[]=b',
          `run_ids=${'a'.repeat(40)}&metric_key=x&start_step=5&end_step=1`, `run_id=${runId}&path=..%2F..%2Fetc`, 'max_results=0', 'view_type=7', "filter=name%20%3D%20'x'%20or%201%3D1"];
        for (const path of GETS) for (const q of queries) expectClean(await get(`${path}?${q}`), `GET ${path}?${q}`);
      });

      it('bad filters and order_by in both searches', async () => {
        for (const filter of FILTERS) {
          expectClean(await post('runs/search', { experiment_ids: [experimentId], filter }), `runs filter ${filter.slice(0, 60)}`);
          expectClean(await post('experiments/search', { filter }), `experiments filter ${filter.slice(0, 60)}`);
          expectClean(await post('runs/search', { experiment_ids: [experimentId], order_by: [filter] }), `runs order_by ${filter.slice(0, 60)}`);
        }
        // the runs are still there: nothing was executed as SQL
        expect((await post('runs/search', { experiment_ids: [experimentId] })).json().runs.length).toBeGreaterThan(0);
      });
    });
  });
});
