// bench tracking: the MLflow tracking API over real HTTP, against numbers measured for MLflow 2.12.2's own server on a
// 2-core machine. One FoodLens app (default config, SQLite in a temporary directory) listens on 127.0.0.1; a child
// process (bench/_http-load.ts) plays the clients, so client work does not share the server's event loop. Each figure
// is printed beside FoodLens's own Fastify baseline measured in the same run: an empty JSON route registered only in
// this bench's app (GET, and POST with the same body where the body's size matters).
//
//   log-metric, 8 keep-alive clients     >= 4,000 requests/s     (MLflow: ~80/s)
//   log-batch of 1,000 metrics, 8 clients >= 200,000 metrics/s   (MLflow: ~6,100/s)
//   runs/search over 10,000 runs, metric filter + order_by, p50 <= 50 ms (MLflow: ~24 ms over 31 runs)
//   metrics/get-history of 1,000 points, p50 <= 5 ms              (MLflow: ~71 ms)
//
// With BENCH_DATABASE_URL (a PostgreSQL URI) the same figures are measured on PostgreSQL too, in a throwaway schema;
// the targets are the SQLite ones, printed for reference.
//
//   cd /work/main && npx tsx bench/tracking.ts      (or: npm run bench -- tracking)
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDatabase, type Database } from '../server/src/db/connection.js';
import { parseStoreUri } from '../server/src/db/uri.js';
import { createInferenceEngine } from '../server/src/inference/index.js';
import { createTrackingService } from '../server/src/tracking/index.js';
import type { LoadJob, LoadResult, Recipe } from './_http-load.js';
import { fmt, quantile, verdict } from './_stats.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = 8;
const SEARCH_RUNS = 10_000;
const HISTORY_POINTS = 1000;
const TARGETS = { logMetricRps: 4000, logBatchMetricsPerS: 200_000, searchP50Ms: 50, historyP50Ms: 5 };
const MLFLOW = { logMetricRps: 80, logBatchMetricsPerS: 6100, searchMs: 24, historyMs: 71 };

const here = path.dirname(fileURLToPath(import.meta.url));
const loader: ChildProcess = fork(path.join(here, '_http-load.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });

function drive(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve) => {
    loader.once('message', (r) => resolve(r as LoadResult));
    loader.send(job);
  });
}

async function load(port: number, recipe: Recipe, opts: { clients: number; seconds?: number; requests?: number }): Promise<LoadResult> {
  const job: LoadJob = {
    port,
    recipe,
    clients: opts.clients,
    ...(opts.requests !== undefined ? { requests: opts.requests } : { durationMs: (opts.seconds ?? SECONDS) * 1000 }),
    expectStatus: 200,
  };
  // a short warm-up (JIT, caches, keep-alive sockets), not counted
  await drive({ ...job, durationMs: 500, requests: undefined });
  const r = await drive(job);
  if (r.errors.length > 0) throw new Error(`${recipe.kind} ${recipe.path}: ${r.errors.join(' | ')}`);
  return r;
}

const rps = (r: LoadResult) => (r.count * 1000) / r.elapsedMs;
const p50 = (r: LoadResult) => quantile(r.latenciesMs, 0.5);
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const int = (n: number) => Math.round(n).toLocaleString('en-US');

interface Figures {
  pass: boolean;
}

async function benchStore(label: string, database: Database, engine: ReturnType<typeof createInferenceEngine>, dir: string): Promise<Figures> {
  // thousands of writes a second from one address: the per-client write limit (docs/security.md) is off here
  const config = loadConfig({ LOG_LEVEL: 'warn', FOODLENS_RATE_LIMIT_WRITES: '0' }, dir);
  const app: FastifyInstance = await buildApp(config, { engine, database, logger: false });
  app.get('/bench/empty', async () => ({}));
  app.post('/bench/empty', async () => ({}));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const tracking = createTrackingService(database);
  const base = '/api/2.0/mlflow';
  let pass = true;
  console.log(`\n[${label}] load average before: ${loadavg()}`);

  try {
    const experimentId = await tracking.createExperiment({ name: `bench-${randomBytes(4).toString('hex')}` });
    const runIds = await Promise.all(Array.from({ length: CLIENTS }, async () => (await tracking.createRun({ experimentId })).info.runId));

    // 1. single log-metric requests
    const emptyGet = await load(port, { kind: 'get', path: '/bench/empty' }, { clients: CLIENTS });
    const logMetric = await load(port, { kind: 'log-metric', path: `${base}/runs/log-metric`, runIds }, { clients: CLIENTS });
    const lmOk = rps(logMetric) >= TARGETS.logMetricRps;
    pass &&= lmOk;
    console.log(
      `baseline GET /bench/empty, ${CLIENTS} clients: ${int(rps(emptyGet))} req/s (p50 ${fmt(p50(emptyGet), 2)} ms)\n` +
        `runs/log-metric, ${CLIENTS} clients:        ${int(rps(logMetric))} req/s (p50 ${fmt(p50(logMetric), 2)} ms)  ` +
        `= ${fmt(rps(logMetric) / rps(emptyGet), 2)} x baseline; target >= ${int(TARGETS.logMetricRps)}  ${verdict(lmOk)}  ` +
        `(MLflow ~${MLFLOW.logMetricRps}/s)`,
    );

    // 2. log-batch with 1000 metrics each; baseline: the same size of body POSTed to the empty route
    const batchBody = JSON.stringify({
      run_id: runIds[0],
      metrics: Array.from({ length: 1000 }, (_, i) => ({ key: `m${i % 10}`, value: Math.random(), timestamp: Date.now(), step: i })),
    });
    const emptyPost = await load(port, { kind: 'post-json', path: '/bench/empty', body: batchBody }, { clients: CLIENTS });
    const logBatch = await load(port, { kind: 'log-batch', path: `${base}/runs/log-batch`, runIds, metrics: 1000 }, { clients: CLIENTS });
    const metricsPerS = rps(logBatch) * 1000;
    const lbOk = metricsPerS >= TARGETS.logBatchMetricsPerS;
    pass &&= lbOk;
    console.log(
      `baseline POST /bench/empty, same ${fmt(batchBody.length / 1024, 0)} KiB body, ${CLIENTS} clients: ${int(rps(emptyPost))} req/s\n` +
        `runs/log-batch x1000 metrics, ${CLIENTS} clients: ${int(rps(logBatch))} req/s = ${int(metricsPerS)} metrics/s ` +
        `(p50 ${fmt(p50(logBatch), 1)} ms) = ${fmt(rps(logBatch) / rps(emptyPost), 2)} x baseline; ` +
        `target >= ${int(TARGETS.logBatchMetricsPerS)}  ${verdict(lbOk)}  (MLflow ~${int(MLFLOW.logBatchMetricsPerS)}/s)`,
    );

    // 3. search over 10,000 runs: each has metrics acc/loss, params lr/opt and a few tags
    const searchExp = await tracking.createExperiment({ name: `bench-search-${randomBytes(4).toString('hex')}` });
    const seedStart = performance.now();
    const seedRun = async (i: number) => {
      const run = await tracking.createRun({ experimentId: searchExp, runName: `run-${i}`, startTime: 1_700_000_000_000 + i, tags: [{ key: 'team', value: i % 2 ? 'cv' : 'nlp' }] });
      await tracking.logBatch({
        runId: run.info.runId,
        metrics: [
          { key: 'acc', value: (i * 7919) % 1000 / 1000, timestamp: 1, step: 0 },
          { key: 'loss', value: 1 - ((i * 7919) % 1000) / 1000, timestamp: 1, step: 0 },
        ],
        params: [
          { key: 'lr', value: String(10 ** -(i % 4)) },
          { key: 'opt', value: i % 3 ? 'adam' : 'sgd' },
        ],
      });
    };
    // 16 at a time: PostgreSQL round trips overlap, SQLite's writes group-commit
    for (let i = 0; i < SEARCH_RUNS; i += 16) await Promise.all(Array.from({ length: Math.min(16, SEARCH_RUNS - i) }, (_, j) => seedRun(i + j)));
    const seedS = (performance.now() - seedStart) / 1000;
    const searchBody = JSON.stringify({
      experiment_ids: [searchExp],
      filter: "metrics.acc > 0.5 and params.opt = 'adam'",
      order_by: ['metrics.acc DESC'],
      max_results: 1000,
      run_view_type: 'ACTIVE_ONLY',
    });
    const emptySeq = await load(port, { kind: 'get', path: '/bench/empty' }, { clients: 1, requests: 500 });
    const search = await load(port, { kind: 'post-json', path: `${base}/runs/search`, body: searchBody }, { clients: 1, requests: 40 });
    const sOk = p50(search) <= TARGETS.searchP50Ms;
    pass &&= sOk;
    console.log(
      `baseline GET /bench/empty, sequential: p50 ${fmt(p50(emptySeq), 2)} ms\n` +
        `runs/search over ${int(SEARCH_RUNS)} runs (seeded in ${fmt(seedS, 1)} s), "metrics.acc > 0.5 and params.opt = 'adam'" ` +
        `order_by metrics.acc DESC, max_results 1000 (1000 runs answered), sequential: p50 ${fmt(p50(search), 1)} ms ` +
        `p95 ${fmt(quantile(search.latenciesMs, 0.95), 1)} ms; target p50 <= ${TARGETS.searchP50Ms} ms  ${verdict(sOk)}  ` +
        `(MLflow ~${MLFLOW.searchMs} ms over 31 runs)`,
    );

    // 4. metric history of 1000 points
    const histRun = (await tracking.createRun({ experimentId })).info.runId;
    await tracking.logBatch({
      runId: histRun,
      metrics: Array.from({ length: HISTORY_POINTS }, (_, i) => ({ key: 'hist', value: Math.sin(i), timestamp: 1_700_000_000_000 + i, step: i })),
    });
    const historyPath = `${base}/metrics/get-history?run_uuid=${histRun}&metric_key=hist&run_id=${histRun}&max_results=25000`;
    const history = await load(port, { kind: 'get', path: historyPath }, { clients: 1, requests: 300 });
    const hOk = p50(history) <= TARGETS.historyP50Ms;
    pass &&= hOk;
    console.log(
      `metrics/get-history, ${HISTORY_POINTS} points, sequential: p50 ${fmt(p50(history), 2)} ms p95 ` +
        `${fmt(quantile(history.latenciesMs, 0.95), 2)} ms = ${fmt(p50(history) / p50(emptySeq), 1)} x baseline latency; ` +
        `target p50 <= ${TARGETS.historyP50Ms} ms  ${verdict(hOk)}  (MLflow ~${MLFLOW.historyMs} ms)`,
    );
  } finally {
    await app.close();
  }
  console.log(`[${label}] load average after: ${loadavg()}`);
  return { pass };
}

console.log(
  `bench tracking: MLflow REST over HTTP on 127.0.0.1, ${CLIENTS} keep-alive clients in a child process, ${SECONDS} s per ` +
    `throughput figure, ${os.availableParallelism()} cores, Node ${process.version}`,
);
const engine = createInferenceEngine({ workers: 1 });
let allPass = true;

const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-bench-tracking-'));
try {
  const sqlite = await openDatabase(`sqlite:///${path.join(dir, 'bench.db')}`);
  try {
    allPass &&= (await benchStore('SQLite', sqlite, engine, dir)).pass;
  } finally {
    await sqlite.close();
  }

  const pgUrl = process.env.BENCH_DATABASE_URL?.trim();
  if (pgUrl) {
    const parsed = parseStoreUri(pgUrl);
    if (parsed.dialect !== 'postgres') throw new Error('BENCH_DATABASE_URL must be a PostgreSQL URI');
    const schema = `bench_tracking_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: parsed.connectionString });
    await admin.connect();
    try {
      await admin.query(`create schema ${schema}`);
      const database = await openDatabase(pgUrl, { searchPath: schema });
      try {
        // informational: the targets are set for the default (SQLite) store
        await benchStore('PostgreSQL (targets for reference)', database, engine, dir);
      } finally {
        await database.close();
      }
    } finally {
      await admin.query(`drop schema if exists ${schema} cascade`).catch(() => {});
      await admin.end();
    }
  } else {
    console.log('\nPostgreSQL: skipped (set BENCH_DATABASE_URL to a PostgreSQL URI to measure it too)');
  }
} finally {
  await engine.close();
  loader.kill();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\nbench tracking: ${verdict(allPass)}`);
