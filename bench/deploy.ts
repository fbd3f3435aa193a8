// bench deploy: what a shadow deployment costs served requests. Two FoodLens apps share one serving engine, one
// deployed with food-detector/2 as a 100% shadow of champion 1 and one without; blocks of real-photo requests
// alternate between them over HTTP in one run, paced (a request every 3x the median served latency, a service with
// headroom) and back to back (the serving worker never idle). In both, p50 latency shadow/none must be <= 1.05 and
// no shadow sample may be skipped. The shadow worker runs at nice 19, so it only takes CPU the served path leaves.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DeploymentState } from '@foodlens/contracts';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { createInferenceEngine } from '../server/src/inference/index.js';
import { LABELLED_PHOTOS, photo } from '../server/test/photos.js';
import { fmt, quantile, verdict } from './_stats.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const TARGET = 1.05;
const photos = LABELLED_PHOTOS.map((p) => photo(p.code));

const dirs = [mkdtempSync(path.join(os.tmpdir(), 'foodlens-bench-')), mkdtempSync(path.join(os.tmpdir(), 'foodlens-bench-'))];
const configs = dirs.map((d) => loadConfig({ LOG_LEVEL: 'warn', FOODLENS_RATE_LIMIT_PREDICT: '0' }, d));
const engine = createInferenceEngine({ workers: configs[0]!.inferenceWorkers });
const none = await buildApp(configs[0]!, { engine, logger: false });
const shadow = await buildApp(configs[1]!, { engine, logger: false });
const put = await shadow.inject({ method: 'PUT', url: '/api/v1/mlops/deployment', payload: { shadow: { version: '2', sample_rate: 1 } } });
if (put.statusCode !== 200) throw new Error(`PUT deployment answered ${put.statusCode}: ${put.body}`);
const urls = new Map<FastifyInstance, string>();
for (const app of [none, shadow]) urls.set(app, `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/v1/predict`);

async function state(app: FastifyInstance): Promise<DeploymentState> {
  return DeploymentState.parse((await app.inject({ method: 'GET', url: '/api/v1/mlops/deployment' })).json());
}

async function post(app: FastifyInstance, body: Buffer, user: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(urls.get(app)!, { method: 'POST', headers: { 'content-type': 'image/jpeg', 'x-user-id': user }, body });
  if (res.status !== 200) throw new Error(`predict answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
  return performance.now() - started;
}

/** Every photo once; a request starts every `intervalMs` (0: back to back). Waits for shadow runs to finish after. */
async function block(app: FastifyInstance, intervalMs: number, into: number[]): Promise<void> {
  let next = performance.now();
  for (let i = 0; i < photos.length; i++) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    next = performance.now() + intervalMs;
    into.push(await post(app, photos[i]!, `user-${i}`));
  }
  while ((await state(app)).versions.some((v) => v.in_flight > 0)) await new Promise((r) => setTimeout(r, 20));
}

async function compare(intervalMs: number) {
  const lat = { none: [] as number[], shadow: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    const order: Array<[FastifyInstance, number[]]> = [[none, lat.none], [shadow, lat.shadow]];
    if (r % 2 === 1) order.reverse();
    for (const [app, into] of order) await block(app, intervalMs, into);
  }
  return lat;
}

await compare(0); // warm-up: both apps, both versions
const probe: number[] = [];
await block(none, 0, probe);
const intervalMs = Math.round(3 * quantile(probe, 0.5));
console.log(
  `bench deploy: ${photos.length} real photos (307x172 JPEG), ${ROUNDS} alternating rounds, ${configs[0]!.inferenceWorkers} serving worker(s) + 1 shadow worker, ` +
    `${os.availableParallelism()} cores; champion food-detector/1, shadow food-detector/2 at 100%`,
);
const before = (await state(shadow)).shadow_runs;
let pass = true;
for (const [label, interval] of [[`paced (every ${intervalMs} ms)`, intervalMs], ['back to back', 0]] as const) {
  const lat = await compare(interval);
  const ratio = quantile(lat.shadow, 0.5) / quantile(lat.none, 0.5);
  pass &&= ratio <= TARGET;
  console.log(
    `${label}\n  no shadow (baseline): p50 ${fmt(quantile(lat.none, 0.5))} ms  p95 ${fmt(quantile(lat.none, 0.95))} ms  (n=${lat.none.length})\n` +
      `  shadow 100%:          p50 ${fmt(quantile(lat.shadow, 0.5))} ms  p95 ${fmt(quantile(lat.shadow, 0.95))} ms  (n=${lat.shadow.length})\n` +
      `  p50 ratio shadow/none: ${fmt(ratio, 3)}  (target <= ${TARGET})  ${verdict(ratio <= TARGET)}`,
  );
}
const after = (await state(shadow)).shadow_runs;
// Skipped samples would make the shadow cheaper than "100%": they count against the verdict.
pass &&= after.skipped === before.skipped;
console.log(`shadow runs during the measured blocks: started ${after.started - before.started}, skipped ${after.skipped - before.skipped}, failed ${after.failed - before.failed}`);
await none.close();
await shadow.close();
await engine.close();
for (const d of dirs) rmSync(d, { recursive: true, force: true });
console.log(`bench deploy: ${verdict(pass)}`);
