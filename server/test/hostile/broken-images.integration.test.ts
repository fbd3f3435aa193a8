// The broken-image corpus (broken-images.ts) through the real app and model, multipart as a browser sends it: each
// entry gets the status and reason README's table promises (200 for odd but valid images, with the size it reports).
// Then the whole corpus again, several passes four at a time, to show memory stays bounded: after a full GC, V8's heap
// plus Buffer memory may grow by at most 16 MiB and the process's RSS by at most 128 MiB between the end of the first
// (warm-up) pass and the end of the last. A leak of one decoded 49-megapixel image per pass (49 MB of pixels), or of
// the small images' buffers, exceeds that; allocator noise does not (measured: RSS wanders within ~30 MB over 20
// passes, the heap within 1 MB). Last, the server still recognises a normal photo.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, PredictResponse } from '@foodlens/contracts';
import { multipart, startTestApp, type TestApp } from '../app-harness.js';
import { photo } from '../photos.js';
import { buildCorpus, MAX_PIXELS, MAX_UPLOAD_BYTES, type CorpusEntry } from './broken-images.js';

const PASSES = 4; // after the first, checked one
const CONCURRENCY = 4;
const MiB = 1024 * 1024;
const HEAP_GROWTH_LIMIT = 16 * MiB;
const RSS_GROWTH_LIMIT = 128 * MiB;

/** A full collection: global.gc when node runs with --expose-gc, else the same function enabled at run time. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

let t: TestApp;
let corpus: CorpusEntry[];

beforeAll(async () => {
  corpus = await buildCorpus();
  // README's defaults, stated so the table's limits are the ones in force
  t = await startTestApp({
    FOODLENS_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
    FOODLENS_MAX_IMAGE_PIXELS: String(MAX_PIXELS),
    FOODLENS_ALERT_INTERVAL_S: '0',
    FOODLENS_SERVING_METRICS_INTERVAL_S: '0',
  });
});
afterAll(async () => t?.close());

async function send(e: CorpusEntry) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', ...multipart([{ name: 'file', value: e.bytes, filename: e.filename, type: e.type }]) });
  return { status: res.statusCode, body: res.json() as unknown, text: res.body };
}

function check(e: CorpusEntry, res: Awaited<ReturnType<typeof send>>): void {
  const what = `${e.name} (${e.bytes.length} bytes) -> ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, what).toBe(e.status);
  if (e.status === 200) {
    const body = PredictResponse.parse(res.body);
    expect(body.image, what).toMatchObject({ ...e.size, size_bytes: e.bytes.length });
  } else {
    expect(ErrorBody.parse(res.body).error.reason, what).toBe(e.reason);
  }
}

describe('the broken-image corpus', () => {
  it('covers every answer of the table and odd-but-valid images', () => {
    const kinds = new Set(corpus.map((e) => `${e.status} ${e.reason ?? ''}`.trim()));
    expect([...kinds].sort()).toEqual(['200', '400 missing_file', '413 too_large', '415 bad_format', '422 corrupt', '422 pixel_limit']);
    expect(corpus.length).toBeGreaterThan(60);
  });

  it('answers each image as README promises', async () => {
    const failures: string[] = [];
    for (const e of corpus) {
      const res = await send(e);
      try {
        check(e, res);
      } catch (err) {
        failures.push((err as Error).message.split('\n')[0]!);
      }
    }
    expect(failures).toEqual([]);
  });

  it(`keeps memory bounded over ${PASSES} more passes, four requests at a time`, { timeout: 240_000 }, async () => {
    const gc = collector();
    const settle = async () => {
      gc();
      await new Promise((r) => setTimeout(r, 100));
      gc();
      const m = process.memoryUsage();
      return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
    };
    const before = await settle();
    const samples: string[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      for (let i = 0; i < corpus.length; i += CONCURRENCY) {
        const batch = corpus.slice(i, i + CONCURRENCY);
        const answers = await Promise.all(batch.map(send));
        batch.forEach((e, j) => check(e, answers[j]!));
      }
      const m = await settle();
      samples.push(`pass ${pass + 1}: heap+buffers ${(m.heap / MiB).toFixed(1)} MiB, rss ${(m.rss / MiB).toFixed(1)} MiB`);
    }
    const after = await settle();
    const report = `before: heap+buffers ${(before.heap / MiB).toFixed(1)} MiB, rss ${(before.rss / MiB).toFixed(1)} MiB; ${samples.join('; ')}`;
    console.log(`broken-image corpus memory: ${report}`);
    expect(after.heap - before.heap, report).toBeLessThan(HEAP_GROWTH_LIMIT);
    expect(after.rss - before.rss, report).toBeLessThan(RSS_GROWTH_LIMIT);
  });

  it('still recognises a normal photo, and says it is healthy', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg' }, payload: photo('E009') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ food_name: 'banana' });
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
