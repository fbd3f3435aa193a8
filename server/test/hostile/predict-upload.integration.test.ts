// Property-based tests of the upload path of POST /api/v1/predict (the real app and model, app.inject): arbitrary
// bytes as a raw body under any declared content type, arbitrary multipart bodies (any part names, filenames, types
// and order, real and mutated images, damaged framing, mismatched boundaries, truncation) always get a 2xx with a
// prediction or a 4xx with FoodLens's JSON error body, never a 5xx; afterwards the server still answers /health and
// recognises a normal photo.
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, PredictResponse } from '@foodlens/contracts';
import { startTestApp, type TestApp } from '../app-harness.js';
import { photo } from '../photos.js';
import { runs } from './fc-config.js';

const MAX_UPLOAD = 64 * 1024;
let t: TestApp;
let images: Buffer[];

beforeAll(async () => {
  // a small upload limit, so generated bodies reach the 413 path cheaply
  t = await startTestApp({ FOODLENS_MAX_UPLOAD_BYTES: String(MAX_UPLOAD), FOODLENS_ALERT_INTERVAL_S: '0', FOODLENS_SERVING_METRICS_INTERVAL_S: '0' });
  const small = sharp(photo('E009')).resize(48, 32);
  images = [photo('E009'), await small.clone().png().toBuffer(), await small.clone().webp().toBuffer(), await small.clone().jpeg().toBuffer()];
});
afterAll(async () => t?.close());

const statuses = new Map<string, number>();
const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);

/** 2xx with a prediction, or 4xx with our error body; never anything else. */
function expectClean(res: { statusCode: number; headers: Record<string, unknown>; body: string }, what: string): void {
  const status = res.statusCode;
  expect(status, `${what} -> ${status} ${res.body.slice(0, 300)}`).toBeLessThan(500);
  expect(String(res.headers['content-type']), what).toMatch(/^application\/json/);
  const body = JSON.parse(res.body) as unknown;
  if (status >= 200 && status < 300) {
    expect(PredictResponse.safeParse(body).success, `${what}: ${res.body.slice(0, 300)}`).toBe(true);
  } else {
    expect(status, what).toBeGreaterThanOrEqual(400);
    const parsed = ErrorBody.safeParse(body);
    expect(parsed.success, `${what}: ${res.body.slice(0, 300)}`).toBe(true);
    count(`${status} ${parsed.data?.error.reason ?? parsed.data?.error.code}`);
    return;
  }
  count(String(status));
}

// ---------------------------------------------------------------------------------------------------------------
// Generators

const MAGIC = [
  Buffer.from([0xff, 0xd8, 0xff]),
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'),
  Buffer.from('GIF89a'),
  Buffer.from('<svg'),
  Buffer.from([0x49, 0x49, 0x2a, 0x00]),
];

/** A real image with bytes overwritten, inserted, removed or cut: most stay "an image" by their magic bytes. */
const mutatedImage = fc
  .tuple(
    fc.nat(),
    fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), op: fc.constantFrom('set', 'insert', 'delete'), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 12 }),
    fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }), { nil: undefined }),
  )
  .map(([which, edits, cut]) => {
    const bytes = [...images[which % images.length]!];
    for (const e of edits) {
      const i = Math.floor(e.at * bytes.length);
      if (e.op === 'set') bytes[i] = e.byte;
      else if (e.op === 'insert') bytes.splice(i, 0, e.byte);
      else bytes.splice(i, 1);
    }
    const buf = Buffer.from(bytes);
    return cut === undefined ? buf : buf.subarray(0, Math.max(1, Math.floor(buf.length * cut)));
  });

const fileBytes = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...MAGIC), fc.uint8Array({ maxLength: 2048 })).map(([m, a]) => Buffer.concat([m, a])) },
  { weight: 4, arbitrary: mutatedImage },
  { weight: 1, arbitrary: fc.nat().map((i) => images[i % images.length]!) },
  { weight: 1, arbitrary: fc.constant(null).map(() => Buffer.alloc(MAX_UPLOAD + 1, 0xff)) },
);

const CONTENT_TYPES = [
  undefined, 'image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/svg+xml', 'application/octet-stream', 'text/plain',
  'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/mixed; boundary=x',
  'image/jpeg; charset=utf-8', '*/*', 'image', ';', 'application/json; charset=latin1',
];

const headerText = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', ';', '=', '\r', '\n', ' ', '\u00e9', '\u0000', '%'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })), maxLength: 20 });

interface Part {
  name: string;
  filename?: string;
  type?: string;
  value: Buffer;
}

const partArb: fc.Arbitrary<Part> = fc.record(
  {
    name: fc.oneof(fc.constantFrom('file', 'file', 'user_id', 'model', 'files', 'FILE', ''), headerText),
    filename: fc.oneof(fc.constantFrom('photo.jpg', 'x.png', '../../etc/passwd', 'a"b.jpg', ''), headerText),
    type: fc.constantFrom(...CONTENT_TYPES.filter((c): c is string => c !== undefined)),
    value: fc.oneof(fileBytes, fc.constantFrom('alice', 'food-detector', ' ', 'u'.repeat(201), 'm'.repeat(600), 'not-a-model').map((s) => Buffer.from(s))),
  },
  { requiredKeys: ['name', 'value'] },
);

const boundaryArb = fc.stringMatching(/^[A-Za-z0-9'()+_,.:=?-]{1,70}$/);

/** Builds the body by hand so every byte is under the test's control, then damages the framing as asked. */
const multipartArb = fc
  .record({
    boundary: boundaryArb,
    declared: fc.option(boundaryArb, { nil: undefined }),
    quoteBoundary: fc.boolean(),
    parts: fc.array(partArb, { maxLength: 5 }),
    preamble: fc.constantFrom('', 'preamble\r\n', '\r\n'),
    closing: fc.constantFrom('--\r\n', '--', '', '\r\n', '--\r\nepilogue'),
    cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined, freq: 4 }),
    crlf: fc.constantFrom('\r\n', '\n'),
  })
  .map((m) => {
    const chunks: Buffer[] = [Buffer.from(m.preamble)];
    for (const p of m.parts) {
      let head = `--${m.boundary}${m.crlf}Content-Disposition: form-data; name="${p.name}"`;
      if (p.filename !== undefined) head += `; filename="${p.filename}"`;
      head += m.crlf;
      if (p.type !== undefined) head += `Content-Type: ${p.type}${m.crlf}`;
      chunks.push(Buffer.from(`${head}${m.crlf}`, 'utf8'), p.value, Buffer.from(m.crlf));
    }
    chunks.push(Buffer.from(`--${m.boundary}${m.closing}`));
    let payload = Buffer.concat(chunks);
    if (m.cut !== undefined) payload = payload.subarray(0, Math.floor(payload.length * m.cut));
    const b = m.declared ?? m.boundary;
    return { payload, contentType: `multipart/form-data; boundary=${m.quoteBoundary ? `"${b}"` : b}`, parts: m.parts.length };
  });

type MultipartCase = typeof multipartArb extends fc.Arbitrary<infer T> ? T : never;
const regression = (payload: string, contentType: string): [MultipartCase, string | undefined] => [
  { payload: Buffer.from(payload), contentType, parts: 1 },
  undefined,
];
/** Tried first: bodies that once got a 500 (busboy's "Unexpected end of multipart data", a JSON field that does not parse). */
const MULTIPART_REGRESSIONS = [
  regression('---\r\n', 'multipart/form-data; boundary=-'),
  regression('hello', 'multipart/form-data; boundary='),
  regression('--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nxyz', 'multipart/form-data; boundary=b'),
  regression('--b\r\nContent-Disposition: form-data; name="user_id"\r\nContent-Type: application/json\r\n\r\n{x\r\n--b--\r\n', 'multipart/form-data; boundary=b'),
];

// ---------------------------------------------------------------------------------------------------------------

describe('POST /api/v1/predict with hostile uploads', () => {
  it('arbitrary bytes as a raw body, under any declared type: 2xx or a 4xx JSON error', async () => {
    await fc.assert(
      fc.asyncProperty(fileBytes, fc.constantFrom(...CONTENT_TYPES), async (body, type) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict',
          headers: type === undefined ? {} : { 'content-type': type },
          payload: body,
        });
        expectClean(res, `raw ${type} ${body.length} bytes ${body.subarray(0, 12).toString('hex')}`);
      }),
      runs(120),
    );
  });

  it('arbitrary multipart bodies: 2xx or a 4xx JSON error', async () => {
    await fc.assert(
      fc.asyncProperty(multipartArb, fc.option(headerText, { nil: undefined }), async (m, userHeader) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/predict',
          headers: { 'content-type': m.contentType, ...(userHeader === undefined ? {} : { 'x-user-id': userHeader.replace(/[\r\n\u0000]/g, '') }) },
          payload: m.payload,
        });
        expectClean(res, `multipart (${m.parts} parts, ${m.payload.length} bytes, ${m.contentType})`);
      }),
      runs(150, { examples: MULTIPART_REGRESSIONS }),
    );
  });

  it('saw accepted photos and each kind of refusal', () => {
    const seen = [...statuses.keys()].join(', ');
    console.log(`predict upload answers seen: ${JSON.stringify([...statuses])}`);
    for (const s of ['200', '400 missing_file', '400 bad_multipart', '415 bad_format', '422 corrupt', '413 too_large']) expect(seen, seen).toContain(s);
  });

  it('still answers /health and recognises a normal photo afterwards', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg' }, payload: photo('E009') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ food_name: 'banana' });
  });
});
