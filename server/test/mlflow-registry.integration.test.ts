// The MLflow model-registry REST endpoints over HTTP (app.inject), on every database: each endpoint's answers and
// errors, alias and stage semantics, rename and delete cascades, and search filters, ordering and paging (including
// filters written to break out of their quotes, which must match literally or be refused, never run).
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/connection.js';
import { startTestApp, type TestApp } from './app-harness.js';
import { describeEachDatabase } from './databases.js';

const API = '/api/2.0/mlflow';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

describeEachDatabase((td) => {
  describe('MLflow model registry REST API', () => {
    let database: Database;
    let t: TestApp;
    let runId: string;
    let runArtifactUri: string;
    let counter = 0;
    /** a model name no other test uses */
    const fresh = (prefix = 'm') => `${prefix}-${++counter}`;

    const call = (method: Method, path: string, body?: unknown, prefix = API): Promise<LightMyRequestResponse> =>
      t.app.inject({
        method,
        url: `${prefix}/${path}`,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
      });
    const ok = async (method: Method, path: string, body?: unknown) => {
      const res = await call(method, path, body);
      expect(res.statusCode, `${method} ${path}: ${res.body}`).toBe(200);
      return res.json();
    };
    const fails = async (method: Method, path: string, body: unknown, status: number, code: string, message?: RegExp) => {
      const res = await call(method, path, body);
      expect(res.statusCode, `${method} ${path}: ${res.body}`).toBe(status);
      expect(res.json().error_code).toBe(code);
      if (message) expect(res.json().message).toMatch(message);
    };
    const q = (params: Record<string, string | string[]>) => {
      const s = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) s.append(k, x);
      return s.toString();
    };
    const createModel = (name: string, extra: object = {}) => ok('POST', 'registered-models/create', { name, ...extra });
    const createVersion = async (name: string, extra: object = {}) =>
      (await ok('POST', 'model-versions/create', { name, source: `s3://bucket/${name}`, ...extra })).model_version;

    beforeAll(async () => {
      database = await td.open();
      t = await startTestApp({}, { database });
      const run = await t.app.inject({
        method: 'POST',
        url: `${API}/runs/create`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ experiment_id: '0', run_name: 'trainer' }),
      });
      ({ run_id: runId, artifact_uri: runArtifactUri } = run.json().run.info);
    });
    afterAll(async () => {
      await t?.close();
      await database?.close();
    });

    describe('registered models', () => {
      it('creates, gets, updates and refuses a duplicate or a missing name', async () => {
        const name = fresh();
        const created = (await createModel(name, { description: 'first', tags: [{ key: 'team', value: 'cv' }] })).registered_model;
        expect(created).toEqual({
          name,
          creation_timestamp: expect.any(Number),
          last_updated_timestamp: created.creation_timestamp,
          description: 'first',
          tags: [{ key: 'team', value: 'cv' }],
        });
        expect((await ok('GET', `registered-models/get?name=${name}`)).registered_model).toEqual(created);
        await fails('POST', 'registered-models/create', { name }, 400, 'RESOURCE_ALREADY_EXISTS', new RegExp(`Registered Model \\(name=${name}\\) already exists`));
        await fails('POST', 'registered-models/create', {}, 400, 'INVALID_PARAMETER_VALUE', /Missing value for required parameter 'name'/);
        await fails('GET', `registered-models/get?name=${fresh('absent')}`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST', /not found/);

        const updated = (await ok('PATCH', 'registered-models/update', { name, description: 'second' })).registered_model;
        expect(updated.description).toBe('second');
        expect(updated.last_updated_timestamp).toBeGreaterThanOrEqual(created.last_updated_timestamp);
        // as in MLflow, an update without a description clears it (and an empty one is not printed)
        expect((await ok('PATCH', 'registered-models/update', { name })).registered_model).not.toHaveProperty('description');
        await fails('PATCH', 'registered-models/update', { name: fresh('absent'), description: 'x' }, 404, 'RESOURCE_DOES_NOT_EXIST');
      });

      it('sets, overwrites and deletes tags within MLflow limits', async () => {
        const name = fresh();
        await createModel(name);
        expect(await ok('POST', 'registered-models/set-tag', { name, key: 'k', value: 'v1' })).toEqual({});
        await ok('POST', 'registered-models/set-tag', { name, key: 'k', value: 'v2' });
        await ok('POST', 'registered-models/set-tag', { name, key: 'other', value: 'x' });
        expect((await ok('GET', `registered-models/get?name=${name}`)).registered_model.tags).toEqual([
          { key: 'k', value: 'v2' },
          { key: 'other', value: 'x' },
        ]);
        expect(await ok('DELETE', 'registered-models/delete-tag', { name, key: 'k' })).toEqual({});
        await ok('DELETE', 'registered-models/delete-tag', { name, key: 'never-set' });
        expect((await ok('GET', `registered-models/get?name=${name}`)).registered_model.tags).toEqual([{ key: 'other', value: 'x' }]);

        await fails('POST', 'registered-models/set-tag', { name, key: 'k'.repeat(251), value: 'v' }, 400, 'INVALID_PARAMETER_VALUE', /exceeded length limit of 250/);
        await ok('POST', 'registered-models/set-tag', { name, key: 'k'.repeat(250), value: 'v'.repeat(5000) });
        await fails('POST', 'registered-models/set-tag', { name, key: 'k', value: 'v'.repeat(5001) }, 400, 'INVALID_PARAMETER_VALUE', /exceeded length limit of 5000/);
        await fails('POST', 'registered-models/set-tag', { name, key: '../x', value: 'v' }, 400, 'INVALID_PARAMETER_VALUE', /Invalid tag name/);
        await fails('POST', 'registered-models/set-tag', { name, key: 'k' }, 400, 'INVALID_PARAMETER_VALUE', /'value'/);
        await fails('POST', 'registered-models/set-tag', { name: fresh('absent'), key: 'k', value: 'v' }, 404, 'RESOURCE_DOES_NOT_EXIST');
        await fails('DELETE', 'registered-models/delete-tag', { name: fresh('absent'), key: 'k' }, 404, 'RESOURCE_DOES_NOT_EXIST');
        await fails('POST', 'registered-models/create', { name: fresh(), tags: [{ key: 'a'.repeat(251), value: 'v' }] }, 400, 'INVALID_PARAMETER_VALUE');
      });

      it('renames: versions, their tags, aliases and model tags move to the new name', async () => {
        const name = fresh();
        await createModel(name, { tags: [{ key: 'mt', value: '1' }] });
        await createVersion(name, { tags: [{ key: 'vt', value: 'a' }] });
        await createVersion(name);
        await ok('POST', 'registered-models/alias', { name, alias: 'champion', version: '2' });
        const newName = fresh('renamed');
        const renamed = (await ok('POST', 'registered-models/rename', { name, new_name: newName })).registered_model;
        expect(renamed).toMatchObject({ name: newName, tags: [{ key: 'mt', value: '1' }], aliases: [{ alias: 'champion', version: '2' }] });
        expect(renamed.latest_versions).toEqual([expect.objectContaining({ name: newName, version: '2', aliases: ['champion'] })]);
        await fails('GET', `registered-models/get?name=${name}`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST');
        expect((await ok('GET', `model-versions/get?name=${newName}&version=1`)).model_version.tags).toEqual([{ key: 'vt', value: 'a' }]);
        expect((await ok('GET', `registered-models/alias?name=${newName}&alias=champion`)).model_version.version).toBe('2');
        await fails('GET', `model-versions/get?name=${name}&version=1`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST');

        const other = fresh();
        await createModel(other);
        await fails('POST', 'registered-models/rename', { name: newName, new_name: other }, 400, 'RESOURCE_ALREADY_EXISTS');
        await fails('POST', 'registered-models/rename', { name: fresh('absent'), new_name: fresh() }, 404, 'RESOURCE_DOES_NOT_EXIST');
        await fails('POST', 'registered-models/rename', { name: newName }, 400, 'INVALID_PARAMETER_VALUE', /name cannot be empty/);
      });

      it('deletes a model with everything it has', async () => {
        const name = fresh();
        await createModel(name, { tags: [{ key: 'a', value: 'b' }] });
        await createVersion(name, { tags: [{ key: 'c', value: 'd' }] });
        await ok('POST', 'registered-models/alias', { name, alias: 'champion', version: 1 });
        expect(await ok('DELETE', 'registered-models/delete', { name })).toEqual({});
        await fails('GET', `registered-models/get?name=${name}`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST');
        for (const table of ['model_versions', 'model_version_tags', 'registered_model_tags', 'registered_model_aliases'] as const) {
          const rows = await database.db.selectFrom(table).select('name').where('name', '=', name).execute();
          expect(rows, table).toEqual([]);
        }
        await fails('DELETE', 'registered-models/delete', { name }, 404, 'RESOURCE_DOES_NOT_EXIST');
        // the name is free again, and numbering starts over with the new model
        await createModel(name);
        expect((await createVersion(name)).version).toBe('1');
      });
    });

    describe('model versions', () => {
      it('numbers versions 1, 2, 3 per model and answers MLflow fields', async () => {
        const name = fresh();
        await createModel(name);
        const v1 = await createVersion(name, { run_id: runId, description: 'd', run_link: 'http://x', tags: [{ key: 'x', value: 'y' }] });
        expect(v1).toEqual({
          name,
          version: '1',
          creation_timestamp: expect.any(Number),
          last_updated_timestamp: v1.creation_timestamp,
          current_stage: 'None',
          description: 'd',
          source: `s3://bucket/${name}`,
          run_id: runId,
          status: 'READY',
          tags: [{ key: 'x', value: 'y' }],
          run_link: 'http://x',
        });
        expect((await createVersion(name)).version).toBe('2');
        expect((await createVersion(name)).version).toBe('3');
        expect((await ok('GET', `model-versions/get?name=${name}&version=1`)).model_version).toEqual(v1);
        const model = (await ok('GET', `registered-models/get?name=${name}`)).registered_model;
        expect(model.last_updated_timestamp).toBeGreaterThanOrEqual(v1.creation_timestamp);
        expect(model.latest_versions.map((v: { version: string }) => v.version)).toEqual(['3']);

        await fails('POST', 'model-versions/create', { name: fresh('absent'), source: 's' }, 404, 'RESOURCE_DOES_NOT_EXIST', /Registered Model with name=/);
        await fails('POST', 'model-versions/create', { name }, 400, 'INVALID_PARAMETER_VALUE', /'source'/);
        await fails('GET', `model-versions/get?name=${name}&version=9`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST', /Model Version \(name=.*, version=9\) not found/);
        await fails('GET', `model-versions/get?name=${name}&version=abc`, undefined, 400, 'INVALID_PARAMETER_VALUE', /must be an integer/);
        await fails('GET', `model-versions/get?name=${name}`, undefined, 400, 'INVALID_PARAMETER_VALUE', /'version'/);
      });

      it('updates descriptions and version tags', async () => {
        const name = fresh();
        await createModel(name);
        await createVersion(name);
        const updated = (await ok('PATCH', 'model-versions/update', { name, version: '1', description: 'better' })).model_version;
        expect(updated.description).toBe('better');
        await ok('POST', 'model-versions/set-tag', { name, version: '1', key: 'k', value: 'v' });
        await ok('POST', 'model-versions/set-tag', { name, version: 1, key: 'k2', value: 'v2' });
        await ok('DELETE', 'model-versions/delete-tag', { name, version: '1', key: 'k2' });
        await ok('DELETE', 'model-versions/delete-tag', { name, version: '1', key: 'never-set' });
        expect((await ok('GET', `model-versions/get?name=${name}&version=1`)).model_version.tags).toEqual([{ key: 'k', value: 'v' }]);
        await fails('POST', 'model-versions/set-tag', { name, version: '2', key: 'k', value: 'v' }, 404, 'RESOURCE_DOES_NOT_EXIST');
        await fails('DELETE', 'model-versions/delete-tag', { name, version: '2', key: 'k' }, 404, 'RESOURCE_DOES_NOT_EXIST');
        await fails('POST', 'model-versions/set-tag', { name, version: '1', key: 'k', value: 'v'.repeat(5001) }, 400, 'INVALID_PARAMETER_VALUE');
        await fails('PATCH', 'model-versions/update', { name, version: '7', description: 'x' }, 404, 'RESOURCE_DOES_NOT_EXIST');
      });

      it('deletes a version with its tags and aliases, and never reuses its number', async () => {
        const name = fresh();
        await createModel(name);
        await createVersion(name);
        await createVersion(name, { tags: [{ key: 'a', value: 'b' }] });
        await ok('POST', 'registered-models/alias', { name, alias: 'champion', version: '2' });
        await ok('POST', 'registered-models/alias', { name, alias: 'backup', version: '1' });
        expect(await ok('DELETE', 'model-versions/delete', { name, version: '2' })).toEqual({});
        await fails('GET', `model-versions/get?name=${name}&version=2`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST');
        await fails('GET', `registered-models/alias?name=${name}&alias=champion`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST');
        expect((await ok('GET', `registered-models/get?name=${name}`)).registered_model.aliases).toEqual([{ alias: 'backup', version: '1' }]);
        expect(await database.db.selectFrom('model_version_tags').selectAll().where('name', '=', name).execute()).toEqual([]);
        expect((await createVersion(name)).version).toBe('3');
        await fails('DELETE', 'model-versions/delete', { name, version: '2' }, 404, 'RESOURCE_DOES_NOT_EXIST');
      });

      it('transitions stages case-insensitively and archives the stage occupants on request', async () => {
        const name = fresh();
        await createModel(name);
        for (let i = 0; i < 4; i++) await createVersion(name);
        const tr = (version: string, stage: string, archive: unknown) =>
          call('POST', 'model-versions/transition-stage', { name, version, stage, archive_existing_versions: archive });
        expect((await tr('1', 'production', false)).json().model_version.current_stage).toBe('Production');
        expect((await tr('2', 'STAGING', false)).json().model_version.current_stage).toBe('Staging');
        expect((await tr('3', 'Staging', 'false')).json().model_version.current_stage).toBe('Staging');
        const stages = async () =>
          ((await ok('GET', `model-versions/search?${q({ filter: `name = '${name}'`, order_by: 'version_number ASC' })}`)).model_versions as Array<{ current_stage: string }>).map(
            (v) => v.current_stage,
          );
        expect(await stages()).toEqual(['Production', 'Staging', 'Staging', 'None']);
        // v4 into Staging archiving the others in Staging (2 and 3), not the one in Production
        expect((await tr('4', 'Staging', true)).json().model_version.current_stage).toBe('Staging');
        expect(await stages()).toEqual(['Production', 'Archived', 'Archived', 'Staging']);

        const latest = (await ok('POST', 'registered-models/get-latest-versions', { name })).model_versions;
        expect(latest.map((v: { version: string; current_stage: string }) => `${v.current_stage}:${v.version}`)).toEqual([
          'Staging:4',
          'Production:1',
          'Archived:3',
        ]);
        const some = (await ok('POST', 'registered-models/get-latest-versions', { name, stages: ['production', 'None'] })).model_versions;
        expect(some.map((v: { version: string }) => v.version)).toEqual(['1']);
        const viaGet = (await ok('GET', `registered-models/get-latest-versions?${q({ name, stages: ['Staging', 'Archived'] })}`)).model_versions;
        expect(viaGet.map((v: { version: string }) => v.version)).toEqual(['4', '3']);
        expect((await ok('GET', `registered-models/get?name=${name}`)).registered_model.latest_versions.map((v: { version: string }) => v.version)).toEqual(['4', '1', '3']);

        expect((await tr('1', 'Prod', false)).statusCode).toBe(400);
        expect((await tr('1', 'Prod', false)).json().message).toMatch(/Invalid Model Version stage: Prod/);
        const archivingArchived = await tr('1', 'Archived', true);
        expect([archivingArchived.statusCode, archivingArchived.json().message]).toEqual([400, expect.stringMatching(/not an Active stage/)]);
        expect((await tr('1', 'None', undefined)).json().message).toMatch(/'archive_existing_versions'/);
        expect((await tr('9', 'None', false)).statusCode).toBe(404);
        await fails('POST', 'registered-models/get-latest-versions', { name, stages: ['Gold'] }, 400, 'INVALID_PARAMETER_VALUE');
        await fails('POST', 'registered-models/get-latest-versions', { name: fresh('absent') }, 404, 'RESOURCE_DOES_NOT_EXIST');
      });

      it("resolves a runs:/ source to the run's artifact location and returns other sources as they are", async () => {
        const name = fresh();
        await createModel(name);
        await createVersion(name, { source: `runs:/${runId}/model/sub`, run_id: runId });
        await createVersion(name, { source: 'mlflow-artifacts:/0/abc/artifacts/model' });
        await createVersion(name, { source: 'runs:/0123456789abcdef0123456789abcdef/model' });
        expect(await ok('GET', `model-versions/get-download-uri?name=${name}&version=1`)).toEqual({ artifact_uri: `${runArtifactUri}/model/sub` });
        expect(runArtifactUri).toMatch(/^mlflow-artifacts:\/0\/[0-9a-f]{32}\/artifacts$/);
        expect(await ok('GET', `model-versions/get-download-uri?name=${name}&version=2`)).toEqual({ artifact_uri: 'mlflow-artifacts:/0/abc/artifacts/model' });
        expect(await ok('GET', `model-versions/get-download-uri?name=${name}&version=3`)).toEqual({ artifact_uri: 'runs:/0123456789abcdef0123456789abcdef/model' });
        await fails('GET', `model-versions/get-download-uri?name=${name}&version=4`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST');
      });
    });

    describe('aliases', () => {
      it('sets, moves, reads and deletes aliases', async () => {
        const name = fresh();
        await createModel(name);
        await createVersion(name);
        await createVersion(name);
        expect(await ok('POST', 'registered-models/alias', { name, alias: 'champion', version: '1' })).toEqual({});
        await ok('POST', 'registered-models/alias', { name, alias: 'challenger', version: '1' });
        expect((await ok('GET', `registered-models/alias?${q({ name, alias: 'champion' })}`)).model_version).toMatchObject({
          version: '1',
          aliases: ['challenger', 'champion'],
        });
        await ok('POST', 'registered-models/alias', { name, alias: 'champion', version: 2 });
        expect((await ok('GET', `registered-models/alias?${q({ name, alias: 'champion' })}`)).model_version).toMatchObject({ version: '2', aliases: ['champion'] });
        expect((await ok('GET', `registered-models/get?name=${name}`)).registered_model.aliases).toEqual([
          { alias: 'challenger', version: '1' },
          { alias: 'champion', version: '2' },
        ]);
        expect((await ok('GET', `model-versions/get?name=${name}&version=1`)).model_version.aliases).toEqual(['challenger']);

        expect(await ok('DELETE', 'registered-models/alias', { name, alias: 'challenger' })).toEqual({});
        await ok('DELETE', 'registered-models/alias', { name, alias: 'challenger' });
        await fails('GET', `registered-models/alias?${q({ name, alias: 'challenger' })}`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST');
        expect((await ok('GET', `model-versions/get?name=${name}&version=1`)).model_version).not.toHaveProperty('aliases');
      });

      it('refuses reserved, malformed and dangling aliases', async () => {
        const name = fresh();
        await createModel(name);
        await createVersion(name);
        for (const alias of ['latest', 'LATEST', 'v1', 'V12']) {
          await fails('POST', 'registered-models/alias', { name, alias, version: '1' }, 400, 'INVALID_PARAMETER_VALUE', /reserved/);
        }
        await fails('POST', 'registered-models/alias', { name, alias: 'has space', version: '1' }, 400, 'INVALID_PARAMETER_VALUE', /Invalid alias name/);
        await fails('POST', 'registered-models/alias', { name, alias: 'a'.repeat(256), version: '1' }, 400, 'INVALID_PARAMETER_VALUE', /exceeded length limit of 255/);
        await ok('POST', 'registered-models/alias', { name, alias: 'a'.repeat(255), version: '1' });
        await ok('POST', 'registered-models/alias', { name, alias: 'version1-prod', version: '1' });
        await fails('POST', 'registered-models/alias', { name, alias: 'x', version: '5' }, 404, 'RESOURCE_DOES_NOT_EXIST');
        await fails('POST', 'registered-models/alias', { name, alias: 'x', version: 'one' }, 400, 'INVALID_PARAMETER_VALUE');
        await fails('POST', 'registered-models/alias', { name: fresh('absent'), alias: 'x', version: '1' }, 404, 'RESOURCE_DOES_NOT_EXIST');
        await fails('POST', 'registered-models/alias', { name, alias: 'x' }, 400, 'INVALID_PARAMETER_VALUE', /'version'/);
        await fails('DELETE', 'registered-models/alias', { name: fresh('absent'), alias: 'x' }, 404, 'RESOURCE_DOES_NOT_EXIST');
        await fails('GET', `registered-models/alias?${q({ name: fresh('absent'), alias: 'x' })}`, undefined, 404, 'RESOURCE_DOES_NOT_EXIST');
      });
    });

    describe('search', () => {
      let prefix: string;
      beforeAll(async () => {
        prefix = fresh('search');
        // created in this order, so creation and update times differ: b, a, C, d
        for (const [suffix, tag] of [['b', 'x'], ['a', 'y'], ['C', 'x'], ['d', null]] as const) {
          const name = `${prefix}-${suffix}`;
          await createModel(name, tag ? { tags: [{ key: 'team', value: tag }] } : {});
          await new Promise((r) => setTimeout(r, 3));
        }
        await createModel(`${prefix}-it's`);
        for (let i = 0; i < 3; i++) {
          await createVersion(`${prefix}-a`, { run_id: i === 0 ? runId : `run${i}`, source: `s3://models/a/${i}`, tags: [{ key: 'fold', value: String(i) }] });
          await new Promise((r) => setTimeout(r, 3));
        }
        await createVersion(`${prefix}-b`, { run_id: 'run9', source: 'file:///b' });
      });
      const models = async (params: Record<string, string | string[]>) =>
        ((await ok('GET', `registered-models/search?${q(params)}`)).registered_models ?? []).map((m: { name: string }) => m.name.slice(prefix.length + 1));
      const versions = async (params: Record<string, string | string[]>) =>
        ((await ok('GET', `model-versions/search?${q(params)}`)).model_versions ?? []).map(
          (v: { name: string; version: string }) => `${v.name.slice(prefix.length + 1)}/${v.version}`,
        );

      it('filters registered models by name and tags', async () => {
        expect(await models({ filter: `name LIKE '${prefix}-%'` })).toEqual(['C', 'a', 'b', 'd', "it's"]);
        expect(await models({ filter: `name ILIKE '${prefix}-c'` })).toEqual(['C']);
        expect(await models({ filter: `name LIKE '${prefix}-c'` })).toEqual([]);
        expect(await models({ filter: `name = '${prefix}-a'` })).toEqual(['a']);
        expect(await models({ filter: `name LIKE '${prefix}-%' and name != '${prefix}-a'` })).toEqual(['C', 'b', 'd', "it's"]);
        expect(await models({ filter: `name LIKE '${prefix}-%' and tags.team = 'x'` })).toEqual(['C', 'b']);
        expect(await models({ filter: `name LIKE '${prefix}-%' and tags.\`team\` != 'x'` })).toEqual(['a']);
        expect(await models({ filter: `name = "${prefix}-it's"` })).toEqual(["it's"]);
        const a = (await ok('GET', `registered-models/search?${q({ filter: `name = '${prefix}-a'` })}`)).registered_models[0];
        expect(a.latest_versions.map((v: { version: string }) => v.version)).toEqual(['3']);
        expect(a.tags).toEqual([{ key: 'team', value: 'y' }]);
      });

      it('orders and pages registered models', async () => {
        const filter = `name LIKE '${prefix}-%'`;
        expect(await models({ filter, order_by: 'name DESC' })).toEqual(["it's", 'd', 'b', 'a', 'C']);
        // last_updated: a got versions last but one, then b (a version), so b, then it's, d, C
        expect(await models({ filter, order_by: 'timestamp DESC' })).toEqual(['b', 'a', "it's", 'd', 'C']);
        expect(await models({ filter, order_by: ['last_updated_timestamp ASC'] })).toEqual(['C', 'd', "it's", 'a', 'b']);
        const seen: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const res = await ok('GET', `registered-models/search?${q({ filter, max_results: '2', ...(token ? { page_token: token } : {}) })}`);
          seen.push(...res.registered_models.map((m: { name: string }) => m.name.slice(prefix.length + 1)));
          token = res.next_page_token;
          pages++;
        } while (token);
        expect([pages, seen]).toEqual([3, ['C', 'a', 'b', 'd', "it's"]]);
      });

      it('filters, orders and pages model versions', async () => {
        expect(await versions({ filter: `name = '${prefix}-a'` })).toEqual(['a/3', 'a/2', 'a/1']);
        expect(await versions({ filter: `name LIKE '${prefix}-%'` })).toEqual(['b/1', 'a/3', 'a/2', 'a/1']);
        expect(await versions({ filter: `name = '${prefix}-a' and version_number >= 2`, order_by: 'version_number' })).toEqual(['a/2', 'a/3']);
        expect(await versions({ filter: `name = '${prefix}-a' and version_number = '2'` })).toEqual(['a/2']);
        expect(await versions({ filter: `name LIKE '${prefix}-%' and run_id IN ('${runId}', 'run9')`, order_by: ['name', 'version_number'] })).toEqual([
          'a/1',
          'b/1',
        ]);
        expect(await versions({ filter: `name LIKE '${prefix}-%' and source_path LIKE 's3://models/a/%' and tags.fold != '1'` })).toEqual(['a/3', 'a/1']);
        expect(await versions({ filter: `name LIKE '${prefix}-%' and tags.fold = '0'` })).toEqual(['a/1']);
        const page1 = await ok('GET', `model-versions/search?${q({ filter: `name LIKE '${prefix}-%'`, max_results: '3' })}`);
        expect(page1.model_versions).toHaveLength(3);
        const page2 = await ok('GET', `model-versions/search?${q({ filter: `name LIKE '${prefix}-%'`, max_results: '3', page_token: page1.next_page_token })}`);
        expect(page2.model_versions.map((v: { version: string }) => v.version)).toEqual(['1']);
        expect(page2).not.toHaveProperty('next_page_token');
      });

      it('refuses malformed filters, order_by keys and limits with a 400 that says what is wrong', async () => {
        const bad: Array<[string, Record<string, string | string[]>, RegExp]> = [
          ['registered-models', { filter: "name >> 'x'" }, /Invalid comparator|>>/],
          ['registered-models', { filter: "name = 'x' OR name = 'y'" }, /./],
          ['registered-models', { filter: "params.x = 'y'" }, /Invalid entity type 'params'/],
          ['registered-models', { filter: "version_number = 1" }, /Invalid attribute key 'version_number'/],
          ['registered-models', { filter: "name = 'unterminated" }, /./],
          ['registered-models', { order_by: 'creation_timestamp' }, /Invalid order by key 'creation_timestamp'/],
          ['registered-models', { order_by: ['name', 'name DESC'] }, /duplicate fields/],
          ['registered-models', { max_results: '1001' }, /at most 1000/],
          ['registered-models', { max_results: '0' }, /positive integer/],
          ['registered-models', { page_token: 'not a token!' }, /Invalid page token/],
          ['model-versions', { filter: "name IN ('a')" }, /Only the 'run_id' attribute/],
          ['model-versions', { filter: "run_id NOT IN ('a')" }, /Invalid comparator 'NOT IN'/],
          ['model-versions', { filter: "version_number = 'one'" }, /numeric/],
          ['model-versions', { filter: "current_stage = 'None'" }, /Invalid attribute key/],
          ['model-versions', { order_by: 'run_id' }, /Invalid attribute key 'run_id'/],
          ['model-versions', { max_results: '200001' }, /at most 200000/],
        ];
        for (const [what, params, message] of bad) {
          const res = await call('GET', `${what}/search?${q(params)}`);
          expect(res.statusCode, `${what} ${JSON.stringify(params)}: ${res.body}`).toBe(400);
          expect(res.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) });
        }
      });

      it('treats quote-breaking filters as literals or refuses them, and runs none of them as SQL', async () => {
        const attempts = [
          `name = '${prefix}-a'' OR ''1''=''1'`,
          `name = '${prefix}-a\\' OR 1=1 --'`,
          `name LIKE '%'; DROP TABLE registered_models; --'`,
          `tags.team = 'x' OR 1=1`,
          `tags.\`team' OR 1=1 --\` = 'x'`,
          `name = "${prefix}-a" UNION SELECT name FROM model_versions`,
        ];
        for (const filter of attempts) {
          const res = await call('GET', `registered-models/search?${q({ filter })}`);
          expect(res.statusCode, `${filter}: ${res.body}`).toBeLessThan(500);
          if (res.statusCode === 200) expect(res.json().registered_models ?? [], filter).toEqual([]);
          else expect(res.json().error_code, filter).toBe('INVALID_PARAMETER_VALUE');
        }
        // the literal match still works, and the table is still there
        // a doubled quote is an escaped quote inside the literal, as in SQL
        expect(await models({ filter: `name = '${prefix}-it''s'` })).toEqual(["it's"]);
        expect(await models({ filter: `name LIKE '${prefix}-%'` })).toHaveLength(5);
        const mv = await call('GET', `model-versions/search?${q({ filter: `run_id IN ('x') OR 1=1` })}`);
        expect(mv.statusCode).toBe(400);
      });
    });

    it('serves the /ajax-api mirror and answers unknown fields and wrong methods cleanly', async () => {
      const name = fresh();
      const res = await call('POST', 'registered-models/create', { name, surprise: [1, 2] }, '/ajax-api/2.0/mlflow');
      expect(res.statusCode).toBe(200);
      expect((await call('GET', `registered-models/get?name=${name}`, undefined, '/ajax-api/2.0/mlflow')).json().registered_model.name).toBe(name);
      const wrong = await call('POST', 'registered-models/delete', { name });
      expect(wrong.statusCode).toBe(404);
      expect(wrong.json().error_code).toBe('ENDPOINT_NOT_FOUND');
      const notJson = await t.app.inject({ method: 'POST', url: `${API}/registered-models/create`, headers: { 'content-type': 'application/json' }, payload: '{"name": ' });
      expect(notJson.statusCode).toBe(400);
    });
  });
});
