// bench alerts (issue 6): what alerting costs.
//
// 1. Evaluation over a loaded store (SQLite in a temporary file; PostgreSQL at BENCH_DATABASE_URL, default the local
//    test database, in a throwaway schema): --rows synthetic predictions over 30 days loaded through the writer
//    (bench/_load-traffic.ts), drift references for the served versions, and 20 rules: the 4 defaults plus one per
//    signal and scope variations. 20 evaluation passes; baseline in the same run: one read of the dashboard's
//    performance summary over 24 h (summarisePerformance). Prints the pass p50/p95, the ratio to the baseline, and the
//    share of the default 60 s interval a pass takes. Target: p95 < 1 s.
// 2. A hanging receiver does not slow predictions: two apps share one inference engine; B evaluates every second 10
//    rules that always fire and repeat, each notifying a receiver that never answers (5 s timeouts), A has alerting
//    off. Blocks of real-photo requests alternate between them over HTTP; p50 B/A must be <= 1.05, and B's
//    evaluations must keep their schedule (at least one per second of the run, minus one).
//
//   npm run bench -- alerts [--rows 1000000] [--db sqlite|postgres|both]
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { AlertList, AlertRuleInput, DriftQuery } from '@foodlens/contracts';
import { evaluateRules } from '../server/src/alerts/alert-evaluator.js';
import { insertRule } from '../server/src/alerts/rules.repository.js';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDatabase, type Database } from '../server/src/db/connection.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { parseStoreUri } from '../server/src/db/uri.js';
import { createInferenceEngine } from '../server/src/inference/index.js';
import { checkDrift } from '../server/src/monitoring/drift-monitor/drift.service.js';
import { setReference } from '../server/src/monitoring/drift-monitor/reference.service.js';
import { summarisePerformance } from '../server/src/monitoring/performance/performance-series.js';
import { LABELLED_PHOTOS, photo } from '../server/test/photos.js';
import { RULES } from './_alert-rules.js';
import { loadThroughWriter } from './_load-traffic.js';
import { fmt, quantile, verdict } from './_stats.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'alerts'),
  options: { rows: { type: 'string', default: '1000000' }, db: { type: 'string', default: 'both' }, part: { type: 'string', default: 'both' } },
  strict: true,
});
const ROWS = Number(args.rows!.replace(/[_,]/g, ''));
const PASSES = 20;
const PASS_TARGET_MS = 1000;
const LATENCY_TARGET = 1.05;
const logger = { warn: (obj: object, msg: string) => console.warn(`  warn: ${msg}`, 'err' in obj ? String((obj as { err: unknown }).err) : '') };

/** The versions the synthetic traffic serves (bench/_monitoring-data.ts). */
const SERVED = [
  { name: 'food-detector', version: '2' },
  { name: 'food-detector', version: '3' },
  { name: 'food-detector-lite', version: '1' },
];


// ------------------------------------------------------------------------------------------------ part 1
async function openStore(kind: 'sqlite' | 'postgres'): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-bench-alerts-'));
    const database = await openDatabase(`sqlite:///${path.join(dir, 'bench.db')}`);
    return { database, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const schema = `bench_alerts_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: (parseStoreUri(url) as { connectionString: string }).connectionString });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const database = await openDatabase(url, { searchPath: schema });
  return {
    database,
    drop: async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

async function evaluationCost(kind: 'sqlite' | 'postgres'): Promise<boolean> {
  console.log(`\n== ${kind}: evaluation of ${4 + RULES.length} rules over ${ROWS.toLocaleString('en-US')} predictions`);
  const { database, drop } = await openStore(kind);
  try {
    await migrateToLatest(database);
    const load = await loadThroughWriter(database, ROWS);
    console.log(`  loaded in ${fmt(load.seconds)} s (${Math.round(load.rate).toLocaleString('en-US')} records/s)`);
    // references: each served version's first 20,000 predictions
    for (const v of SERVED) {
      await setReference(database, { model: v.name, version: v.version, source: { type: 'first', n: 20_000, after: load.start, variant: 'all' } }, Date.now());
    }
    for (const r of RULES) await insertRule(database.db, AlertRuleInput.parse(r));
    const deps = { database, servedVersions: () => SERVED, defaultTargets: [], publicUrl: 'http://127.0.0.1:8000', logger };

    const baseline: number[] = [];
    const passes: number[] = [];
    let last = null as Awaited<ReturnType<typeof evaluateRules>> | null;
    // warm-up, then alternate so both see the same caches and load
    await evaluateRules(deps);
    await summarisePerformance(database, { window: '24h', variant: 'served' });
    for (let i = 0; i < PASSES; i++) {
      let t = performance.now();
      await summarisePerformance(database, { window: '24h', variant: 'served' });
      baseline.push(performance.now() - t);
      t = performance.now();
      last = await evaluateRules(deps);
      passes.push(performance.now() - t);
    }
    // one drift check alone, for scale (the drift rules read three versions each)
    const t = performance.now();
    await checkDrift(database, DriftQuery.parse({ model: 'food-detector', version: '3', window: '24h' }));
    const driftMs = performance.now() - t;

    const b50 = quantile(baseline, 0.5);
    const p50 = quantile(passes, 0.5);
    const p95 = quantile(passes, 0.95);
    console.log(`  last pass: ${last!.rules} rules, ${last!.instances} scopes, ${last!.transitions} transitions, ${last!.failedRules} failed, ${last!.conflicts} conflicts`);
    console.log(`  baseline (performance summary, 24h): p50 ${fmt(b50)} ms; one drift check (24h): ${fmt(driftMs)} ms`);
    console.log(`  evaluation pass: p50 ${fmt(p50)} ms, p95 ${fmt(p95)} ms = ${fmt(p50 / b50)}x the baseline; ${fmt((p95 / 60_000) * 100, 2)}% of the 60 s interval`);
    const ok = p95 < PASS_TARGET_MS && last!.failedRules === 0;
    console.log(`  pass p95 < ${PASS_TARGET_MS} ms, no failed rule: ${verdict(ok)}`);
    return ok;
  } finally {
    await database.close();
    await drop();
  }
}

// ------------------------------------------------------------------------------------------------ part 2
async function hangingReceiver(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  const held: ServerResponse[] = [];
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    held.push(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits: () => hits,
    close: async () => {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

async function predictIsolation(): Promise<boolean> {
  console.log('\n== predictions while alerting notifies a receiver that never answers');
  const receiver = await hangingReceiver();
  const dirs = [0, 1].map(() => mkdtempSync(path.join(os.tmpdir(), 'foodlens-bench-')));
  const engine = createInferenceEngine({ workers: loadConfig({}).inferenceWorkers });
  const off = await buildApp(loadConfig({ LOG_LEVEL: 'warn', FOODLENS_ALERT_INTERVAL_S: '0', FOODLENS_RATE_LIMIT_PREDICT: '0' }, dirs[0]), { engine, logger: false });
  const on = await buildApp(loadConfig({ LOG_LEVEL: 'warn', FOODLENS_ALERT_INTERVAL_S: '1', FOODLENS_RATE_LIMIT_PREDICT: '0' }, dirs[1]), { engine, logger: false });
  try {
    for (let i = 0; i < 10; i++) {
      const res = await on.inject({
        method: 'POST',
        url: '/api/v1/mlops/alerts/rules',
        payload: { name: `always ${i}`, signal: 'request_volume', comparator: '>=', threshold: 0, renotify: '1s', targets: [{ type: 'webhook', url: receiver.url }] },
      });
      if (res.statusCode !== 201) throw new Error(`rule: ${res.statusCode} ${res.body}`);
    }
    const urls = new Map<FastifyInstance, string>();
    for (const app of [off, on]) urls.set(app, `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/v1/predict`);
    const photos = LABELLED_PHOTOS.map((p) => photo(p.code));
    const post = async (app: FastifyInstance, body: Buffer, i: number) => {
      const t = performance.now();
      const res = await fetch(urls.get(app)!, { method: 'POST', headers: { 'content-type': 'image/jpeg', 'x-user-id': `u${i}` }, body });
      if (res.status !== 200) throw new Error(`predict answered ${res.status}`);
      await res.arrayBuffer();
      return performance.now() - t;
    };
    for (const app of [off, on]) for (const [i, p] of photos.entries()) await post(app, p, i); // warm-up
    const evaluations = async () => AlertList.parse((await on.inject({ method: 'GET', url: '/api/v1/mlops/alerts?scope=current' })).json()).evaluator;
    const before = await evaluations();
    const started = performance.now();
    const lat = new Map<FastifyInstance, number[]>([[off, []], [on, []]]);
    for (let round = 0; round < 8; round++) {
      for (const app of round % 2 ? [on, off] : [off, on]) for (const [i, p] of photos.entries()) lat.get(app)!.push(await post(app, p, i));
    }
    const seconds = (performance.now() - started) / 1000;
    const after = await evaluations();
    const pOff = quantile(lat.get(off)!, 0.5);
    const pOn = quantile(lat.get(on)!, 0.5);
    const ran = after.evaluations - before.evaluations;
    console.log(`  ${lat.get(on)!.length} requests each; p50 alerting off ${fmt(pOff)} ms, on ${fmt(pOn)} ms: ratio ${fmt(pOn / pOff, 3)} (<= ${LATENCY_TARGET}: ${verdict(pOn / pOff <= LATENCY_TARGET)})`);
    console.log(`  p95 off ${fmt(quantile(lat.get(off)!, 0.95))} ms, on ${fmt(quantile(lat.get(on)!, 0.95))} ms`);
    const onTime = ran >= Math.floor(seconds) - 1;
    console.log(`  ${ran} evaluations in ${fmt(seconds)} s (every 1 s: ${verdict(onTime)}), last error ${after.last_error ?? 'none'}; receiver hit ${receiver.hits()} times, ${after.pending_deliveries} deliveries pending`);
    return pOn / pOff <= LATENCY_TARGET && onTime && after.last_error === null;
  } finally {
    await on.close();
    await off.close();
    await engine.close();
    await receiver.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

const results: boolean[] = [];
if (args.part !== 'isolation') {
  for (const kind of ['sqlite', 'postgres'] as const) if (args.db === 'both' || args.db === kind) results.push(await evaluationCost(kind));
}
if (args.part !== 'evaluation') results.push(await predictIsolation());
console.log(`\nbench alerts: ${results.every(Boolean) ? 'PASS' : 'FAIL'}`);
process.exit(results.every(Boolean) ? 0 : 1);
