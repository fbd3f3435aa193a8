// bench dashboard (issue 7): how soon /mlops is usable over a big store, in a real browser.
//
// Two servers (the built app, as `npm start` runs it): one over an empty store (the baseline, measured in the same
// run) and one over --rows synthetic predictions spread over 30 days (bench/_load-traffic.ts, written through the
// log writer so rollups are built the normal way; raw retention off). For each, headless Chromium navigates to
// /mlops?range=24h and /mlops?range=30d, --runs times after a warm-up, and reads from the Performance API:
//   - ready: when every API call the page made has answered (the last /api/ resource's responseEnd) and the
//     total-predictions card shows its number, in ms since navigation start;
//   - the slowest API call;
// then prints the median ready time, its ratio to the empty store's, and whether it is within 2 s. Also the first
// page's JavaScript, gzipped (what index.html loads), against 350 KB.
//
//   npm run build && npm run bench -- dashboard [--rows 10000000] [--runs 5]
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { openDatabase } from '../server/src/db/connection.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { chromiumMissing, launchChromium } from '../e2e/browser.js';
import { REPO_ROOT, startServer, type ServerProcess } from '../e2e/server-process.js';
import { loadThroughWriter } from './_load-traffic.js';
import { fmt, quantile, verdict } from './_stats.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'dashboard'),
  // --store FILE: keep the loaded SQLite store there and reuse it on the next run (loading 10M rows takes minutes)
  options: { rows: { type: 'string', default: '10000000' }, runs: { type: 'string', default: '5' }, store: { type: 'string' } },
  strict: true,
});
const ROWS = Number(args.rows!.replace(/[_,]/g, ''));
const RUNS = Number(args.runs);
const READY_TARGET_MS = 2000;
const BUNDLE_TARGET_BYTES = 350 * 1000;
if (chromiumMissing) throw new Error(chromiumMissing);

interface Visit {
  readyMs: number;
  slowestApi: { url: string; ms: number };
  apiCalls: number;
}

async function visit(browser: Browser, url: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(url, { waitUntil: 'commit' });
    // the card shows a number (not "…"), then no request for 500 ms
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="metric-total-predictions"] .metric-value')?.textContent ?? ''), null, { timeout: 60_000 });
    const cardAt = await page.evaluate(() => performance.now());
    await page.waitForLoadState('networkidle');
    return await page.evaluate((card) => {
      const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.name.includes('/api/') || e.name.endsWith('/health'));
      const slowest = api.reduce((a, e) => (e.duration > a.duration ? e : a), api[0]!);
      return {
        readyMs: Math.max(card, ...api.map((e) => e.responseEnd)),
        slowestApi: { url: new URL(slowest.name).pathname + new URL(slowest.name).search, ms: slowest.duration },
        apiCalls: api.length,
      };
    }, cardAt);
  } finally {
    await page.close();
  }
}

async function measure(browser: Browser, server: ServerProcess, label: string): Promise<Map<string, number>> {
  const medians = new Map<string, number>();
  for (const range of ['24h', '30d']) {
    const url = `${server.url}/mlops?range=${range}`;
    await visit(browser, url); // warm-up: server caches, browser cache of the app's files
    const visits: Visit[] = [];
    for (let i = 0; i < RUNS; i++) visits.push(await visit(browser, url));
    const ready = quantile(visits.map((v) => v.readyMs), 0.5);
    const slowest = visits.reduce((a, v) => (v.slowestApi.ms > a.slowestApi.ms ? v : a));
    console.log(`  ${label}, range ${range}: ready p50 ${fmt(ready)} ms (max ${fmt(Math.max(...visits.map((v) => v.readyMs)))}), ${visits[0]!.apiCalls} API calls, slowest ${slowest.slowestApi.url} ${fmt(slowest.slowestApi.ms)} ms`);
    medians.set(range, ready);
  }
  return medians;
}

/** Rows in the store's prediction log (a reused store may hold another count than --rows). */
async function countRows(file: string): Promise<number> {
  const database = await openDatabase(`sqlite:///${file}`);
  try {
    const r = await database.db.selectFrom('predictions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  } finally {
    await database.close();
  }
}

function firstPageJs(): number {
  const dist = path.join(REPO_ROOT, 'web', 'dist');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  return files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(dist, f))).length, 0);
}

const browser = await launchChromium();
const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-bench-dashboard-'));
let empty: ServerProcess | null = null;
let loaded: ServerProcess | null = null;
try {
  const js = firstPageJs();
  console.log(`first page JavaScript (gzipped): ${fmt(js / 1000)} KB (< ${BUNDLE_TARGET_BYTES / 1000} KB: ${verdict(js < BUNDLE_TARGET_BYTES)})`);

  mkdirSync(path.join(dir, 'mlruns'));
  const file = args.store ? path.resolve(args.store) : path.join(dir, 'mlruns', 'foodlens.db');
  if (existsSync(file)) console.log(`reusing the store ${file}`);
  else {
    console.log(`loading ${ROWS.toLocaleString('en-US')} predictions into SQLite ...`);
    const database = await openDatabase(`sqlite:///${file}`);
    await migrateToLatest(database);
    const load = await loadThroughWriter(database, ROWS);
    await database.close();
    console.log(`  ${fmt(load.seconds)} s (${Math.round(load.rate).toLocaleString('en-US')} records/s)`);
  }
  const rows = await countRows(file);

  const env = { FOODLENS_INFERENCE_WORKERS: '1', FOODLENS_RAW_RETENTION_DAYS: '0' };
  empty = await startServer(env);
  loaded = await startServer({ ...env, MLFLOW_TRACKING_URI: `sqlite:///${file}` }, dir);
  const base = await measure(browser, empty, 'empty store');
  const big = await measure(browser, loaded, `${rows.toLocaleString('en-US')} predictions`);
  let ok = js < BUNDLE_TARGET_BYTES;
  for (const [range, ms] of big) {
    const within = ms <= READY_TARGET_MS;
    ok &&= within;
    console.log(`range ${range}: ready ${fmt(ms)} ms = ${fmt(ms / base.get(range)!, 2)}x the empty store's; within ${READY_TARGET_MS} ms: ${verdict(within)}`);
  }
  console.log(`\nbench dashboard: ${ok ? 'PASS' : 'FAIL'}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await browser.close();
  await empty?.stop();
  await loaded?.stop();
  rmSync(dir, { recursive: true, force: true });
}
