// Evaluation runs with the real models over real labelled photos (test/photos.ts), logged to each database, and by the
// evaluate command to a store or to a running FoodLens over HTTP (one engine for the whole file, the apps' included).
// Known answers (bench/_accuracy.ts prints them): food-detector/1 gets 9 of 11 right, calling both carrots a hot dog;
// food-detector/2 gets 6 of 11: two apples as oranges, the orange as an apple, and no food on either carrot.
import { copyFileSync, createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import { LABELLED_PHOTOS, photo, photoPath } from '../../test/photos.js';
import { runJson } from '../api/mlflow/to-json.js';
import { LocalArtifactStore } from '../artifacts/artifact-store.js';
import { openDatabase } from '../db/connection.js';
import { decodeUpload } from '../images/decode.js';
import { builtinFoodModels, computeImageStats, createInferenceEngine } from '../inference/index.js';
import type { InferenceEngine, ModelSpec } from '../inference/types.js';
import { compareModels } from '../tracking/tracker/compare-models.js';
import { EVALUATION_EXPERIMENT } from '../tracking/tracker/run-tags.js';
import { createTrackingService } from '../tracking/tracking.service.js';
import { evaluateCommand, parseEvaluateArgs } from './evaluate-command.js';
import { runEvaluation } from './evaluation-run.js';
import { localEvaluationTracker } from './evaluation-tracker.js';
import { modelPredictor } from './model-predictor.js';
import { parseCsv } from './predictions-csv.js';
import { TrackingServerError } from './tracking-server-client.js';

let engine: InferenceEngine;
let tmp: string;
let dataDir: string;
let specs: ModelSpec[];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'foodlens-eval-'));
  dataDir = path.join(tmp, 'ifct');
  // Copies, not symlinks: links to the photos' package folder would escape the dataset folder and be refused.
  for (const { code, label } of LABELLED_PHOTOS) {
    mkdirSync(path.join(dataDir, label), { recursive: true });
    copyFileSync(photoPath(code), path.join(dataDir, label, `${code}.jpeg`));
  }
  engine = createInferenceEngine({ workers: 1 });
  specs = builtinFoodModels();
  await Promise.all(specs.map((s) => engine.load(s)));
});
afterAll(async () => {
  await engine?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const spec = (version: string) => specs.find((s) => s.version === version)!;

/** predictions.csv as objects keyed by column, parsed as a drift reference reads it. */
async function readCsv(file: string): Promise<Array<Record<string, string>>> {
  const records: string[][] = [];
  for await (const r of parseCsv(createReadStream(file))) records.push(r);
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

describeEachDatabase((td) => {
  describe('evaluation runs', () => {
    const db = useTestDatabase(td);

    it('logs params, metrics, the dataset and the confusion matrix of food-detector/1 and /2, and compares them', async () => {
      const tracking = createTrackingService(db());
      const artifactRoot = mkdtempSync(path.join(tmp, `artifacts-${td.name}-`));
      const artifacts = new LocalArtifactStore({ root: artifactRoot, maxBytes: 10 * 1024 * 1024 });
      const tracker = localEvaluationTracker(tracking, artifacts);
      const evaluate = (version: string) =>
        runEvaluation({ tracker, model: spec(version), predictor: modelPredictor(engine, spec(version), 50_000_000), dataDir });

      const v1 = await evaluate('1');
      const run = await tracking.getRun(v1.runId);
      expect(run.info.status).toBe('FINISHED');
      expect((await tracking.getExperiment(run.info.experimentId)).name).toBe(EVALUATION_EXPERIMENT);
      const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
      expect(params).toEqual({
        model_name: 'food-detector',
        model_version: '1',
        model_runtime: 'tfjs-graph',
        model_architecture: 'centernet',
        dataset_name: 'ifct',
        dataset_path: dataDir,
        dataset_digest: v1.digest.digest,
        image_count: '11',
        labels: 'apple,banana,carrot,orange',
      });
      expect(v1.digest.digest).toMatch(/^[0-9a-f]{8}$/);
      const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
      expect(tags).toMatchObject({ 'foodlens.run_type': 'evaluation', 'foodlens.model_name': 'food-detector', 'foodlens.model_version': '1' });
      expect(run.inputs.datasetInputs).toEqual([
        expect.objectContaining({
          tags: [{ key: 'mlflow.data.context', value: 'evaluation' }],
          dataset: expect.objectContaining({ name: 'ifct', digest: v1.digest.digest, sourceType: 'local', source: JSON.stringify({ uri: dataDir }) }),
        }),
      ]);

      const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
      expect(metrics).toMatchObject({
        accuracy: 9 / 11,
        precision_apple: 1,
        recall_apple: 1,
        precision_banana: 1,
        recall_banana: 1,
        precision_orange: 1,
        recall_orange: 1,
        precision_carrot: 0, // never predicted: zero_division -> 0
        recall_carrot: 0,
        precision_hot_dog: 0,
        recall_hot_dog: 0, // never present: zero_division -> 0
        precision_macro: 3 / 5,
        recall_macro: 3 / 5,
        images_evaluated: 11,
        images_failed: 0,
      });
      expect(metrics.latency_p50_ms).toBeGreaterThan(0);
      expect(metrics.latency_p95_ms).toBeGreaterThanOrEqual(metrics.latency_p50_ms!);

      const runDir = path.join(artifactRoot, run.info.experimentId, v1.runId, 'artifacts');
      expect(await artifacts.list(`${run.info.experimentId}/${v1.runId}/artifacts`)).toEqual([
        expect.objectContaining({ path: 'confusion_matrix.csv', is_dir: false }),
        expect.objectContaining({ path: 'confusion_matrix.json', is_dir: false }),
        expect.objectContaining({ path: 'predictions.csv', is_dir: false }),
      ]);
      const cm = JSON.parse(readFileSync(path.join(runDir, 'confusion_matrix.json'), 'utf8'));
      expect(cm).toMatchObject({
        model: { name: 'food-detector', version: '1' },
        dataset_digest: v1.digest.digest,
        labels: ['apple', 'banana', 'carrot', 'hot dog', 'orange'],
        matrix: [
          [4, 0, 0, 0, 0],
          [0, 4, 0, 0, 0],
          [0, 0, 0, 2, 0],
          [0, 0, 0, 0, 0],
          [0, 0, 0, 0, 1],
        ],
      });
      expect(readFileSync(path.join(runDir, 'confusion_matrix.csv'), 'utf8')).toBe(
        'actual\\predicted,apple,banana,carrot,hot dog,orange\napple,4,0,0,0,0\nbanana,0,4,0,0,0\ncarrot,0,0,0,2,0\nhot dog,0,0,0,0,0\norange,0,0,0,0,1\n',
      );
      const rows = readFileSync(path.join(runDir, 'predictions.csv'), 'utf8').trim().split('\n');
      // the original columns first, then each image's statistics
      expect(rows[0]).toBe(
        'path,label,predicted,confidence,latency_ms,error,image_width,image_height,image_bytes,brightness,contrast,saturation,sharpness',
      );
      expect(rows.find((r) => r.startsWith('carrot/F002.jpeg,'))).toMatch(
        /^carrot\/F002\.jpeg,carrot,hot dog,0\.\d+,[\d.]+,,307,172,10456,0\.\d+,0\.\d+,0\.\d+,[\d.e-]+$/,
      );
      // the statistics are the serving path's: decodeUpload's size and bytes, computeImageStats of the decoded pixels
      const csv = await readCsv(path.join(runDir, 'predictions.csv'));
      for (const code of ['E001', 'E047']) {
        const row = csv.find((r) => r.path?.endsWith(`/${code}.jpeg`))!;
        const upload = await decodeUpload(photo(code), { maxPixels: 50_000_000 });
        const stats = computeImageStats(upload.pixels);
        expect(row).toMatchObject({
          image_width: String(upload.width),
          image_height: String(upload.height),
          image_bytes: String(upload.sizeBytes),
          brightness: String(stats.brightness),
          contrast: String(stats.contrast),
          saturation: String(stats.saturation),
          sharpness: String(stats.sharpness),
        });
      }

      // v2 finds no food on the carrots: 'none' becomes a predicted class.
      const v2 = await evaluate('2');
      expect(v2.digest).toEqual(v1.digest);
      expect(v2.summary.confusion.labels).toEqual(['apple', 'banana', 'carrot', 'orange', 'none']);
      expect(v2.summary.confusion.matrix).toEqual([
        [2, 0, 0, 2, 0],
        [0, 4, 0, 0, 0],
        [0, 0, 0, 0, 2],
        [1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
      ]);
      expect(v2.metrics).toMatchObject({ accuracy: 6 / 11, precision_apple: 2 / 3, recall_apple: 0.5, precision_none: 0, recall_none: 0 });
      // no food: 'none' without a confidence, with the image's statistics all the same
      const v2Csv = await readCsv(path.join(artifactRoot, v2.experimentId, v2.runId, 'artifacts', 'predictions.csv'));
      expect(v2Csv.find((r) => r.path === 'carrot/F003.jpeg')).toMatchObject({ predicted: 'none', confidence: '', error: '', image_width: '307', image_bytes: '13948' });
      expect(v2Csv.every((r) => Number(r.brightness) > 0 && Number(r.brightness) < 1)).toBe(true);

      const c = await compareModels(tracking, [v1.runId, v2.runId]);
      expect(c.runs.map((r) => r.model)).toEqual(['food-detector/1', 'food-detector/2']);
      expect(c.params.filter((p) => p.differs).map((p) => p.key)).toEqual(['model_architecture', 'model_version']);
      const best = Object.fromEntries(c.metrics.map((m) => [m.key, m.bestRunId]));
      expect(best).toMatchObject({ accuracy: v1.runId, precision_macro: v1.runId, recall_apple: v1.runId, recall_banana: null });
    });

    it('marks the run FAILED when no image can be predicted, and refuses an empty folder before making a run', async () => {
      const tracking = createTrackingService(db());
      const artifacts = new LocalArtifactStore({ root: path.join(tmp, `unused-${td.name}`), maxBytes: 1024 });
      const broken = mkdtempSync(path.join(tmp, 'broken-'));
      mkdirSync(path.join(broken, 'apple'));
      copyFileSync(photoPath('E001'), path.join(broken, 'apple', 'a.jpg'));
      const tracker = localEvaluationTracker(tracking, artifacts);
      const failing = runEvaluation({
        tracker, model: spec('1'), dataDir: broken,
        predictor: async () => {
          throw new Error('the jpeg image is truncated or corrupt');
        },
      });
      await expect(failing).rejects.toThrow(/none of the 1 images could be predicted/);
      const experiment = await tracking.getExperimentByName(EVALUATION_EXPERIMENT);
      const runs = (await tracking.searchRuns({ experimentIds: [experiment.experimentId] })).runs;
      expect(runs.map((r) => r.info.status)).toEqual(['FAILED']);

      const empty = mkdtempSync(path.join(tmp, 'empty-'));
      await expect(runEvaluation({ tracker, model: spec('1'), dataDir: empty, predictor: async () => ({ label: null, confidence: null }) }))
        .rejects.toThrow(/no images in/);
      expect((await tracking.searchRuns({ experimentIds: [experiment.experimentId] })).runs).toHaveLength(1);
    });
  });
});

describe('evaluate command', () => {
  it('parses its arguments and says what is wrong', () => {
    expect(parseEvaluateArgs(['--model', 'food-detector/2', '--data', 'x'])).toEqual({ modelName: 'food-detector', modelVersion: '2', data: 'x', runName: undefined, trackingUri: undefined });
    expect(parseEvaluateArgs(['--model', 'a/1', '--data', 'x', '--tracking-uri', 'http://h:1'])).toMatchObject({ trackingUri: 'http://h:1' });
    expect(() => parseEvaluateArgs(['--model', 'a/1', '--data', 'x', '--tracking-uri', ' '])).toThrow(/--tracking-uri is empty/);
    expect(() => parseEvaluateArgs(['--data', 'x'])).toThrow(/--model is required/);
    expect(() => parseEvaluateArgs(['--model', 'food-detector', '--data', 'x'])).toThrow(/<name>\/<version>/);
    expect(() => parseEvaluateArgs(['--model', 'a/1'])).toThrow(/--data is required/);
    expect(() => parseEvaluateArgs(['--model', 'a/1', '--data', 'x', '--bogus'])).toThrow(/bogus/);
  });

  it('evaluates into the store and artifact folder of the configuration, printing a per-image table', async () => {
    const home = mkdtempSync(path.join(tmp, 'home-'));
    const lines: string[] = [];
    const result = await evaluateCommand(['--model', 'food-detector/1', '--data', dataDir, '--run-name', 'cli'], {
      env: { MLFLOW_ARTIFACT_LOCATION: 'art' },
      cwd: home,
      engine,
      print: (l) => lines.push(l),
    });
    expect(lines.filter((l) => l.startsWith('['))).toHaveLength(11);
    expect(lines).toContainEqual(expect.stringMatching(/^\[10\/11\] carrot\/F003\.jpeg: carrot -> hot dog 0\.\d\d \(\d+ ms\)  ✗$/));
    expect(lines).toContain('accuracy 81.8% (9/11); macro precision 60.0%, recall 60.0%');
    expect(result.metrics.accuracy).toBe(9 / 11);
    // the default store under ./mlruns of the working directory, artifacts where MLFLOW_ARTIFACT_LOCATION says
    expect(readFileSync(path.join(home, 'art', result.experimentId, result.runId, 'artifacts', 'confusion_matrix.csv'), 'utf8')).toContain('carrot,0,0,0,2,0');
    await expect(
      evaluateCommand(['--model', 'food-detector/9', '--data', dataDir], { cwd: home, env: {}, engine, print: () => {} }),
    ).rejects.toThrow(/unknown model food-detector\/9; known: food-detector\/1, food-detector\/2/);
  });
});

/** An HTTP relay to `target` that records each request's method, path and Authorization header. */
async function recordingProxy(target: string) {
  const to = new URL(target);
  const requests: Array<{ call: string; authorization: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    requests.push({ call: `${req.method} ${req.url!.split('?')[0]}`, authorization: req.headers.authorization });
    // agent: false, so no pooled socket to the app holds its close() up
    const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (up) => {
      res.writeHead(up.statusCode!, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (err) => res.destroy(err));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function listenOnFreePort(t: TestApp): Promise<string> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

const byKey = (entries: Array<{ key: string; value: unknown }> | undefined) => Object.fromEntries((entries ?? []).map((e) => [e.key, e.value]));
/** predictions.csv without its one timing column, which differs from run to run */
const withoutLatency = (csv: string) =>
  csv
    .trim()
    .split('\n')
    .map((line) => line.split(',').filter((_, i) => i !== 4).join(','));

describe('evaluate command logging to a running server over HTTP', () => {
  const TOKEN = 'tok-0123456789-secret';
  let server: TestApp;
  let serverUrl: string;

  beforeAll(async () => {
    server = await startTestApp({}, { engine });
    serverUrl = await listenOnFreePort(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function getJson(url: string) {
    const r = await server.app.inject({ method: 'GET', url });
    expect(r.statusCode, r.body).toBe(200);
    return r;
  }

  it('logs through MLflow\'s REST API what a local store logs, with the token on every call', async () => {
    const home = mkdtempSync(path.join(tmp, 'http-'));
    const localStore = `sqlite:///${path.join(home, 'local.db')}`;
    const localArtifacts = path.join(home, 'art');
    // --tracking-uri wins over MLFLOW_TRACKING_URI (here an address nothing listens on)
    const local = await evaluateCommand(['--model', 'food-detector/1', '--data', dataDir, '--run-name', 'same', '--tracking-uri', localStore], {
      env: { MLFLOW_TRACKING_URI: 'http://127.0.0.1:9', MLFLOW_ARTIFACT_LOCATION: localArtifacts },
      cwd: home,
      engine,
      print: () => {},
    });

    const proxy = await recordingProxy(serverUrl);
    const lines: string[] = [];
    let remote;
    try {
      remote = await evaluateCommand(['--model', 'food-detector/1', '--data', dataDir, '--run-name', 'same'], {
        env: { MLFLOW_TRACKING_URI: proxy.url, MLFLOW_TRACKING_TOKEN: TOKEN },
        cwd: home,
        engine,
        print: (l) => lines.push(l),
      });
    } finally {
      await proxy.close();
    }
    const runRoot = `${remote.experimentId}/${remote.runId}/artifacts`;
    expect(remote.artifactUri).toBe(`mlflow-artifacts:/${runRoot}`);
    expect(proxy.requests.map((r) => r.call)).toEqual([
      'GET /api/2.0/mlflow/experiments/get-by-name',
      'POST /api/2.0/mlflow/experiments/create',
      'POST /api/2.0/mlflow/runs/create',
      'POST /api/2.0/mlflow/runs/log-batch',
      'POST /api/2.0/mlflow/runs/log-inputs',
      'POST /api/2.0/mlflow/runs/log-batch',
      `PUT /api/2.0/mlflow-artifacts/artifacts/${runRoot}/confusion_matrix.json`,
      `PUT /api/2.0/mlflow-artifacts/artifacts/${runRoot}/confusion_matrix.csv`,
      `PUT /api/2.0/mlflow-artifacts/artifacts/${runRoot}/predictions.csv`,
      'POST /api/2.0/mlflow/runs/update',
    ]);
    expect(proxy.requests.filter((r) => r.authorization !== `Bearer ${TOKEN}`)).toEqual([]);
    expect(lines.filter((l) => l.startsWith('['))).toHaveLength(11);
    expect(lines).toContain(`run ${remote.runId} in experiment food-detector-evaluation (id ${remote.experimentId}), server ${proxy.url}`);
    expect(lines.filter((l) => l.includes(TOKEN))).toEqual([]);

    // read back through the server's API, and compared with the local store's run in the same JSON form
    const { run } = (await getJson(`/api/2.0/mlflow/runs/get?run_id=${remote.runId}`)).json();
    const localDatabase = await openDatabase(localStore);
    const localRun = runJson(await createTrackingService(localDatabase).getRun(local.runId)) as typeof run;
    await localDatabase.close();
    expect((await getJson(`/api/2.0/mlflow/experiments/get?experiment_id=${remote.experimentId}`)).json().experiment.name).toBe(EVALUATION_EXPERIMENT);
    expect(run.info).toMatchObject({ status: 'FINISHED', run_name: 'same', artifact_uri: remote.artifactUri });
    expect(run.info.end_time).toBeGreaterThanOrEqual(run.info.start_time);
    expect(byKey(run.data.params)).toEqual(remote.params);
    expect(byKey(run.data.params)).toEqual(byKey(localRun.data.params));
    expect(byKey(run.data.tags)).toEqual(byKey(localRun.data.tags));
    expect(byKey(run.data.tags)).toMatchObject({ 'foodlens.run_type': 'evaluation', 'foodlens.model_version': '1', 'mlflow.runName': 'same' });
    expect(run.inputs).toEqual(localRun.inputs);
    expect(run.inputs.dataset_inputs[0].dataset).toMatchObject({ name: 'ifct', digest: remote.digest.digest, source_type: 'local' });

    const metrics = byKey(run.data.metrics);
    const localMetrics = byKey(localRun.data.metrics);
    expect(Object.keys(metrics).sort()).toEqual(Object.keys(localMetrics).sort());
    const timing = (k: string) => k.startsWith('latency_');
    expect(Object.keys(metrics).filter(timing).sort()).toEqual(['latency_mean_ms', 'latency_p50_ms', 'latency_p95_ms']);
    for (const [key, value] of Object.entries(metrics)) {
      expect(value, key).toBe(timing(key) ? remote.metrics[key] : localMetrics[key]);
    }
    expect(metrics).toMatchObject({ accuracy: 9 / 11, recall_carrot: 0, images_evaluated: 11 });
    expect(run.data.metrics.every((m: { step: number }) => m.step === 0)).toBe(true);

    const listing = (await getJson(`/api/2.0/mlflow-artifacts/artifacts?path=${runRoot}`)).json();
    expect(listing.files.map((f: { path: string }) => f.path)).toEqual(['confusion_matrix.csv', 'confusion_matrix.json', 'predictions.csv']);
    const served = async (file: string) => (await getJson(`/api/2.0/mlflow-artifacts/artifacts/${runRoot}/${file}`)).body;
    const stored = (file: string) => readFileSync(path.join(localArtifacts, local.experimentId, local.runId, 'artifacts', file), 'utf8');
    expect(await served('confusion_matrix.json')).toBe(stored('confusion_matrix.json'));
    expect(await served('confusion_matrix.csv')).toBe(stored('confusion_matrix.csv'));
    const predictions = await served('predictions.csv');
    expect(predictions.split('\n')[0]).toMatch(/^path,label,predicted,confidence,latency_ms,error,/);
    expect(withoutLatency(predictions)).toEqual(withoutLatency(stored('predictions.csv')));
  });

  it('says which URL could not be reached, before running the model; refuses a tracking URI it cannot use', async () => {
    const gone = http.createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const { port } = gone.address() as AddressInfo;
    await new Promise((resolve) => gone.close(resolve));
    const lines: string[] = [];
    await expect(
      evaluateCommand(['--model', 'food-detector/1', '--data', dataDir], { env: { MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}` }, engine, print: (l) => lines.push(l) }),
    ).rejects.toThrow(
      `GET /api/2.0/mlflow/experiments/get-by-name: could not reach the tracking server at http://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect(lines).toEqual([]);

    const args = (uri: string) => ['--model', 'food-detector/1', '--data', dataDir, '--tracking-uri', uri];
    await expect(evaluateCommand(args('file:///tmp/x'), { env: {}, engine, print: () => {} })).rejects.toThrow(
      /unsupported store URI scheme "file".*; or http\(s\):\/\/host:port for a running FoodLens or MLflow server$/,
    );
    await expect(evaluateCommand(args(serverUrl), { env: { MLFLOW_TRACKING_PASSWORD: 'pw' }, engine, print: () => {} })).rejects.toThrow(
      /MLFLOW_TRACKING_PASSWORD is set without MLFLOW_TRACKING_USERNAME/,
    );
  });

  it("surfaces the server's 4xx answer, naming the call, and leaves the run FAILED", async () => {
    // a server whose artifact limit is smaller than the confusion matrix: the first upload is refused with 413
    const strict = await startTestApp({ FOODLENS_MAX_ARTIFACT_BYTES: '100' }, { engine });
    try {
      const strictUrl = await listenOnFreePort(strict);
      const one = mkdtempSync(path.join(tmp, 'one-'));
      mkdirSync(path.join(one, 'apple'));
      copyFileSync(photoPath('E001'), path.join(one, 'apple', 'E001.jpeg'));
      const err = await evaluateCommand(['--model', 'food-detector/1', '--data', one], { env: { MLFLOW_TRACKING_URI: strictUrl }, engine, print: () => {} }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TrackingServerError);
      expect((err as Error).message).toMatch(
        new RegExp(
          `^PUT /api/2\\.0/mlflow-artifacts/artifacts/\\d+/[0-9a-f]{32}/artifacts/confusion_matrix\\.json on ${strictUrl} failed: ` +
            '413 PAYLOAD_TOO_LARGE: Artifact is larger than the limit of 100 bytes \\(FOODLENS_MAX_ARTIFACT_BYTES\\)$',
        ),
      );
      const experiment = (await strict.app.inject({ method: 'GET', url: `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${EVALUATION_EXPERIMENT}` })).json().experiment;
      const search = await strict.app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/search', payload: { experiment_ids: [experiment.experiment_id] } });
      expect(search.json().runs.map((r: { info: { status: string } }) => r.info.status)).toEqual(['FAILED']);
    } finally {
      await strict.close();
    }
  });
});
