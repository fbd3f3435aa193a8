// POST /api/v1/mlops/register-model over HTTP (app.inject) on every database: real models (built by the fixtures),
// real validation worker, real files under a temporary artifact root.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { multipartBody as multipart } from '../../test/fixtures/multipart-body.js';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import { brokenOnnx, colourClassifierOnnx, COLOUR_LABELS, truncatedOnnx } from '../../test/fixtures/onnx-models.js';
import { colourClassifierTfjs, zipFiles } from '../../test/fixtures/tfjs-models.js';
import { TEMP_PREFIX } from '../artifacts/artifact-path.js';
import { LocalArtifactStore, resolveArtifactUri } from '../artifacts/artifact-store.js';
import { createTrackingService, ensureDefaultExperiment } from '../tracking/tracking.service.js';
import { registerErrorHandler } from './error-handler.js';
import { registerModelRoutes } from './register-model.routes.js';

const URL_ = '/api/v1/mlops/register-model';
const MAX_BYTES = 256 * 1024;
const spec = (extra: Record<string, unknown> = {}) => ({
  task: 'classification',
  labels: [...COLOUR_LABELS],
  input: { width: 32, height: 32 },
  output: { activation: 'none' },
  ...extra,
});
const tfjsSpec = spec({ input: { width: 32, height: 32, layout: 'NHWC' } });

function upload(name: string, s: unknown, files: Array<{ filename: string; value: Buffer }>) {
  return multipart([
    { name: 'name', value: name },
    { name: 'spec', value: JSON.stringify(s) },
    ...files.map((f) => ({ name: 'file', filename: f.filename, value: f.value, type: 'application/octet-stream' })),
  ]);
}

/** Every file under the artifact root, relative; run artifacts included. */
function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

describeEachDatabase((td) => {
  const database = useTestDatabase(td);
  let app: FastifyInstance;
  let root: string;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'foodlens-register-'));
    app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    await ensureDefaultExperiment(database());
    await app.register(registerModelRoutes, {
      database: database(),
      tracking: createTrackingService(database()),
      artifactRoot: root,
      maxModelBytes: MAX_BYTES,
      maxFiles: 8,
    });
    await app.ready();
  });

  afterEach(async () => {
    await app.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function versionRows(name: string) {
    const db = database().db;
    const versions = await db.selectFrom('model_versions').selectAll().where('name', '=', name).execute();
    const servables = await db.selectFrom('model_version_servables').selectAll().where('name', '=', name).execute();
    return { versions, servables };
  }

  /** A refused registration: the status, the reason, the message, and nothing left behind. */
  async function expectRefused(res: { statusCode: number; json(): any }, status: number, reason: string, message: RegExp, name: string) {
    expect({ status: res.statusCode, reason: res.json().error?.reason }).toEqual({ status, reason });
    expect(res.json().error.message).toMatch(message);
    const rows = await versionRows(name);
    expect(rows.versions).toHaveLength(0);
    expect(rows.servables).toHaveLength(0);
    expect(filesUnder(root).filter((f) => f.startsWith('models') || f.includes(TEMP_PREFIX))).toEqual(
      fs.existsSync(path.join(root, 'models')) ? ['models'] : [],
    );
  }

  it('registers an uploaded ONNX classifier: 201, the version and servable rows, the file in models/<name>/<version>', async () => {
    const onnx = colourClassifierOnnx();
    const res = await app.inject({ method: 'POST', url: URL_, ...upload('colours', spec(), [{ filename: 'colours.onnx', value: onnx }]) });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    const sha = createHash('sha256').update('colours.onnx').update('\0').update(onnx).digest('hex');
    expect(body).toMatchObject({
      name: 'colours',
      version: 1,
      runtime: 'onnx',
      task: 'classification',
      labels: ['tomato', 'broccoli', 'banana'],
      model_path: 'models/colours/1/colours.onnx',
      // the folder the upload now lives in, which the artifact proxy serves
      source: 'mlflow-artifacts:/models/colours/1',
      size_bytes: onnx.length,
      sha256: sha,
    });
    expect(body.load_ms).toBeGreaterThan(0);
    expect(body.memory_bytes).toBeGreaterThanOrEqual(onnx.length);
    expect(fs.readFileSync(path.join(root, body.model_path)).equals(onnx)).toBe(true);
    const rows = await versionRows('colours');
    expect(rows.versions.map((v) => Number(v.version))).toEqual([1]);
    expect(rows.versions[0]!.source).toBe('mlflow-artifacts:/models/colours/1');
    expect(rows.servables).toHaveLength(1);
    expect(rows.servables[0]).toMatchObject({ runtime: 'onnx', model_path: 'models/colours/1/colours.onnx', sha256: sha });
    expect(Number(rows.servables[0]!.size_bytes)).toBe(onnx.length);
    expect(JSON.parse(rows.servables[0]!.spec)).toMatchObject({ labels: ['tomato', 'broccoli', 'banana'], top_k: 5 });

    const again = await app.inject({ method: 'POST', url: URL_, ...upload('colours', spec(), [{ filename: 'c.onnx', value: onnx }]) });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ version: 2, model_path: 'models/colours/2/c.onnx' });
    expect(filesUnder(root).filter((f) => f.includes(TEMP_PREFIX))).toEqual([]);
  });

  it('registers a TF.js graph model sent as files and as a zip', async () => {
    const files = colourClassifierTfjs();
    const asFiles = await app.inject({
      method: 'POST',
      url: URL_,
      ...upload('colours-tfjs', tfjsSpec, Object.entries(files).map(([filename, value]) => ({ filename, value }))),
    });
    expect(asFiles.statusCode, asFiles.body).toBe(201);
    expect(asFiles.json()).toMatchObject({ version: 1, runtime: 'tfjs-graph', model_path: 'models/colours-tfjs/1/model.json', memory_method: 'tfjs-memory' });
    const zip = zipFiles({ 'model/model.json': files['model.json'], 'model/group1-shard1of1.bin': files['group1-shard1of1.bin'] });
    const asZip = await app.inject({ method: 'POST', url: URL_, ...upload('colours-tfjs', tfjsSpec, [{ filename: 'model.zip', value: zip }]) });
    expect(asZip.statusCode, asZip.body).toBe(201);
    expect(asZip.json()).toMatchObject({ version: 2, model_path: 'models/colours-tfjs/2/model/model.json' });
    expect(fs.existsSync(path.join(root, 'models/colours-tfjs/2/model/group1-shard1of1.bin'))).toBe(true);
  });

  it('answers 422 saying why for broken models, and leaves no row and no file', async () => {
    const cases: Array<[Buffer, Record<string, unknown>, string, RegExp]> = [
      [brokenOnnx(), spec(), 'load_failed', /No Op registered for NoSuchOperator/],
      [truncatedOnnx(), spec(), 'load_failed', /protobuf parsing failed/],
      [colourClassifierOnnx({ classes: 10 }), spec(), 'output_mismatch', /has 10 classes but 3 labels were given/],
      [colourClassifierOnnx(), spec({ input: { width: 64, height: 64 } }), 'load_failed', /is \[1, 3, 32, 32\] but the spec says NCHW \[1, 3, 64, 64\]/],
      [Buffer.from('hello, I am not a model'), spec(), 'bad_format', /neither an ONNX model .* nor a TF.js model.json/],
    ];
    for (const [bytes, s, reason, message] of cases) {
      const res = await app.inject({ method: 'POST', url: URL_, ...upload('bad', s, [{ filename: 'bad.onnx', value: bytes }]) });
      await expectRefused(res, 422, reason, message, 'bad');
    }
    const { 'model.json': modelJson } = colourClassifierTfjs();
    const noShard = await app.inject({ method: 'POST', url: URL_, ...upload('bad', tfjsSpec, [{ filename: 'model.json', value: modelJson }]) });
    await expectRefused(noShard, 422, 'shard_missing', /weight shard group1-shard1of1.bin named by model.json is missing/, 'bad');
  });

  it('refuses hostile archives with 400: zip-slip names, absolute paths, symlinks, too many entries, too large', async () => {
    const files = colourClassifierTfjs();
    const cases: Array<[Buffer, string, RegExp]> = [
      [zipFiles({ 'model.json': files['model.json'], '../group1-shard1of1.bin': files['group1-shard1of1.bin'] }), 'unsafe_archive', /'\.\.' in its path/],
      [zipFiles({ 'a/../../evil.bin': Buffer.from('x'), 'model.json': files['model.json'] }), 'unsafe_archive', /'\.\.' in its path/],
      [zipFiles({ '/etc/evil.bin': Buffer.from('x') }), 'unsafe_archive', /absolute path/],
      [zipFiles({ 'model.json': files['model.json'], 'group1-shard1of1.bin': Buffer.from('/etc/passwd') }, { symlinks: ['group1-shard1of1.bin'] }), 'unsafe_archive', /symbolic link/],
      [zipFiles(Object.fromEntries(Array.from({ length: 9 }, (_v, i) => [`f${i}.bin`, Buffer.from('x')]))), 'unsafe_archive', /9 entries; at most 8/],
      [zipFiles({ 'model.json': files['model.json'], 'big.bin': Buffer.alloc(MAX_BYTES + 1) }), 'too_large', /expands to more than 262144 bytes/],
    ];
    for (const [zip, reason, message] of cases) {
      expect(zip.length).toBeLessThan(MAX_BYTES); // the big one compresses: only its expansion is over the limit
      const res = await app.inject({ method: 'POST', url: URL_, ...upload('hostile', tfjsSpec, [{ filename: 'm.zip', value: zip }]) });
      await expectRefused(res, 400, reason, message, 'hostile');
    }
    expect(fs.existsSync(path.join(path.dirname(root), 'evil.bin'))).toBe(false);
  });

  it('answers 413 for an upload over the limit, 400 for a bad spec or name', async () => {
    const big = await app.inject({ method: 'POST', url: URL_, ...upload('big', spec(), [{ filename: 'big.onnx', value: Buffer.alloc(MAX_BYTES + 10, 8) }]) });
    await expectRefused(big, 413, 'too_large', /larger than the 262144 bytes limit/, 'big');
    const badSpec = await app.inject({ method: 'POST', url: URL_, ...upload('x', { task: 'segmentation' }, [{ filename: 'a.onnx', value: colourClassifierOnnx() }]) });
    expect(badSpec.statusCode).toBe(400);
    expect(badSpec.json().error.message).toMatch(/spec\.task/);
    const badName = await app.inject({ method: 'POST', url: URL_, ...upload('../x', spec(), [{ filename: 'a.onnx', value: colourClassifierOnnx() }]) });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.message).toMatch(/invalid name/);
    const noFile = await app.inject({ method: 'POST', url: URL_, ...multipart([{ name: 'name', value: 'x' }, { name: 'spec', value: JSON.stringify(spec()) }]) });
    expect({ status: noFile.statusCode, reason: noFile.json().error.reason }).toEqual({ status: 400, reason: 'missing_file' });
  });

  it('registers a model logged to a run (runs:/ and mlflow-artifacts: sources) and refuses unsafe sources', async () => {
    const tracking = createTrackingService(database());
    const run = await tracking.createRun({ experimentId: '0' });
    const store = new LocalArtifactStore({ root, maxBytes: MAX_BYTES });
    const runRoot = resolveArtifactUri(run.info.artifactUri);
    await store.put(`${runRoot}/model/colours.onnx`, Readable.from([colourClassifierOnnx()]));
    const files = colourClassifierTfjs();
    for (const [name, bytes] of Object.entries(files)) await store.put(`${runRoot}/tfjs/${name}`, Readable.from([bytes]));

    const fromRun = await app.inject({ method: 'POST', url: URL_, payload: { name: 'logged', source: `runs:/${run.info.runId}/model/colours.onnx`, spec: spec() } });
    expect(fromRun.statusCode, fromRun.body).toBe(201);
    expect(fromRun.json()).toMatchObject({ version: 1, runtime: 'onnx', source: `runs:/${run.info.runId}/model/colours.onnx`, model_path: 'models/logged/1/colours.onnx' });
    expect((await versionRows('logged')).versions[0]!.source).toBe(`runs:/${run.info.runId}/model/colours.onnx`);
    // the version names its run (MLflow's model-versions/get answers run_id), as when the MLflow client registers runs:/
    expect((await versionRows('logged')).versions[0]!.run_id).toBe(run.info.runId);
    const folder = await app.inject({ method: 'POST', url: URL_, payload: { name: 'logged', source: `mlflow-artifacts:/${runRoot}/tfjs`, spec: tfjsSpec } });
    expect(folder.statusCode, folder.body).toBe(201);
    expect(folder.json()).toMatchObject({ version: 2, runtime: 'tfjs-graph', model_path: 'models/logged/2/model.json' });
    // the run's own artifacts are copied, not moved
    expect(fs.existsSync(path.join(root, runRoot, 'model/colours.onnx'))).toBe(true);

    for (const source of [
      `runs:/${run.info.runId}/../../../etc/passwd`,
      `runs:/${run.info.runId}/model/colours.onnx\u0000.png`,
      `runs:/${run.info.runId}//etc/passwd`,
      'mlflow-artifacts:/../secret',
      '/etc/passwd',
      'file:///etc/passwd',
    ]) {
      const res = await app.inject({ method: 'POST', url: URL_, payload: { name: 'unsafe', source, spec: spec() } });
      expect({ source, status: res.statusCode }).toEqual({ source, status: 400 });
    }
    const missing = await app.inject({ method: 'POST', url: URL_, payload: { name: 'unsafe', source: `runs:/${run.info.runId}/nothing.onnx`, spec: spec() } });
    expect(missing.statusCode).toBe(404);
    expect((await versionRows('unsafe')).versions).toHaveLength(0);
  });
});
