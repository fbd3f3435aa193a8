// Drift monitoring end to end on every database: synthetic streams go through insertPredictions (so the rollups and
// their feature summaries are built the normal way), a reference is set from a window, from the first N predictions or
// from an evaluation run of real photos (the evaluate command's run and predictions.csv), and the drift endpoint flags
// exactly the shifted features, and nothing between two windows of one distribution.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftReference, DriftReferenceList, DriftReport, ErrorBody } from '@foodlens/contracts';
import { describeEachDatabase } from '../../test/databases.js';
import { LABELLED_PHOTOS, photoPath } from '../../test/photos.js';
import { joinArtifactPath } from '../artifacts/artifact-path.js';
import { LocalArtifactStore, resolveArtifactUri, type ArtifactStore } from '../artifacts/artifact-store.js';
import type { Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { setChampionVersion } from '../deployments/champion-alias.js';
import { runEvaluation } from '../evaluation/evaluation-run.js';
import { localEvaluationTracker } from '../evaluation/evaluation-tracker.js';
import { modelPredictor } from '../evaluation/model-predictor.js';
import { builtinFoodModels, createInferenceEngine } from '../inference/index.js';
import type { InferenceEngine } from '../inference/types.js';
import { EVALUATION_EXPERIMENT, MODEL_NAME_TAG, MODEL_VERSION_TAG, RUN_TYPE_TAG } from '../tracking/tracker/run-tags.js';
import { ensureExperiment } from '../tracking/tracker/ensure-experiment.js';
import { createTrackingService } from '../tracking/tracking.service.js';
import { driftStream, DRIFT_FOODS } from '../monitoring/drift-monitor/drift-test-data.js';
import { insertPredictions } from '../monitoring/prediction-log/prediction-log.repository.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import { createRegisteredModel, createModelVersion } from '../registry/index.js';
import { DAY_MS, HOUR_MS } from '../monitoring/rollups/time-buckets.js';
import { registerErrorHandler } from './error-handler.js';
import { monitoringDriftRoutes } from './monitoring-drift.routes.js';

async function driftApp(database: Database, artifacts?: ArtifactStore): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(monitoringDriftRoutes, { database, artifacts });
  return app;
}

// Evaluation runs: food-detector/2 over the labelled photos (see evaluation-run.integration.test.ts for its answers:
// 2 apples as oranges, the orange as an apple, no food on either carrot). One file name needs CSV quoting.
let engine: InferenceEngine;
let tmp: string;
let dataDir: string;
const v2Spec = () => builtinFoodModels().find((s) => s.version === '2')!;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'foodlens-drift-eval-'));
  dataDir = path.join(tmp, 'ifct');
  for (const { code, label } of LABELLED_PHOTOS) {
    mkdirSync(path.join(dataDir, label), { recursive: true });
    const name = code === 'E001' ? 'E001 "big", red.jpeg' : `${code}.jpeg`;
    copyFileSync(photoPath(code), path.join(dataDir, label, name));
  }
  engine = createInferenceEngine({ workers: 1 });
  await engine.load(v2Spec());
}, 120_000);
afterAll(async () => {
  await engine?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function insertAll(database: Database, records: PredictionRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 1000) await insertPredictions(database, records.slice(i, i + 1000));
}

const drifted = (r: DriftReport) => r.features.filter((f) => f.drifted).map((f) => f.name).sort();

describeEachDatabase((td) => {
  describe('/api/v1/mlops/monitoring/drift', () => {
    let database: Database;
    let app: FastifyInstance;
    let artifacts: LocalArtifactStore;
    const now = Date.now();
    // Three whole-hour windows, oldest first: the reference, one of the same distribution, one shifted.
    const day = (k: number) => {
      const end = Math.floor((now - (k - 1) * DAY_MS) / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
      return { from: end - 20 * HOUR_MS, to: end };
    };
    const [refWin, sameWin, shiftWin] = [day(3), day(2), day(1)];
    const shiftedFoods = DRIFT_FOODS.map((_, i) => (i < 2 ? 6 : 1));

    const drift = async (query: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/mlops/monitoring/drift?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return DriftReport.parse(res.json());
    };
    const putReference = async (body: unknown) => {
      const res = await app.inject({ method: 'PUT', url: '/api/v1/mlops/monitoring/drift/reference', payload: body as object });
      expect(res.statusCode, res.body).toBe(200);
      return DriftReference.parse(res.json());
    };
    const expectError = async (method: 'GET' | 'PUT' | 'DELETE', url: string, status: number, payload?: object) => {
      const res = await app.inject({ method, url, ...(payload ? { payload } : {}) });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      return ErrorBody.parse(res.json());
    };

    // One store for the whole suite (inserting the streams is the slow part): the tests run in order, the first before
    // any reference or champion exists.
    beforeAll(async () => {
      database = await td.open();
      await migrateToLatest(database);
      await insertAll(database, [
        ...driftStream(1, 3000, refWin),
        ...driftStream(2, 3000, sameWin),
        ...driftStream(3, 3000, { ...shiftWin, brightnessShift: 0.2, foodWeights: shiftedFoods }),
        // another version in the same hours, kept out of version 1's windows
        ...driftStream(4, 800, { ...shiftWin, version: '2', brightnessShift: -0.3 }),
        // shadow runs of version 1 on darker images: their own variant, out of the served predictions
        ...driftStream(5, 1500, { ...sameWin, variant: 'shadow', brightnessShift: -0.3 }),
      ]);
      artifacts = new LocalArtifactStore({ root: mkdtempSync(path.join(tmp, `artifacts-${td.name}-`)), maxBytes: 10 * 1024 * 1024 });
      app = await driftApp(database, artifacts);
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await database.close();
    });

    it('without a reference: 404 saying how to set one; bad parameters: 400 JSON', async () => {
      const none = await expectError('GET', '/api/v1/mlops/monitoring/drift?model=food-detector&version=1', 404);
      expect(none.error).toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', reason: 'no_reference' });
      expect(none.error.message).toMatch(/PUT \/api\/v1\/mlops\/monitoring\/drift\/reference/);
      await expectError('GET', '/api/v1/mlops/monitoring/drift/reference?version=1', 404);
      const noChampion = await expectError('GET', '/api/v1/mlops/monitoring/drift', 400);
      expect(noChampion.error.reason).toBe('no_champion');

      for (const q of [
        'version=x',
        'version=1&window=5h',
        'version=1&window=24h&from=1',
        'version=1&to=5',
        'version=1&from=10&to=5',
        'version=1&from=yesterday',
        'version=1&drift_share=0',
        'version=1&drift_share=1.5',
        'version=1&stattest_threshold=1',
        'version=1&stattest_threshold=abc',
        'version=1&method=kl',
        'version=1&psi_threshold=-1',
        'version=1&variant=everything',
      ]) {
        const e = await expectError('GET', `/api/v1/mlops/monitoring/drift?${q}`, 400);
        expect(e.error.code, q).toBe('INVALID_PARAMETER_VALUE');
      }
      for (const body of [
        {},
        { version: '1' },
        { version: '1', source: { type: 'run', run_id: 'abc' } },
        { version: '1', source: { type: 'window', from: 10 } },
        { version: '1', source: { type: 'window', from: 10, to: 5 } },
        { version: '1', source: { type: 'first', n: 0 } },
        { version: '1', source: { type: 'first', n: 1.5 } },
        { version: '1', source: { type: 'first', n: 10, after: 'soon' } },
        { version: '0', source: { type: 'first', n: 10 } },
        { version: '1', source: { type: 'evaluation' } },
        { version: '1', source: { type: 'evaluation', run_id: '' } },
      ]) {
        const e = await expectError('PUT', '/api/v1/mlops/monitoring/drift/reference', 400, body);
        expect(e.error.code, JSON.stringify(body)).toBe('INVALID_PARAMETER_VALUE');
      }
      // a window without predictions of the version
      const empty = await expectError('PUT', '/api/v1/mlops/monitoring/drift/reference', 400, {
        model: 'food-detector', version: '7', source: { type: 'window', from: refWin.from, to: refWin.to },
      });
      expect(empty.error.reason).toBe('empty_reference');
    });

    it('flags exactly the shifted features, and nothing on a window of the same distribution', async () => {
      const ref = await putReference({ model: 'food-detector', version: '1', source: { type: 'window', from: refWin.from, to: new Date(refWin.to).toISOString() } });
      expect(ref.rows).toBeGreaterThan(2700);
      expect(ref.source).toEqual({ type: 'window', from: refWin.from, to: refWin.to, variant: 'all' });
      expect(ref.range).toEqual({ from: refWin.from, to: refWin.to });
      expect(ref.features.food.reduce((n, f) => n + f.count, 0)).toBe(ref.rows);
      expect(ref.features.numeric.brightness!.count).toBe(ref.rows);

      const same = await drift(`model=food-detector&version=1&from=${sameWin.from}&to=${sameWin.to}&variant=served`);
      expect(same.features.map((f) => f.name)).toEqual(['confidence', 'image_width', 'image_height', 'aspect_ratio', 'image_bytes', 'brightness', 'contrast', 'saturation', 'sharpness', 'food']);
      expect(drifted(same)).toEqual([]);
      expect(same.dataset).toMatchObject({ features: 10, evaluated: 10, drifted_features: 0, drifted: false, drift_share: 0.5 });
      expect(same.reference.rows).toBe(ref.rows);
      expect(same.current.rows).toBeGreaterThan(2700);
      // the reference has > 1000 rows: Evidently's large-reference defaults
      const byName = Object.fromEntries(same.features.map((f) => [f.name, f]));
      expect(byName.brightness).toMatchObject({ test: 'wasserstein', threshold: 0.1, p_value: null, status: 'ok' });
      expect(byName.food).toMatchObject({ test: 'jensenshannon', threshold: 0.1, approximate: false });
      expect(byName.image_width).toMatchObject({ test: 'wasserstein', approximate: false }); // 6 exact widths
      for (const f of same.features) {
        const d = f.distribution!;
        expect(d.reference.length).toBe(d.labels.length);
        expect(d.current.length).toBe(d.labels.length);
        expect(d.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        expect(d.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        if (d.edges) expect(d.edges.length).toBe(d.labels.length + 1);
      }
      expect(byName.food!.distribution!.labels).toContain('(no food)');
      expect(byName.brightness!.stats!.reference.mean).toBeCloseTo(0.45, 1);
      // an empty window: nothing to compare, nothing drifts
      const empty = await drift(`model=food-detector&version=1&from=${refWin.from - 5 * DAY_MS}&to=${refWin.from - 4 * DAY_MS}`);
      expect(empty.current.rows).toBe(0);
      expect(empty.features.every((f) => f.status === 'not_enough_data' && !f.drifted && f.reason === 'the current window is empty')).toBe(true);
      expect(empty.dataset).toMatchObject({ evaluated: 0, drifted: false });
      expect(empty.dataset.not_enough_data).toHaveLength(10);
      // one threshold for every test: a tiny distance now counts
      const loose = await drift(`model=food-detector&version=1&from=${sameWin.from}&to=${sameWin.to}&variant=served&stattest_threshold=0.001`);
      expect(new Set(loose.features.map((f) => f.threshold))).toEqual(new Set([0.001]));
      expect(loose.dataset.drifted).toBe(true);

      const shifted = await drift(`model=food-detector&version=1&from=${shiftWin.from}&to=${shiftWin.to}`);
      expect(drifted(shifted)).toEqual(['brightness', 'food']);
      expect(shifted.dataset).toMatchObject({ drifted_features: 2, share: 0.2, drifted: false });
      const b = shifted.features.find((f) => f.name === 'brightness')!;
      expect(b.stats!.current.mean! - b.stats!.reference.mean!).toBeCloseTo(0.2, 1);
      // a lower drift share makes the dataset drift
      const strict = await drift(`model=food-detector&version=1&from=${shiftWin.from}&to=${shiftWin.to}&drift_share=0.2`);
      expect(strict.dataset.drifted).toBe(true);

      // PSI on top: the same two features reach 0.1, the others stay well below
      // the shadow runs alone: darker
      const shadow = await drift(`model=food-detector&version=1&from=${sameWin.from}&to=${sameWin.to}&variant=shadow`);
      expect(drifted(shadow)).toEqual(['brightness']);
      expect(shadow.current.rows).toBeLessThan(1500);
      expect(shadow.variant).toBe('shadow');

      const psi = await drift(`model=food-detector&version=1&from=${shiftWin.from}&to=${shiftWin.to}&method=psi`);
      expect(psi.psi!.drifted_features.sort()).toEqual(['brightness', 'food']);
      expect(psi.features.find((f) => f.name === 'brightness')!.psi!.distribution.edges![0]).toBeNull(); // open outer bin
      const samePsi = await drift(`model=food-detector&version=1&from=${sameWin.from}&to=${sameWin.to}&method=psi&variant=champion`);
      expect(samePsi.psi!.drifted_features).toEqual([]);
    });

    it('a reference of the first N predictions after a time; the champion by default; the trailing window', async () => {
      const ref = await putReference({ model: 'food-detector', version: '1', source: { type: 'first', n: 2000, after: refWin.from } });
      expect(ref.rows).toBe(2000);
      expect(ref.source).toEqual({ type: 'first', n: 2000, after: refWin.from, variant: 'all' });
      expect(ref.range.from).toBeGreaterThanOrEqual(refWin.from);
      expect(ref.range.to).toBeLessThan(refWin.to);
      expect(ref.features.numeric.confidence!.count + ref.features.numeric.confidence!.missing).toBe(2000);
      const got = await app.inject({ method: 'GET', url: '/api/v1/mlops/monitoring/drift/reference?version=1' });
      expect(got.statusCode).toBe(200);
      expect(DriftReference.parse(got.json())).toEqual(ref);
      // the list answers which versions have one, without the summaries
      const list = await app.inject({ method: 'GET', url: '/api/v1/mlops/monitoring/drift/references?model=food-detector' });
      const { features: _features, ...summary } = ref;
      expect(DriftReferenceList.parse(list.json())).toEqual({ references: [summary] });
      const other = await app.inject({ method: 'GET', url: '/api/v1/mlops/monitoring/drift/references?model=nothing-here' });
      expect(other.json()).toEqual({ references: [] });

      await createRegisteredModel(database.db, { name: 'food-detector' });
      await createModelVersion(database.db, { name: 'food-detector', source: 'models:/x' });
      await setChampionVersion(database.db, 'food-detector', '1');
      const same = await drift(`from=${sameWin.from}&to=${sameWin.to}&variant=served`);
      expect(same.version).toBe('1');
      expect(drifted(same)).toEqual([]);
      // default window: the last 24 hours hold the shifted stream
      const last = await drift('');
      expect(last.current.range.to).toBeGreaterThanOrEqual(now);
      expect(drifted(last)).toEqual(['brightness', 'food']);

      // fewer predictions than asked: all there are, said so
      const few = await putReference({ model: 'food-detector', version: '2', source: { type: 'first', n: 5000 } });
      expect(few.rows).toBeLessThan(800);
      expect(few.description).toMatch(/fewer than the 5000 asked/);
      // shadow variant only: version 2 has none
      const e = await expectError('PUT', '/api/v1/mlops/monitoring/drift/reference', 400, { model: 'food-detector', version: '2', source: { type: 'first', n: 10, variant: 'shadow' } });
      expect(e.error.reason).toBe('empty_reference');

      const del = await app.inject({ method: 'DELETE', url: '/api/v1/mlops/monitoring/drift/reference?model=food-detector&version=2' });
      expect(del.statusCode).toBe(204);
      await expectError('DELETE', '/api/v1/mlops/monitoring/drift/reference?model=food-detector&version=2', 404);
    });

    it('a reference from an evaluation run: its images, as live predictions of them would be summarised', async () => {
      const tracking = createTrackingService(database);
      const run = await runEvaluation({ tracker: localEvaluationTracker(tracking, artifacts), model: v2Spec(), predictor: modelPredictor(engine, v2Spec(), 50_000_000), dataDir });
      const images = run.predictions.map((p) => p.image!);
      expect(images).toHaveLength(11);
      const info = (await tracking.getRun(run.runId)).info;

      const ref = await putReference({ model: 'food-detector', version: '2', source: { type: 'evaluation', run_id: run.runId } });
      expect(ref.source).toEqual({ type: 'evaluation', run_id: run.runId });
      expect(ref.rows).toBe(11);
      expect(ref.range).toEqual({ from: info.startTime, to: info.endTime });
      expect(ref.description).toBe(`11 images of evaluation run ${info.runName} (${run.runId}) on dataset ifct (digest ${run.digest.digest})`);
      // no food on the carrots: the food '(no food)' without a confidence, as a served prediction without food
      expect(ref.features.food).toEqual([
        { food: 'banana', count: 4 },
        { food: 'apple', count: 3 },
        { food: '(no food)', count: 2 },
        { food: 'orange', count: 2 },
      ]);
      const n = ref.features.numeric;
      expect(n.confidence).toMatchObject({ count: 9, missing: 2 });
      expect(n.image_width).toEqual({ count: 11, missing: 0, mean: 307, std: 0, min: 307, max: 307 });
      expect(n.aspect_ratio!.mean).toBeCloseTo(307 / 172, 12);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(n.image_bytes!.mean).toBeCloseTo(mean(images.map((i) => i.bytes)), 6);
      for (const k of ['brightness', 'contrast', 'saturation', 'sharpness'] as const) {
        expect(n[k]!.count, k).toBe(11);
        expect(n[k]!.mean, k).toBeCloseTo(mean(images.map((i) => i[k])), 12);
        expect(n[k]!.min, k).toBe(Math.min(...images.map((i) => i[k])));
      }
      const got = await app.inject({ method: 'GET', url: '/api/v1/mlops/monitoring/drift/reference?model=food-detector&version=2' });
      expect(got.statusCode).toBe(200);
      expect(DriftReference.parse(got.json())).toEqual(ref);

      // Served predictions of the same photos (three times each) in a window of their own: nothing drifts.
      const mirror = { from: Math.floor((now - 10 * DAY_MS) / HOUR_MS) * HOUR_MS, to: Math.floor((now - 10 * DAY_MS) / HOUR_MS) * HOUR_MS + 2 * HOUR_MS };
      const served = driftStream(6, 33, { ...mirror, version: '2', errorRate: 0 }).map((r, i) => {
        const p = run.predictions[i % 11]!;
        const img = p.image!;
        return {
          ...r, foodName: p.predicted === 'none' ? null : p.predicted, confidence: p.confidence,
          imageWidth: img.width, imageHeight: img.height, imageBytes: img.bytes,
          brightness: img.brightness, contrast: img.contrast, saturation: img.saturation, sharpness: img.sharpness,
        };
      });
      await insertAll(database, served);
      const same = await drift(`model=food-detector&version=2&from=${mirror.from}&to=${mirror.to}`);
      expect(same.reference).toMatchObject({ source: { type: 'evaluation', run_id: run.runId }, rows: 11 });
      expect(same.current.rows).toBe(33);
      expect(same.features.every((f) => f.status === 'ok')).toBe(true);
      expect(drifted(same)).toEqual([]);
      // the synthetic stream of version 2: other sizes, other foods
      const other = await drift(`model=food-detector&version=2&from=${shiftWin.from}&to=${shiftWin.to}`);
      expect(drifted(other)).toEqual(expect.arrayContaining(['image_width', 'image_height', 'image_bytes', 'food']));
      expect(other.dataset.drifted).toBe(true);

      const put = (body: object, status: number) => expectError('PUT', '/api/v1/mlops/monitoring/drift/reference', status, body);
      const unknown = await put({ model: 'food-detector', version: '2', source: { type: 'evaluation', run_id: 'f'.repeat(32) } }, 404);
      expect(unknown.error).toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', reason: 'run_not_found' });
      const wrongVersion = await put({ model: 'food-detector', version: '1', source: { type: 'evaluation', run_id: run.runId } }, 400);
      expect(wrongVersion.error.reason).toBe('wrong_model_version');
      expect(wrongVersion.error.message).toMatch(/evaluated food-detector version 2, not food-detector version 1/);
      const wrongModel = await put({ model: 'dish-detector', version: '2', source: { type: 'evaluation', run_id: run.runId } }, 400);
      expect(wrongModel.error.reason).toBe('wrong_model_version');
      const plain = await tracking.createRun({ experimentId: (await ensureExperiment(tracking, 'notebooks', [])).experimentId });
      const notEvaluation = await put({ model: 'food-detector', version: '2', source: { type: 'evaluation', run_id: plain.info.runId } }, 400);
      expect(notEvaluation.error).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', reason: 'not_evaluation_run' });

      // A run as an older evaluate logged it: RUNNING, then finished without predictions.csv, then with one without statistics.
      const experiment = await ensureExperiment(tracking, EVALUATION_EXPERIMENT, []);
      const old = await tracking.createRun({
        experimentId: experiment.experimentId,
        tags: [{ key: RUN_TYPE_TAG, value: 'evaluation' }, { key: MODEL_NAME_TAG, value: 'food-detector' }, { key: MODEL_VERSION_TAG, value: '2' }],
      });
      const oldBody = { model: 'food-detector', version: '2', source: { type: 'evaluation', run_id: old.info.runId } };
      expect((await put(oldBody, 400)).error.reason).toBe('run_not_finished');
      await tracking.updateRun({ runId: old.info.runId, status: 'FINISHED', endTime: Date.now() });
      expect((await put(oldBody, 400)).error.reason).toBe('no_predictions');
      const oldCsv = 'path,label,predicted,confidence,latency_ms,error\napple/E001.jpeg,apple,apple,0.9,10.5,\n';
      await artifacts.put(joinArtifactPath(resolveArtifactUri(old.info.artifactUri), 'predictions.csv'), Readable.from([Buffer.from(oldCsv)]));
      const noStats = await put(oldBody, 400);
      expect(noStats.error.reason).toBe('no_image_stats');
      expect(noStats.error.message).toMatch(/Re-run `npm run evaluate -- --model food-detector\/2 --data <folder>`/);
      // none of the refusals touched the stored reference
      expect(DriftReference.parse((await app.inject({ method: 'GET', url: '/api/v1/mlops/monitoring/drift/reference?version=2' })).json())).toEqual(ref);

      // a server that reads no artifact store says so
      const bare = await driftApp(database);
      try {
        const res = await bare.inject({ method: 'PUT', url: '/api/v1/mlops/monitoring/drift/reference', payload: { version: '2', source: { type: 'evaluation', run_id: run.runId } } });
        expect(res.statusCode).toBe(503);
        expect(ErrorBody.parse(res.json()).error.reason).toBe('no_artifact_store');
      } finally {
        await bare.close();
      }
    });

  });
});
