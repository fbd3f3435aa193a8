// The MLflow artifact proxy over HTTP, replaying what the MLflow 2.12.2 client sends (see the recorded transcript in
// docs: client-2.12.2-transcript.txt, "run.list_artifacts", "load_model"), on a minimal Fastify app with the real
// error handler; the last test checks that buildApp serves it from MLFLOW_ARTIFACT_LOCATION.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerErrorHandler } from '../src/api/error-handler.js';
import { LocalArtifactStore, listRunArtifacts } from '../src/artifacts/artifact-store.js';
import { artifactRoutes } from '../src/artifacts/artifacts.routes.js';
import { InvalidParameter } from '../src/util/errors.js';
import { startTestApp } from './app-harness.js';

const RUN = '1/042ad24faacf4e02a5f6e6e601e57d9c/artifacts';
const API = '/api/2.0/mlflow-artifacts/artifacts';

let dir: string;
let store: LocalArtifactStore;
let app: FastifyInstance;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-artifacts-'));
  store = new LocalArtifactStore({ root: path.join(dir, 'artifacts'), maxBytes: 64 * 1024 * 1024 });
  app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(artifactRoutes, { store });
});

afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function put(p: string, body: string | Buffer, contentType = 'text/plain') {
  const res = await app.inject({ method: 'PUT', url: `${API}/${p}`, payload: body, headers: { 'content-type': contentType } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toEqual({});
}

function listUrl(p: string): string {
  return `${API}?path=${encodeURIComponent(p)}`;
}

/** The files of the transcript's run 042ad24f…, with the sizes its listings report. */
async function uploadTranscriptRun(): Promise<void> {
  const sized = (n: number) => 'x'.repeat(n);
  await put(`${RUN}/notes/hello.txt`, 'hello');
  await put(`${RUN}/cfg.json`, '{\n  "x": 1\n}');
  for (const prefix of ['model', 'model/metadata']) {
    await put(`${RUN}/${prefix}/requirements.txt`, sized(33));
    await put(`${RUN}/${prefix}/MLmodel`, sized(448));
    await put(`${RUN}/${prefix}/python_env.yaml`, sized(114));
    await put(`${RUN}/${prefix}/conda.yaml`, sized(134));
  }
  await put(`${RUN}/model/python_model.pkl`, randomBytes(706), 'application/octet-stream');
}

describe('artifact proxy', () => {
  it('answers listings exactly as the reference server did in the transcript', async () => {
    await uploadTranscriptRun();
    // Response bodies copied from the transcript; compared as text, so key order and omitted file_size count too.
    const cases: Array<[string, string]> = [
      [
        RUN,
        '{ "files": [ { "path": "cfg.json", "is_dir": false, "file_size": 12 }, { "path": "model", "is_dir": true }, { "path": "notes", "is_dir": true } ] }',
      ],
      [`${RUN}/notes`, '{ "files": [ { "path": "hello.txt", "is_dir": false, "file_size": 5 } ] }'],
      [`${RUN}/notes/hello.txt`, '{}'],
      [
        `${RUN}/model`,
        '{ "files": [ { "path": "MLmodel", "is_dir": false, "file_size": 448 }, { "path": "conda.yaml", "is_dir": false, "file_size": 134 }, ' +
          '{ "path": "metadata", "is_dir": true }, { "path": "python_env.yaml", "is_dir": false, "file_size": 114 }, ' +
          '{ "path": "python_model.pkl", "is_dir": false, "file_size": 706 }, { "path": "requirements.txt", "is_dir": false, "file_size": 33 } ] }',
      ],
      [
        `${RUN}/model/metadata`,
        '{ "files": [ { "path": "MLmodel", "is_dir": false, "file_size": 448 }, { "path": "conda.yaml", "is_dir": false, "file_size": 134 }, ' +
          '{ "path": "python_env.yaml", "is_dir": false, "file_size": 114 }, { "path": "requirements.txt", "is_dir": false, "file_size": 33 } ] }',
      ],
      [`${RUN}/no/such/dir`, '{}'],
      [`${RUN}/notes/hello.txt/below-a-file`, '{}'],
    ];
    for (const [p, expected] of cases) {
      const res = await app.inject({ method: 'GET', url: listUrl(p) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body, p).toBe(JSON.stringify(JSON.parse(expected)));
    }
    // The client's own URL form, %2F-encoded, as recorded
    const recorded = await app.inject({ method: 'GET', url: `${API}?path=1%2F042ad24faacf4e02a5f6e6e601e57d9c%2Fartifacts%2Fnotes` });
    expect(recorded.json()).toEqual({ files: [{ path: 'hello.txt', is_dir: false, file_size: 5 }] });
    // No path lists the root; an empty store lists as {}
    expect((await app.inject({ method: 'GET', url: API })).json()).toEqual({ files: [{ path: '1', is_dir: true }] });
    await app.inject({ method: 'DELETE', url: `${API}/1` });
    expect((await app.inject({ method: 'GET', url: API })).json()).toEqual({});
  });

  it('round-trips text and a few MB of random binary, byte for byte, with MLflow content types', async () => {
    await uploadTranscriptRun();
    const text = await app.inject({ method: 'GET', url: `${API}/${RUN}/notes/hello.txt` });
    expect(text.statusCode).toBe(200);
    expect(text.body).toBe('hello');
    expect(text.headers['content-type']).toBe('text/plain');
    expect(text.headers['content-disposition']).toBe(`attachment; filename="hello.txt"; filename*=UTF-8''hello.txt`);
    expect(text.headers['content-length']).toBe('5');
    const mlmodel = await app.inject({ method: 'GET', url: `${API}/${RUN}/model/MLmodel` });
    expect(mlmodel.headers['content-type']).toBe('text/plain');

    const blob = randomBytes(3 * 1024 * 1024 + 17);
    await put(`${RUN}/data/blob.bin`, blob, 'application/octet-stream');
    const res = await app.inject({ method: 'GET', url: `${API}/${RUN}/data/blob.bin` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-length']).toBe(String(blob.length));
    expect(Buffer.compare(res.rawPayload, blob)).toBe(0);
    // on disk under the root, at the same relative path
    expect(Buffer.compare(readFileSync(path.join(store.root, RUN, 'data/blob.bin')), blob)).toBe(0);
  });

  it('stores any content type verbatim, including JSON and an empty body', async () => {
    await put(`${RUN}/cfg.json`, '{"not": "parsed"', 'application/json');
    await put(`${RUN}/form.txt`, 'a=1&b=2', 'application/x-www-form-urlencoded');
    const empty = await app.inject({ method: 'PUT', url: `${API}/${RUN}/empty.txt` });
    expect(empty.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `${API}/${RUN}/cfg.json` })).body).toBe('{"not": "parsed"');
    expect((await app.inject({ method: 'GET', url: `${API}/${RUN}/form.txt` })).body).toBe('a=1&b=2');
    expect((await app.inject({ method: 'GET', url: listUrl(RUN) })).json().files).toContainEqual({ path: 'empty.txt', is_dir: false, file_size: 0 });
  });

  it('overwrites a file in place, leaving no temporary files behind', async () => {
    await put(`${RUN}/notes/hello.txt`, 'hello');
    await put(`${RUN}/notes/hello.txt`, 'hello again');
    expect((await app.inject({ method: 'GET', url: `${API}/${RUN}/notes/hello.txt` })).body).toBe('hello again');
    expect((await app.inject({ method: 'GET', url: listUrl(`${RUN}/notes`) })).json()).toEqual({
      files: [{ path: 'hello.txt', is_dir: false, file_size: 11 }],
    });
    expect(readdirSync(path.join(store.root, RUN, 'notes'))).toEqual(['hello.txt']);
  });

  it('deletes files and whole directories; deleting what is not there succeeds', async () => {
    await uploadTranscriptRun();
    let res = await app.inject({ method: 'DELETE', url: `${API}/${RUN}/cfg.json` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    expect((await app.inject({ method: 'GET', url: `${API}/${RUN}/cfg.json` })).statusCode).toBe(404);

    res = await app.inject({ method: 'DELETE', url: `${API}/${RUN}/model` });
    expect(res.statusCode).toBe(200);
    expect(existsSync(path.join(store.root, RUN, 'model'))).toBe(false);
    expect((await app.inject({ method: 'GET', url: listUrl(RUN) })).json()).toEqual({ files: [{ path: 'notes', is_dir: true }] });
    expect(readdirSync(path.join(store.root, RUN))).toEqual(['notes']); // the set-aside directory is gone too

    res = await app.inject({ method: 'DELETE', url: `${API}/${RUN}/model` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    // The whole store cannot be deleted through the API
    res = await app.inject({ method: 'DELETE', url: `${API}/` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for a missing artifact, 400 for a directory', async () => {
    await put(`${RUN}/notes/hello.txt`, 'hello');
    for (const p of [`${RUN}/notes/missing.txt`, `${RUN}/nodir/x.txt`, `${RUN}/notes/hello.txt/x`, '9/none']) {
      const res = await app.inject({ method: 'GET', url: `${API}/${p}` });
      expect(res.statusCode, p).toBe(404);
      expect(res.json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: expect.stringContaining('does not exist') });
    }
    const res = await app.inject({ method: 'GET', url: `${API}/${RUN}/notes` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('refuses to put a file where a directory is, or below a file', async () => {
    await put(`${RUN}/notes/hello.txt`, 'hello');
    for (const p of [`${RUN}/notes`, `${RUN}/notes/hello.txt/x.txt`]) {
      const res = await app.inject({ method: 'PUT', url: `${API}/${p}`, payload: 'x', headers: { 'content-type': 'text/plain' } });
      expect(res.statusCode, p).toBe(400);
      expect(res.json().error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect(readFileSync(path.join(store.root, RUN, 'notes/hello.txt'), 'utf8')).toBe('hello');
  });

  it('serves the same API under /ajax-api/2.0', async () => {
    const ajax = '/ajax-api/2.0/mlflow-artifacts/artifacts';
    let res = await app.inject({ method: 'PUT', url: `${ajax}/${RUN}/ui.txt`, payload: 'from the UI', headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `${ajax}?path=${encodeURIComponent(RUN)}` })).json()).toEqual({
      files: [{ path: 'ui.txt', is_dir: false, file_size: 11 }],
    });
    expect((await app.inject({ method: 'GET', url: `${ajax}/${RUN}/ui.txt` })).body).toBe('from the UI');
    res = await app.inject({ method: 'DELETE', url: `${ajax}/${RUN}/ui.txt` });
    expect(res.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `${API}/${RUN}/ui.txt` })).statusCode).toBe(404);
  });

  it('leaves the body parsers of the rest of the app alone', async () => {
    app.post('/echo', async (request) => ({ got: request.body }));
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(res.json()).toEqual({ got: { a: 1 } });
  });

  it('keeps names with spaces and non-ASCII characters', async () => {
    const name = `${RUN}/plots/наука %41 x.txt`;
    const res = await app.inject({ method: 'PUT', url: `${API}/${encodeURI(name)}`, payload: 'ok', headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode, res.body).toBe(200);
    expect((await app.inject({ method: 'GET', url: listUrl(`${RUN}/plots`) })).json()).toEqual({
      files: [{ path: 'наука %41 x.txt', is_dir: false, file_size: 2 }],
    });
    const got = await app.inject({ method: 'GET', url: `${API}/${encodeURI(name)}` });
    expect(got.body).toBe('ok');
    expect(got.headers['content-disposition']).toContain(`filename*=UTF-8''%D0%BD%D0%B0%D1%83%D0%BA%D0%B0%20%2541%20x.txt`);
  });
});

describe('listRunArtifacts (GET /api/2.0/mlflow/artifacts/list)', () => {
  const uri = `mlflow-artifacts:/${RUN}`;

  it('names entries relative to the run root, with root_uri, as MLflow does', async () => {
    await uploadTranscriptRun();
    expect(await listRunArtifacts(store, uri)).toEqual({
      root_uri: uri,
      files: [
        { path: 'cfg.json', is_dir: false, file_size: 12 },
        { path: 'model', is_dir: true },
        { path: 'notes', is_dir: true },
      ],
    });
    expect(await listRunArtifacts(store, uri, 'notes')).toEqual({
      root_uri: uri,
      files: [{ path: 'notes/hello.txt', is_dir: false, file_size: 5 }],
    });
    expect((await listRunArtifacts(store, uri, 'model/metadata/'))?.files?.[0]).toEqual({ path: 'model/metadata/MLmodel', is_dir: false, file_size: 448 });
    // a file, a missing path, an empty run: no files key at all (MLflow leaves empty repeated fields out)
    expect(await listRunArtifacts(store, uri, 'notes/hello.txt')).toEqual({ root_uri: uri });
    expect(await listRunArtifacts(store, 'mlflow-artifacts:/1/ffffffffffffffffffffffffffffffff/artifacts', null)).toEqual({
      root_uri: 'mlflow-artifacts:/1/ffffffffffffffffffffffffffffffff/artifacts',
    });
    // the host-qualified URI form lists the same directory
    expect((await listRunArtifacts(store, `mlflow-artifacts://localhost:5000/${RUN}`, 'notes')).files).toHaveLength(1);
  });

  it('refuses paths that leave the run root and URIs this store does not hold', async () => {
    await uploadTranscriptRun();
    for (const p of ['..', '../..', 'notes/../../x', '%2e%2e', '/etc']) {
      await expect(listRunArtifacts(store, uri, p), p).rejects.toBeInstanceOf(InvalidParameter);
    }
    await expect(listRunArtifacts(store, 's3://bucket/1/abc/artifacts', '')).rejects.toBeInstanceOf(InvalidParameter);
    await expect(listRunArtifacts(store, 'file:///etc', '')).rejects.toBeInstanceOf(InvalidParameter);
  });
});

describe('in the full app', () => {
  it('stores artifacts under MLFLOW_ARTIFACT_LOCATION', async () => {
    const location = path.join(dir, 'configured-location');
    const t = await startTestApp({ MLFLOW_ARTIFACT_LOCATION: location, FOODLENS_MAX_ARTIFACT_BYTES: '1000' });
    try {
      let res = await t.app.inject({ method: 'PUT', url: `${API}/0/abc/artifacts/a.txt`, payload: 'wired', headers: { 'content-type': 'text/plain' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(readFileSync(path.join(location, '0/abc/artifacts/a.txt'), 'utf8')).toBe('wired');
      res = await t.app.inject({ method: 'GET', url: `${API}/0/abc/artifacts/a.txt` });
      expect(res.body).toBe('wired');
      res = await t.app.inject({ method: 'PUT', url: `${API}/0/abc/artifacts/big.bin`, payload: Buffer.alloc(1001), headers: { 'content-type': 'application/octet-stream' } });
      expect(res.statusCode).toBe(413);
    } finally {
      await t.close();
    }
  });
});
