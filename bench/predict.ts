// bench predict: what the prediction log costs a prediction. Two FoodLens apps share one inference engine, one with
// the prediction log on (the real writer into SQLite) and one with it off (a sink that drops records); blocks of
// real-photo requests alternate between them over HTTP, sequentially and with 4 concurrent clients, so both see the
// same machine state. Target: p50 latency on/off <= 1.02. Also prints inference time per model version.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { builtinFoodModels, createInferenceEngine } from '../server/src/inference/index.js';
import { LABELLED_PHOTOS, photo } from '../server/test/photos.js';
import { fmt, quantile, verdict } from './_stats.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const CLIENTS = 4;
const photos = LABELLED_PHOTOS.map((p) => photo(p.code));

const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-bench-'));
const config = loadConfig({ LOG_LEVEL: 'warn', FOODLENS_RATE_LIMIT_PREDICT: '0' }, dir);
const engine = createInferenceEngine({ workers: config.inferenceWorkers });
const specs = builtinFoodModels();
await Promise.all(specs.map((s) => engine.load(s)));

let dropped = 0;
const off = await buildApp(config, { engine, logger: false, predictionSink: { enqueue: () => (dropped++, true) } });
const on = await buildApp(loadConfig({ LOG_LEVEL: 'warn', FOODLENS_RATE_LIMIT_PREDICT: '0' }, path.join(dir)), { engine, logger: false });
const urls = new Map<FastifyInstance, string>();
for (const app of [off, on]) urls.set(app, `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/v1/predict`);

async function post(app: FastifyInstance, body: Buffer): Promise<number> {
  const started = performance.now();
  const res = await fetch(urls.get(app)!, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body });
  if (res.status !== 200) throw new Error(`predict answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
  return performance.now() - started;
}

/** One block: every photo once per client, `clients` clients at a time. */
async function block(app: FastifyInstance, clients: number, into: number[]): Promise<void> {
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < photos.length; i++) into.push(await post(app, photos[(i + c * 3) % photos.length]!));
    }),
  );
}

async function compare(clients: number) {
  const lat = { off: [] as number[], on: [] as number[] };
  await block(off, clients, []);
  await block(on, clients, []);
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which variant goes first so neither always follows the other's flush.
    if (r % 2 === 0) {
      await block(off, clients, lat.off);
      await block(on, clients, lat.on);
    } else {
      await block(on, clients, lat.on);
      await block(off, clients, lat.off);
    }
  }
  return lat;
}

console.log(`bench predict: ${photos.length} real photos (307x172 JPEG), ${ROUNDS} alternating rounds, ` +
  `${config.inferenceWorkers} inference worker(s), ${os.availableParallelism()} cores, model food-detector/1`);
let pass = true;
for (const clients of [1, CLIENTS]) {
  const lat = await compare(clients);
  const p50off = quantile(lat.off, 0.5);
  const p50on = quantile(lat.on, 0.5);
  const ratio = p50on / p50off;
  pass &&= ratio <= 1.02;
  console.log(
    `${clients === 1 ? 'sequential' : `${clients} clients  `}  log off (baseline): p50 ${fmt(p50off)} ms  p95 ${fmt(quantile(lat.off, 0.95))} ms  (n=${lat.off.length})\n` +
      `              log on:             p50 ${fmt(p50on)} ms  p95 ${fmt(quantile(lat.on, 0.95))} ms  (n=${lat.on.length})\n` +
      `              p50 ratio on/off: ${fmt(ratio, 3)}  (target <= 1.02)  ${verdict(ratio <= 1.02)}`,
  );
}

// Inference alone, per model version, on the same photos decoded as the request path decodes them.
const decoded = await Promise.all(
  photos.map(async (buf) => {
    const { data, info } = await sharp(buf).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data), width: info.width, height: info.height };
  }),
);
for (const spec of specs) {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    for (const img of decoded) {
      const res = await engine.run(spec.name, spec.version, { ...img, data: img.data.slice() });
      times.push(res.inferenceMs);
    }
  }
  console.log(
    `inference ${spec.name}/${spec.version} (${spec.architecture}): p50 ${fmt(quantile(times, 0.5))} ms  p95 ${fmt(quantile(times, 0.95))} ms  (n=${times.length})`,
  );
}

const health = (await on.inject({ method: 'GET', url: '/health' })).json() as { prediction_log: unknown };
await off.close();
await on.close();
await engine.close();
rmSync(dir, { recursive: true, force: true });
console.log(`prediction log after the run: ${JSON.stringify(health.prediction_log)}; log-off sink received ${dropped}`);
console.log(`bench predict: ${verdict(pass)}`);
