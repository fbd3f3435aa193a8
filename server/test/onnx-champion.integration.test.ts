// The registry drives serving, end to end over HTTP: a classifier built here as ONNX is registered as a new version of
// food-detector, promoted to champion (through the deployment API, then through MLflow's alias API), and
// /api/v1/predict answers with its labels; rollback brings the detector back.
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from './databases.js';
import { multipart, startTestApp, type TestApp } from './app-harness.js';
import { COLOUR_LABELS, colourClassifierOnnx } from './fixtures/onnx-models.js';

const SPEC = { task: 'classification', labels: [...COLOUR_LABELS], input: { width: 32, height: 32 }, output: { activation: 'none' } };

function solid(r: number, g: number, b: number): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r, g, b } } }).jpeg().toBuffer();
}

describeEachDatabase((td) => {
  describe('an ONNX model registered through the API serves as champion', () => {
    const db = useTestDatabase(td);
    let t: TestApp;
    afterEach(async () => t?.close());

    async function predict(image: Buffer, user: string) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', ...multipart([{ name: 'user_id', value: user }, { name: 'file', value: image, filename: 'x.jpg', type: 'image/jpeg' }]) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { food_name: string | null; confidence: number; model: { name: string; version: string; variant?: string }; detections: unknown[] };
    }

    it('register -> champion -> predict answers tomato/broccoli/banana; alias moves and rollback follow', async () => {
      t = await startTestApp({}, { database: db() });
      const red = await solid(230, 20, 20);
      const green = await solid(20, 220, 30);
      const yellow = await solid(240, 230, 20);
      const before = await predict(red, 'u1');
      expect(before.model).toEqual({ name: 'food-detector', version: '1', variant: 'champion' });

      const reg = await t.app.inject({
        method: 'POST',
        url: '/api/v1/mlops/register-model',
        ...multipart([
          { name: 'name', value: 'food-detector' },
          { name: 'spec', value: JSON.stringify(SPEC) },
          { name: 'file', value: colourClassifierOnnx(), filename: 'colours.onnx', type: 'application/octet-stream' },
        ]),
      });
      expect(reg.statusCode, reg.body).toBe(201);
      const version = String(reg.json().version);
      expect(version).toBe('3'); // after the built-in versions 1 and 2

      const put = await t.app.inject({ method: 'PUT', url: '/api/v1/mlops/deployment', payload: { model: 'food-detector', champion: version } });
      expect(put.statusCode, put.body).toBe(200);
      for (const [image, food] of [[red, 'tomato'], [green, 'broccoli'], [yellow, 'banana']] as const) {
        const p = await predict(image, 'u2');
        expect(p.model).toEqual({ name: 'food-detector', version, variant: 'champion' });
        expect(p.food_name).toBe(food);
        expect(p.confidence).toBeGreaterThan(0.5);
      }
      // the MLflow registry shows the alias, and the new version's listing its flavor and serving role
      const alias = await t.app.inject({ url: `/api/2.0/mlflow/registered-models/alias?name=food-detector&alias=champion` });
      expect(alias.json().model_version.version).toBe(version);
      const listing = (await t.app.inject({ url: '/api/v1/mlops/model-versions?model=food-detector' })).json();
      const mine = listing.model_versions.find((v: { version: string }) => v.version === version);
      expect(mine).toMatchObject({ flavor: 'onnx', task: 'classification', labels: 3, aliases: ['champion'], serving: { roles: ['champion'], loaded: true } });
      expect(mine.metrics.requests).toBeGreaterThanOrEqual(0);

      // an MLflow client moving the alias switches serving (the registry event wakes the deployment follower)
      const move = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/registered-models/alias', payload: { name: 'food-detector', alias: 'champion', version: '2' } });
      expect(move.statusCode, move.body).toBe(200);
      await expect.poll(async () => (await predict(red, 'u3')).model.version, { timeout: 15_000, interval: 200 }).toBe('2');

      // rollback re-applies the revision before the alias move: the ONNX champion again
      const rb = await t.app.inject({ method: 'POST', url: '/api/v1/mlops/deployment/rollback', payload: { model: 'food-detector' } });
      expect(rb.statusCode, rb.body).toBe(200);
      const again = await predict(green, 'u4');
      expect(again).toMatchObject({ food_name: 'broccoli', model: { version } });
    }, 180_000);
  });
});
