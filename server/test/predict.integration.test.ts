import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PredictionList, PredictResponse, ErrorBody, Health } from '@foodlens/contracts';
import { eventually, multipart, startTestApp, type TestApp } from './app-harness.js';
import { photo } from './photos.js';

let t: TestApp;
beforeAll(async () => {
  // A small upload limit so the 413 path is cheap to reach.
  t = await startTestApp({ FOODLENS_MAX_UPLOAD_BYTES: String(512 * 1024) });
});
afterAll(async () => t?.close());

async function predictions(limit = 50) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/predictions?limit=${limit}` });
  expect(res.statusCode).toBe(200);
  return PredictionList.parse(res.json());
}

function expectError(res: { statusCode: number; json(): unknown }, status: number, reason?: string) {
  expect(res.statusCode).toBe(status);
  const body = ErrorBody.parse(res.json());
  expect(body.error.message.length).toBeGreaterThan(5);
  if (reason) expect(body.error.reason).toBe(reason);
  return body;
}

describe('POST /api/v1/predict', () => {
  it('recognises a banana photo sent as multipart, and logs it within a second', async () => {
    const form = multipart([
      { name: 'user_id', value: 'alice' },
      { name: 'file', value: photo('E010'), filename: 'banana.jpg', type: 'image/jpeg' },
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', ...form });
    expect(res.statusCode).toBe(200);
    const body = PredictResponse.parse(res.json());
    expect(body.food_name).toBe('banana');
    expect(body.confidence).toBeGreaterThan(0.2);
    expect(body.detections[0]!.label).toBe('banana');
    expect(body.model).toEqual({ name: 'food-detector', version: '1', variant: 'champion' });
    expect(body.image).toEqual({ width: 307, height: 172, size_bytes: photo('E010').length, format: 'jpeg' });
    const box = body.detections[0]!.box;
    expect(box.x + box.width).toBeLessThanOrEqual(307.1);
    expect(box.y + box.height).toBeLessThanOrEqual(172.1);

    const logged = await eventually(async () =>
      (await predictions()).predictions.find((p) => p.prediction_id === body.prediction_id),
    );
    expect(logged).toMatchObject({ user_id: 'alice', status: 'ok', food_name: 'banana', error_class: null });
    expect(logged.model).toEqual({ name: 'food-detector', version: '1' });
    expect(logged.confidence).toBeCloseTo(body.confidence, 4);
    expect(logged.inference_ms).toBeGreaterThan(0);
    expect(logged.image).toMatchObject({ width: 307, height: 172, format: 'jpeg' });
    for (const k of ['brightness', 'contrast', 'saturation', 'sharpness'] as const) {
      expect(logged.image![k]).toBeGreaterThan(0);
    }
  });

  it('takes a raw image body with the user from X-User-Id, the user_id field coming after the file too', async () => {
    const raw = await t.app.inject({
      method: 'POST',
      url: '/api/v1/predict',
      headers: { 'content-type': 'image/jpeg', 'x-user-id': 'bob' },
      payload: photo('E047'),
    });
    expect(raw.statusCode).toBe(200);
    const rawBody = PredictResponse.parse(raw.json());
    const form = multipart([
      { name: 'file', value: photo('E001'), filename: 'apple.jpg', type: 'image/jpeg' },
      { name: 'user_id', value: 'carol' },
    ]);
    const mp = PredictResponse.parse((await t.app.inject({ method: 'POST', url: '/api/v1/predict', ...form })).json());
    const rows = await eventually(async () => {
      const list = (await predictions()).predictions;
      const a = list.find((p) => p.prediction_id === rawBody.prediction_id);
      const b = list.find((p) => p.prediction_id === mp.prediction_id);
      return a && b ? [a, b] : undefined;
    });
    expect(rows.map((r) => r.user_id)).toEqual(['bob', 'carol']);
  });

  it('accepts PNG and WebP, and answers food_name null for an image with no food', async () => {
    const grey = sharp({ create: { width: 320, height: 240, channels: 3, background: '#7f7f7f' } });
    for (const [type, buf] of [
      ['image/png', await grey.clone().png().toBuffer()],
      ['image/webp', await grey.clone().webp().toBuffer()],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': type }, payload: buf });
      expect(res.statusCode).toBe(200);
      const body = PredictResponse.parse(res.json());
      expect(body.food_name).toBeNull();
      expect(body.confidence).toBe(0);
      expect(body.detections).toEqual([]);
    }
  });
});

describe('the server keeps answering while images are processed', () => {
  it('answers /health quickly while predictions are in flight (inference runs in worker threads)', async () => {
    const inFlight = Array.from({ length: 6 }, () =>
      t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg' }, payload: photo('E009') }),
    );
    // Wait until the requests have reached the model, then time /health while they are queued there.
    const health = async () => Health.parse((await t.app.inject({ method: 'GET', url: '/health' })).json());
    await eventually(async () => ((await health()).model.queue_depth > 0 ? true : undefined), 5000);
    const healthTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const h = await health();
      healthTimes.push(performance.now() - started);
      expect(h.model.queue_depth).toBeGreaterThan(0);
    }
    // One CenterNet run alone takes ~170 ms here; six queued take > 1 s. Health must not wait for any of them.
    expect(Math.max(...healthTimes)).toBeLessThan(100);
    for (const res of await Promise.all(inFlight)) expect(res.statusCode).toBe(200);
  });
});

describe('bad input: a clear JSON error, the failure logged, the server still serving', () => {
  const cases: Array<{ name: string; status: number; reason: string; request: () => Promise<object> }> = [
    { name: 'no file (multipart with only user_id)', status: 400, reason: 'missing_file',
      request: async () => multipart([{ name: 'user_id', value: 'dave' }]) },
    { name: 'no body at all', status: 400, reason: 'missing_file', request: async () => ({}) },
    { name: 'a text file as the image', status: 415, reason: 'bad_format',
      request: async () => multipart([{ name: 'file', value: 'just some text\n', filename: 'notes.jpg', type: 'image/jpeg' }]) },
    { name: 'a text/plain body', status: 415, reason: 'bad_format',
      request: async () => ({ headers: { 'content-type': 'text/plain' }, payload: 'hello' }) },
    { name: 'a JSON body', status: 415, reason: 'bad_format',
      request: async () => ({ headers: { 'content-type': 'application/json' }, payload: '{"file":"x"}' }) },
    { name: 'a GIF', status: 415, reason: 'bad_format',
      request: async () => ({ headers: { 'content-type': 'image/gif' },
        payload: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).gif().toBuffer() }) },
    { name: 'a truncated JPEG', status: 422, reason: 'corrupt',
      request: async () => multipart([{ name: 'file', value: photo('E009').subarray(0, 4000), filename: 'cut.jpg' }]) },
    { name: 'a multipart file over the size limit', status: 413, reason: 'too_large',
      request: async () => multipart([{ name: 'file', value: Buffer.alloc(600 * 1024, 0xff), filename: 'big.jpg' }]) },
    { name: 'a raw body over the size limit', status: 413, reason: 'too_large',
      request: async () => ({ headers: { 'content-type': 'image/jpeg' }, payload: Buffer.alloc(600 * 1024, 0xff) }) },
    { name: 'a 60-megapixel image', status: 422, reason: 'pixel_limit',
      request: async () => ({ headers: { 'content-type': 'image/png' },
        payload: await sharp({ create: { width: 10000, height: 6000, channels: 3, background: '#888' } }).png({ compressionLevel: 9 }).toBuffer() }) },
  ];

  it.each(cases)('$name -> $status $reason', async ({ status, reason, request }) => {
    const before = (await predictions(1000)).predictions.length;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', ...(await request()) });
    expectError(res, status, reason);
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    const failed = await eventually(async () => {
      const list = (await predictions(1000)).predictions;
      return list.length > before ? list[0] : undefined;
    });
    expect(failed).toMatchObject({ status: 'error', error_class: reason, food_name: null });
  });

  it('rejects a 201-character user id', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/predict',
      headers: { 'content-type': 'image/jpeg', 'x-user-id': 'u'.repeat(201) }, payload: photo('E001'),
    });
    expectError(res, 400);
  });
});

describe('GET /api/v1/predictions and /health', () => {
  it('pages newest first with a cursor, without gaps or repeats', async () => {
    const all = (await predictions(1000)).predictions;
    expect(all.length).toBeGreaterThanOrEqual(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/predictions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
      const page = PredictionList.parse(res.json());
      seen.push(...page.predictions.map((p) => p.prediction_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.map((p) => p.prediction_id));
    const times = all.map((p) => Date.parse(p.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it.each(['limit=0', 'limit=5000', 'limit=abc', 'cursor=not-a-cursor', "cursor=%27%3B%20DROP%20TABLE%20predictions%3B--"])(
    'answers 400 for %s',
    async (q) => {
      expectError(await t.app.inject({ method: 'GET', url: `/api/v1/predictions?${q}` }), 400);
    },
  );

  it('reports database, model and prediction-log status', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    const h = Health.parse(res.json());
    expect(h.status).toBe('ok');
    expect(h.database).toEqual({ ok: true, dialect: 'sqlite', error: null });
    expect(h.model).toMatchObject({ name: 'food-detector', version: '1', loaded: true, workers: 1 });
    expect(h.prediction_log.written).toBeGreaterThan(0);
    expect(h.prediction_log.dropped).toBe(0);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    expectError(await t.app.inject({ method: 'GET', url: '/api/v1/nope' }), 404);
  });
});
