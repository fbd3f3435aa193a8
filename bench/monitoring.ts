// bench monitoring (issue 5): the monitoring endpoints over 10,000,000 logged predictions.
//
// For each store (SQLite in a temporary file; PostgreSQL at BENCH_DATABASE_URL, default the local test database, in
// a throwaway schema dropped at the end):
//   1. load --rows synthetic predictions (bench/_monitoring-data.ts) spread over the last 30 days through
//      PredictionLogWriter, in time order, with the server's queue/batch/flush settings: rows and rollups are written
//      the normal way (one transaction per batch; minute buckets only for the last 48 h). Prints records/s.
//   2. start the app in this process (buildApp over the loaded store; raw-row retention off so the naive baselines
//      see every row) and, for each monitoring endpoint and window=30d / window=24h (/health takes no window), time
//      30 sequential requests from a child process (bench/_http-load.ts): p95 <= 100 ms. Beside each, the same answer
//      computed naively from the raw rows (GROUP BY per dialect, bench/_monitoring-naive.ts) in the same run, the
//      ratio naive / p95, and whether the two answers agree. A route that does not exist (404 "no route") is
//      reported as NOT AVAILABLE, not as a failure.
//   3. drift of food-detector v2, ~100,000 reference vs ~100,000 current successful predictions, every feature:
//      <= 200 ms, through the endpoint when it exists (PUT .../drift/reference with a window, then GET .../drift for
//      the current window), else the drift library over summaries (featureDrift per feature).
//   4. the process's RSS, sampled every 100 ms and as the kernel's high-water mark (VmHWM): < 1 GiB. The app runs in
//      this process, so this is the server plus the load generator and SQLite naive reads: an upper bound on the
//      server's own.
//
//   npm run bench -- monitoring [--rows 10000000] [--db sqlite|postgres|both]
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openDatabase, type Database } from '../server/src/db/connection.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { parseStoreUri } from '../server/src/db/uri.js';
import { createInferenceEngine } from '../server/src/inference/index.js';
import type { InferenceEngine } from '../server/src/inference/types.js';
import { resolveScope } from '../server/src/monitoring/rollups/monitoring-range.js';
import { HOUR_MS } from '../server/src/monitoring/rollups/time-buckets.js';
import { loadThroughWriter } from './_load-traffic.js';
import {
  countDriftRows,
  driftAll,
  naiveConfidence,
  naiveHealth,
  naivePerformance,
  naivePredictions,
  postgresRaw,
  sqliteRaw,
  summariseWindow,
  type DriftScope,
  type RawSql,
  type Scope,
  type WindowSummary,
} from './_monitoring-naive.js';
import type { LoadJob, LoadResult } from './_http-load.js';
import { fmt, quantile, verdict } from './_stats.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'monitoring'),
  options: { rows: { type: 'string', default: '10000000' }, db: { type: 'string', default: 'both' } },
  strict: true,
});
const ROWS = Number(args.rows!.replace(/[_,]/g, ''));
if (!Number.isSafeInteger(ROWS) || ROWS < 1000) throw new Error(`--rows must be an integer >= 1000, got ${args.rows}`);
const STORES = args.db === 'both' ? (['sqlite', 'postgres'] as const) : ([args.db] as const);
if (!STORES.every((s) => s === 'sqlite' || s === 'postgres')) throw new Error(`--db must be sqlite, postgres or both, got ${args.db}`);

const REQUESTS = 30;
const WARMUP = 3;
const TARGET_P95_MS = 100;
const TARGET_DRIFT_MS = 200;
const TARGET_RSS = 1024 ** 3;
const DRIFT_ROWS = 100_000;
/** the drift version: food-detector v2, champion from day 12 of the synthetic month (bench/_monitoring-data.ts) */
const DRIFT: DriftScope = { model: 'food-detector', version: '2' };
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const MONITORING = '/api/v1/mlops/monitoring';
const WINDOWS = ['30d', '24h'] as const;
type Window = (typeof WINDOWS)[number];

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => `${int(bytes / 1024 ** 2)} MiB`;
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

// ------------------------------------------------------------------------------------------------------ memory
/** RSS sampled every 100 ms, plus the kernel's high-water mark (VmHWM, reset per phase through clear_refs), which
 * also catches peaks inside synchronous work that the sampler cannot see. */
class RssMonitor {
  #max = 0;
  #hwmReset = false;
  readonly #timer: NodeJS.Timeout;
  constructor() {
    this.#timer = setInterval(() => this.sample(), 100);
    this.#timer.unref();
  }
  sample(): void {
    this.#max = Math.max(this.#max, process.memoryUsage.rss());
  }
  /** starts a phase: resets the sampled max and the kernel's peak */
  reset(): void {
    this.#max = process.memoryUsage.rss();
    try {
      writeFileSync('/proc/self/clear_refs', '5');
      this.#hwmReset = true;
    } catch {
      this.#hwmReset = false;
    }
  }
  report(): { sampled: number; hwm: number | null } {
    this.sample();
    let hwm: number | null = null;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
      if (m && this.#hwmReset) hwm = Number(m[1]) * 1024;
    } catch {
      /* not Linux */
    }
    return { sampled: this.#max, hwm };
  }
  stop(): void {
    clearInterval(this.#timer);
  }
}
const rss = new RssMonitor();

// A full GC between phases (the flag set at run time; `gc` is then reachable in a fresh context), so the serving phase
// starts without the load phase's garbage.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const rssNow = () => {
  const m = process.memoryUsage();
  return `${mib(m.rss)} (V8 heap ${mib(m.heapUsed)} used of ${mib(m.heapTotal)}, external ${mib(m.external)})`;
};

// --------------------------------------------------------------------------------------------------- HTTP load
const here = path.dirname(fileURLToPath(import.meta.url));
let loader: ChildProcess | null = null;
function drive(job: LoadJob): Promise<LoadResult> {
  loader ??= fork(path.join(here, '_http-load.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const child = loader;
  return new Promise((resolve) => {
    child.once('message', (r) => resolve(r as LoadResult));
    child.send(job);
  });
}
function stopLoader(): void {
  loader?.kill();
  loader = null;
}

interface Probe {
  status: number;
  body: unknown;
  text: string;
}
async function request(port: number, method: string, urlPath: string, body?: unknown): Promise<Probe> {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, text };
}

/** The app's answer for a route that does not exist (error-handler.ts's not-found handler). */
function routeMissing(p: Probe): boolean {
  return p.status === 404 && /no route for/i.test(p.text);
}

async function latencies(port: number, urlPath: string): Promise<LoadResult> {
  const job: LoadJob = { port, recipe: { kind: 'get', path: urlPath }, clients: 1, requests: WARMUP, expectStatus: 200 };
  await drive(job);
  return drive({ ...job, requests: REQUESTS });
}

/** Times fn: once if it takes a second or more, else up to 3 runs (1 s budget); the median. */
async function timeNaive<T>(fn: () => Promise<T>): Promise<{ ms: number; runs: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  let spent = 0;
  do {
    const t0 = performance.now();
    result = await fn();
    const ms = performance.now() - t0;
    times.push(ms);
    spent += ms;
  } while (times.length < 3 && spent < 1000);
  return { ms: quantile(times, 0.5), runs: times.length, result };
}

// ------------------------------------------------------------------------------------------------------ load
/** The fewest whole hours [from, to) holding at least DRIFT_ROWS successful predictions of the drift version, growing
 * from `anchor` forwards (1) or backwards (-1), at most `limitMs` long (then fewer rows). A few count queries. */
async function driftWindow(raw: RawSql, anchor: number, direction: 1 | -1, limitMs: number): Promise<{ from: number; to: number; rows: number }> {
  const maxHours = Math.floor(limitMs / HOUR_MS);
  const span = (hours: number) => (direction === 1 ? { from: anchor, to: anchor + hours * HOUR_MS } : { from: anchor - hours * HOUR_MS, to: anchor });
  const counted = new Map<number, number>();
  const count = async (hours: number) => {
    if (!counted.has(hours)) {
      const { from, to } = span(hours);
      counted.set(hours, await countDriftRows(raw, DRIFT, from, to));
    }
    return counted.get(hours)!;
  };
  // Bisect on the hour count: rows only grow with it.
  let lo = 0;
  let hi = maxHours;
  if ((await count(hi)) < DRIFT_ROWS) return { ...span(hi), rows: await count(hi) };
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((await count(mid)) >= DRIFT_ROWS) hi = mid;
    else lo = mid;
  }
  return { ...span(hi), rows: await count(hi) };
}

// ------------------------------------------------------------------------------------------------- endpoints
interface Measured {
  /** the answer of the probe request */
  body: unknown;
  /** the range the endpoint answered for */
  scope: Scope;
  now: number;
}

interface EndpointSpec {
  name: string;
  path: string;
  /** query string for a window; null: the endpoint takes no window (measured once) */
  query: ((window: Window) => string) | null;
  what: string;
  /** times the naive equivalent; a one-line description of its answer and how the endpoint's answer compares */
  naive: (raw: RawSql, m: Measured) => Promise<{ ms: number; runs: number; note: string }>;
}

const rel = (a: number, b: number) => (b === 0 ? (a === 0 ? 0 : Infinity) : Math.abs(a - b) / Math.abs(b));
const same = (label: string, a: unknown, b: unknown) => (a === b ? `${label} equal` : `${label} DIFFER (${String(a)} vs ${String(b)} naive)`);
const close = (label: string, a: number | null | undefined, b: number | null | undefined, tol = 1e-9) =>
  a == null || b == null ? `${label} ${a == null && b == null ? 'both null' : `DIFFER (${a} vs ${b} naive)`}` : rel(a, b) <= tol ? `${label} equal` : `${label} DIFFER (${a} vs ${b} naive)`;

const ENDPOINTS: EndpointSpec[] = [
  {
    name: 'predictions',
    path: `${MONITORING}/predictions`,
    query: (w) => `window=${w}`,
    what: 'counts by UTC day (+ totals), by food, count(distinct user_id), top 10 users',
    async naive(raw, { body, scope }) {
      const t = await timeNaive(() => naivePredictions(raw, scope));
      const n = t.result;
      const b = body as { totals?: { requests: number; errors: number; no_food: number; anonymous: number }; by_food?: Array<{ food: string | null; count: number }>; by_day?: unknown[]; users?: { distinct_estimate: number; top: Array<{ user_id: string; count: number; max_overcount: number }> } };
      const checks: string[] = [];
      if (b?.totals) {
        checks.push(same('requests', b.totals.requests, n.requests), same('errors', b.totals.errors, n.errors), same('no_food', b.totals.no_food, n.noFood), same('anonymous', b.totals.anonymous, n.anonymous));
        const foods = new Map(n.byFood.map((f) => [f.food, f.count]));
        const foodsSame = (b.by_food ?? []).length === n.byFood.length && (b.by_food ?? []).every((f) => foods.get(f.food) === f.count);
        checks.push(`by_food ${foodsSame ? 'equal' : 'DIFFER'}`, same('days', b.by_day?.length, n.byDay.length));
        if (b.users) {
          checks.push(`distinct users ${int(b.users.distinct_estimate)} estimated vs ${int(n.distinctUsers)} exact (${fmt(100 * rel(b.users.distinct_estimate, n.distinctUsers), 2)}% off)`);
          const top = b.users.top[0];
          const exact = n.topUsers[0];
          if (top && exact) checks.push(`top user ${top.user_id === exact.user ? 'same' : 'DIFFERS'}: ${int(top.count)} (overcount <= ${int(top.max_overcount)}) vs ${int(exact.count)} exact`);
        }
      }
      return { ms: t.ms, runs: t.runs, note: `${int(n.requests)} requests; ${checks.join(', ')}` };
    },
  },
  {
    name: 'confidence',
    path: `${MONITORING}/confidence`,
    query: (w) => `window=${w}`,
    what: '50-bin confidence histogram + count and sum (mean)',
    async naive(raw, { body, scope }) {
      const t = await timeNaive(() => naiveConfidence(raw, scope));
      const n = t.result;
      const b = body as { count?: number; mean?: number | null; histogram?: Array<{ count: number }> };
      const checks = [same('count', b?.count, n.count), close('mean', b?.mean, n.mean)];
      // the default answer has 10 bins of 0.1: fold the 50 naive bins five by five
      if (b?.histogram?.length === 10) {
        const folded = Array.from({ length: 10 }, (_, i) => n.histogram.slice(i * 5, i * 5 + 5).reduce((x, y) => x + y, 0));
        checks.push(`histogram ${b.histogram.every((h, i) => h.count === folded[i]) ? 'equal' : 'DIFFERS'}`);
      }
      return { ms: t.ms, runs: t.runs, note: `${int(n.count)} confidences, mean ${n.mean?.toFixed(4)}; ${checks.join(', ')}` };
    },
  },
  {
    name: 'performance',
    path: `${MONITORING}/performance`,
    query: (w) => `window=${w}`,
    what: "per series step: requests, errors, confidence count and mean, exact p50/p95 latency",
    async naive(raw, { body, scope }) {
      const b = body as { resolution?: { step: string; step_ms: number }; summary?: { requests: number; errors: number; confidence_count: number; mean_confidence: number | null; latency_p95_ms: number | null }; series?: Array<{ requests: number }> };
      const stepMs = b?.resolution?.step_ms ?? HOUR_MS;
      const t = await timeNaive(() => naivePerformance(raw, scope, stepMs));
      const steps = t.result;
      const requests = steps.reduce((a, s) => a + s.requests, 0);
      const errors = steps.reduce((a, s) => a + s.errors, 0);
      const confidenceCount = steps.reduce((a, s) => a + s.confidenceCount, 0);
      const meanConfidence = confidenceCount ? steps.reduce((a, s) => a + (s.meanConfidence ?? 0) * s.confidenceCount, 0) / confidenceCount : null;
      const checks: string[] = [];
      if (b?.summary) {
        checks.push(same('requests', b.summary.requests, requests), same('errors', b.summary.errors, errors), same('confidence_count', b.summary.confidence_count, confidenceCount), close('mean_confidence', b.summary.mean_confidence, meanConfidence, 1e-6));
        const nonEmpty = (b.series ?? []).filter((p) => p.requests > 0).length;
        checks.push(`${nonEmpty} non-empty points vs ${steps.length} naive steps`);
      }
      const p95s = steps.map((s) => s.p95).filter((v): v is number => v !== null);
      return { ms: t.ms, runs: t.runs, note: `step ${b?.resolution?.step ?? '1h?'}, ${steps.length} steps, median step p95 latency ${fmt(quantile(p95s, 0.5))} ms; ${checks.join(', ')}` };
    },
  },
  {
    name: 'drift',
    path: `${MONITORING}/drift`,
    query: (w) => `model=${DRIFT.model}&version=${DRIFT.version}&window=${w}`,
    what: "read the window's successful predictions of the version + summarise + test each feature against the reference",
    async naive(raw, { body, scope }) {
      if (!driftReference) return { ms: NaN, runs: 0, note: 'no reference summary' };
      const ref = driftReference;
      const t0 = performance.now();
      const current = await summariseWindow(raw, DRIFT, scope.from, scope.to);
      const results = driftAll(ref, current);
      const ms = performance.now() - t0;
      const b = body as { current?: { rows: number }; reference?: { rows: number }; dataset?: { drifted_features: number } };
      const naiveDrifted = results.filter((r) => r.drifted).length;
      const checks = b?.current ? [same('current rows', b.current.rows, current.rows), same('reference rows', b.reference?.rows, ref.rows), same('drifted features', b.dataset?.drifted_features, naiveDrifted)] : [];
      return { ms, runs: 1, note: `${int(current.rows)} current vs ${int(ref.rows)} reference rows, ${naiveDrifted}/${results.length} features drifted; ${checks.join(', ')}` };
    },
  },
  {
    name: 'health',
    path: `${MONITORING}/health`,
    query: null,
    what: 'served predictions of the last 1 and 5 minutes from the raw rows: count, errors, p50/p95/p99/max latency',
    async naive(raw, { body, now }) {
      const t = await timeNaive(() => naiveHealth(raw, now));
      const b = body as { predictions?: { last_1m: { count: number }; last_5m: { count: number } }; status?: string };
      const [m1, m5] = t.result;
      return {
        ms: t.ms,
        runs: t.runs,
        note: `raw rows: ${m1!.count} in the last minute, ${m5!.count} in the last 5 (the bench logs nothing live); endpoint (in-memory counters): status ${b?.status}, ${b?.predictions?.last_1m.count} / ${b?.predictions?.last_5m.count}`,
      };
    },
  },
];

/** The drift reference window's summaries (set by the drift step), for the /drift naive baseline. */
let driftReference: WindowSummary | null = null;

interface StoreOutcome {
  pass: boolean;
  /** the targets missed */
  failed: string[];
  unavailable: string[];
  notMeasured: string[];
}

/**
 * Ground truth on about 1 in 256 successful served predictions (two hex digits of the id's counter, random bits
 * in a real UUIDv7, are 00), stored with the prediction's context as recordFeedback does, so /performance computes realised accuracy and
 * fits its calibration at scale. "Correct" rises with confidence (right when confidence >= 0.45), so calibration has
 * something to learn. One INSERT ... SELECT: the same statement on both dialects.
 */
async function addFeedback(database: Database): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  const now = Date.now();
  const statement = `insert into prediction_feedback
      (prediction_id, correct, label, created_time, updated_time, prediction_created_at, model_name, model_version, variant, confidence, food_name)
    select id, case when confidence >= 0.45 then 1 else 0 end, null, ${now}, ${now}, created_at, model_name, model_version, variant, confidence, food_name
    from predictions
    where status = 'ok' and (variant is null or variant <> 'shadow') and substr(id, 32, 2) = '00'`;
  let rows: number;
  if (database.dialect === 'sqlite') rows = database.sqlite.prepare(statement).run().changes;
  else rows = (await database.pool.query(statement)).rowCount ?? 0;
  return { rows, seconds: (performance.now() - t0) / 1000 };
}

async function benchStore(label: string, database: Database, raw: RawSql, engine: InferenceEngine, dir: string, sizeOf: () => Promise<string>): Promise<StoreOutcome> {
  const out: StoreOutcome = { pass: true, failed: [], unavailable: [], notMeasured: [] };
  const check = (ok: boolean, what: string) => {
    out.pass &&= ok;
    if (!ok) out.failed.push(what);
  };
  driftReference = null;
  console.log(`\n[${label}] load average before: ${loadavg()}`);

  // 1. load
  gc();
  const baseRss = rssNow();
  rss.reset();
  const load = await loadThroughWriter(database, ROWS);
  const loadRss = rss.report();
  console.log(
    `[${label}] load: ${int(ROWS)} predictions over ${new Date(load.start).toISOString().slice(0, 16)}Z .. ${new Date(load.end).toISOString().slice(0, 16)}Z ` +
      `through PredictionLogWriter in ${fmt(load.seconds)} s = ${int(load.rate)} records/s\n  (${load.detail})`,
  );
  const feedback = await addFeedback(database);
  console.log(`[${label}] feedback: ${int(feedback.rows)} served predictions labelled (about 1 in 256, as recordFeedback stores them) in ${fmt(feedback.seconds)} s, outside all timings`);
  const t0 = performance.now();
  if (database.dialect === 'sqlite') {
    database.sqlite.pragma('analysis_limit = 1000');
    database.sqlite.exec('analyze');
  } else {
    await database.pool.query('analyze');
  }
  console.log(`[${label}] store size ${await sizeOf()}; ANALYZE (so the naive queries get good plans) ${fmt((performance.now() - t0) / 1000)} s, outside all timings`);

  // 2. the app over the loaded store
  gc();
  const afterLoad = rssNow();
  rss.reset();
  const config = loadConfig({ LOG_LEVEL: 'warn', FOODLENS_RAW_RETENTION_DAYS: '0' }, dir);
  const app: FastifyInstance = await buildApp(config, { engine, database, logger: false });
  let serveRss: { sampled: number; hwm: number | null } | null = null;
  let naiveRss: { sampled: number; hwm: number | null } | null = null;
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;

    // 3. drift windows: a reference and a current window of ~100k successful predictions of the version each
    const c0 = performance.now();
    const week = 7 * 86_400_000;
    const ref = await driftWindow(raw, Math.ceil((load.start + 13 * 86_400_000) / HOUR_MS) * HOUR_MS, 1, week);
    const cur = await driftWindow(raw, Math.floor(load.end / HOUR_MS) * HOUR_MS, -1, week);
    const iso = (t: number) => new Date(t).toISOString().slice(5, 16).replace('T', ' ');
    console.log(
      `[${label}] drift of ${DRIFT.model} v${DRIFT.version}: reference ${iso(ref.from)}..${iso(ref.to)} (${int(ref.rows)} successful predictions), ` +
        `current ${iso(cur.from)}..${iso(cur.to)} (${int(cur.rows)}) (windows found in ${fmt(performance.now() - c0)} ms)`,
    );

    // 4. the server alone: the drift endpoint, then every endpoint for both windows. The naive baselines run after all
    //    of them, so their memory (SQLite reads run in this process) does not count as the server's.
    const p0 = performance.now();
    const put = await request(port, 'PUT', `${MONITORING}/drift/reference`, { model: DRIFT.model, version: DRIFT.version, source: { type: 'window', from: ref.from, to: ref.to } });
    const putMs = performance.now() - p0;
    let driftEndpoint: { body: unknown; l: LoadResult } | null = null;
    const driftNotes: string[] = [];
    if (routeMissing(put)) {
      out.unavailable.push('drift (PUT /drift/reference)');
      driftNotes.push('drift endpoint: NOT AVAILABLE (PUT /drift/reference has no route); timing the drift library instead');
    } else if (put.status !== 200) {
      out.notMeasured.push(`PUT /drift/reference answered ${put.status}: ${put.text.slice(0, 200)}`);
      driftNotes.push(`drift endpoint: NOT MEASURED (PUT /drift/reference answered ${put.status}: ${put.text.slice(0, 300)}); timing the drift library instead`);
    } else {
      const curPath = `${MONITORING}/drift?model=${DRIFT.model}&version=${DRIFT.version}&from=${cur.from}&to=${cur.to}`;
      const probe = await request(port, 'GET', curPath);
      if (probe.status !== 200) {
        out.notMeasured.push(`GET /drift (current window) answered ${probe.status}: ${probe.text.slice(0, 200)}`);
        driftNotes.push(`GET /drift answered ${probe.status}: ${probe.text.slice(0, 300)}; timing the drift library instead`);
      } else driftEndpoint = { body: probe.body, l: await latencies(port, curPath) };
    }

    interface Timed {
      ep: EndpointSpec;
      shown: string;
      line: string;
      measured?: Measured;
      p95?: number;
    }
    const timed: Timed[] = [];
    for (const ep of ENDPOINTS) {
      for (const window of ep.query ? WINDOWS : ([null] as const)) {
        const urlPath = ep.query && window ? `${ep.path}?${ep.query(window)}` : ep.path;
        const shown = `GET ${ep.path.slice(MONITORING.length)}${window ? `?window=${window}` : ' (no window)'}`.padEnd(30);
        const now = Date.now();
        const probe = await request(port, 'GET', urlPath);
        if (routeMissing(probe)) {
          if (window !== '24h') out.unavailable.push(ep.name);
          timed.push({ ep, shown, line: `  ${shown} NOT AVAILABLE (no route yet)` });
          continue;
        }
        if (probe.status !== 200) {
          out.notMeasured.push(`${ep.name}${window ? ` window=${window}` : ''}: ${probe.status} ${probe.text.slice(0, 200)}`);
          timed.push({ ep, shown, line: `  ${shown} NOT MEASURED: answered ${probe.status}: ${probe.text.slice(0, 300)}` });
          continue;
        }
        const l = await latencies(port, urlPath);
        const p50 = quantile(l.latenciesMs, 0.5);
        const p95 = quantile(l.latenciesMs, 0.95);
        const ok = p95 <= TARGET_P95_MS && l.errors.length === 0;
        check(ok, `${shown.trim()} p95 ${fmt(p95, 1)} ms${l.errors.length ? ' (with errors)' : ''}`);
        // the range the endpoint answered for (its answer's range, else its own range plan)
        const { plan, hourPlan } = resolveScope({ window: window ?? '24h', variant: 'served' }, now);
        const answered = (probe.body as { range?: { from: number; to: number }; current?: { range?: { from: number; to: number } } } | null) ?? {};
        const range = answered.range ?? answered.current?.range;
        const scope: Scope = { from: range?.from ?? plan.from, to: range?.to ?? plan.to, hourFrom: hourPlan.from, hourTo: hourPlan.to };
        timed.push({
          ep,
          shown,
          p95,
          measured: { body: probe.body, scope, now },
          line:
            `  ${shown} p50 ${fmt(p50, 1).padStart(6)} ms  p95 ${fmt(p95, 1).padStart(6)} ms  target <= ${TARGET_P95_MS} ms ${verdict(ok)}` +
            `${l.errors.length ? `  errors: ${l.errors.join(' | ')}` : ''}`,
        });
      }
    }
    serveRss = rss.report();

    // 5. the naive baselines, in the same run
    rss.reset();
    const r0 = performance.now();
    const refSummary = await summariseWindow(raw, DRIFT, ref.from, ref.to);
    const curSummary = await summariseWindow(raw, DRIFT, cur.from, cur.to);
    const readSummariseMs = performance.now() - r0;
    driftReference = refSummary;
    let libMs = Infinity;
    let libDrifted = 0;
    let features = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const results = driftAll(refSummary, curSummary);
      libMs = Math.min(libMs, performance.now() - t);
      libDrifted = results.filter((r) => r.drifted).length;
      features = results.length;
    }
    const naiveDriftMs = readSummariseMs + libMs;
    const naiveLine = `naive (read both windows' raw rows + summarise + test): ${int(naiveDriftMs)} ms`;
    for (const n of driftNotes) console.log(`[${label}] ${n}`);
    if (driftEndpoint) {
      const { body, l } = driftEndpoint;
      const b = body as { reference?: { rows: number }; current?: { rows: number }; dataset?: { drifted_features: number; features: number } };
      const p95 = quantile(l.latenciesMs, 0.95);
      const ok = p95 <= TARGET_DRIFT_MS && l.errors.length === 0;
      check(ok, `GET /drift ~100k vs ~100k p95 ${fmt(p95, 1)} ms > ${TARGET_DRIFT_MS} ms${l.errors.length ? ' or errors' : ''}`);
      console.log(
        `[${label}] GET /drift, ${int(b?.current?.rows ?? NaN)} current vs ${int(b?.reference?.rows ?? NaN)} reference predictions, ${b?.dataset?.features} features ` +
          `(PUT /drift/reference took ${fmt(putMs)} ms): p50 ${fmt(quantile(l.latenciesMs, 0.5), 1)} ms p95 ${fmt(p95, 1)} ms target p95 <= ${TARGET_DRIFT_MS} ms ${verdict(ok)}` +
          `${l.errors.length ? ` errors: ${l.errors.join(' | ')}` : ''}\n  ${naiveLine} = ${fmt(naiveDriftMs / p95)}x p95; ` +
          `${[same('reference rows', b?.reference?.rows, refSummary.rows), same('current rows', b?.current?.rows, curSummary.rows), same('drifted features', b?.dataset?.drifted_features, libDrifted)].join(', ')}`,
      );
    }
    const libOk = libMs <= TARGET_DRIFT_MS;
    if (!driftEndpoint) check(libOk, `drift library ${fmt(libMs, 1)} ms > ${TARGET_DRIFT_MS} ms`);
    console.log(
      `[${label}] drift library over summaries, ${features} features (${features - 1} numeric + food), ${int(curSummary.rows)} vs ${int(refSummary.rows)}: ${fmt(libMs, 2)} ms (best of 5) ` +
        `target <= ${TARGET_DRIFT_MS} ms ${verdict(libOk)}${driftEndpoint ? ' (informational: the endpoint above is the target)' : ''}; ${libDrifted}/${features} drifted\n` +
        `  ${naiveLine} = ${fmt(naiveDriftMs / libMs)}x the check on summaries`,
    );
    console.log(`[${label}] endpoints: ${REQUESTS} sequential requests each after ${WARMUP} warm-up; naive = the same answer from the raw rows, same range, same run (after all the requests)`);
    for (const t of timed) {
      if (!t.measured || t.p95 === undefined) {
        console.log(t.line);
        continue;
      }
      const naive = await t.ep.naive(raw, t.measured);
      console.log(
        `${t.line}  | naive ${int(naive.ms).padStart(7)} ms${naive.runs > 1 ? ` (median of ${naive.runs})` : ''} = ${fmt(naive.ms / t.p95).padStart(7)}x p95\n` +
          `     naive: ${t.ep.what}\n     ${naive.note}`,
      );
    }
    naiveRss = rss.report();
  } finally {
    await app.close();
  }
  const show = (r: { sampled: number; hwm: number | null } | null) => (r === null ? 'not reached' : `max sampled ${mib(r.sampled)}${r.hwm !== null ? `, peak (VmHWM) ${mib(r.hwm)}` : ''}`);
  const peakOf = (r: { sampled: number; hwm: number | null } | null) => (r === null ? 0 : Math.max(r.sampled, r.hwm ?? 0));
  const peak = Math.max(peakOf(loadRss), peakOf(serveRss));
  const memOk = peak < TARGET_RSS;
  check(memOk, `RSS ${mib(peak)} >= 1 GiB`);
  console.log(
    `[${label}] RSS of this process: before the store ${baseRss}; load through the writer (its queue of up to ${int(loadConfig(process.env).predictionLog.queueSize)} records and the generator included) ${show(loadRss)}; ` +
      `after the load and a full GC ${afterLoad}; app serving the monitoring requests ${show(serveRss)}; ` +
      `max ${mib(peak)} target < 1 GiB ${verdict(memOk)}` +
      `\n  (then the naive baselines${database.dialect === 'sqlite' ? ', whose SQLite reads run in this process' : ''}: ${show(naiveRss)}; not the server's, not counted)`,
  );
  console.log(`[${label}] load average after: ${loadavg()}`);
  return out;
}

// ------------------------------------------------------------------------------------------------------- main
console.log(
  `bench monitoring: ${int(ROWS)} predictions over 30 days through the prediction-log writer, then the monitoring endpoints ` +
    `(window=30d and 24h) vs the naive GROUP BY, drift of ~${int(DRIFT_ROWS)} vs ~${int(DRIFT_ROWS)}, RSS; stores: ${STORES.join(', ')}; ` +
    `${os.availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString()}`,
);
if (STORES.length > 1) {
  // One process per store, so each store's RSS is its own (not the previous store's leftovers).
  let ok = true;
  for (const store of STORES) {
    const code = await new Promise<number>((resolve) => {
      const child = fork(fileURLToPath(import.meta.url), ['--rows', String(ROWS), '--db', store], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
      child.on('exit', (c) => resolve(c ?? 1));
    });
    if (code !== 0) console.log(`(the ${store} process ended with exit code ${code})`);
    ok &&= code === 0;
  }
  console.log(`\nbench monitoring, both stores: ${verdict(ok)}`);
  if (!ok) process.exitCode = 1;
} else {
  await benchStores();
}

async function benchStores(): Promise<void> {
  const started = performance.now();
  const engine = createInferenceEngine({ workers: 1 });
  const outcomes: Array<[string, StoreOutcome | string]> = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-bench-monitoring-'));
  try {
    if (STORES.includes('sqlite' as never)) {
      const file = path.join(dir, 'bench.db');
      const database = await openDatabase(`sqlite:///${file}`);
      let raw: RawSql | null = null;
      try {
        await migrateToLatest(database);
        raw = sqliteRaw(file);
        const sizeOf = async () => {
          const bytes = [file, `${file}-wal`].filter(existsSync).reduce((a, f) => a + statSync(f).size, 0);
          return `${mib(bytes)} (file + WAL)`;
        };
        outcomes.push(['SQLite', await benchStore('SQLite', database, raw, engine, dir, sizeOf)]);
      } finally {
        await raw?.close();
        await database.close();
        rmSync(file, { force: true });
        rmSync(`${file}-wal`, { force: true });
        rmSync(`${file}-shm`, { force: true });
      }
    }

    if (STORES.includes('postgres' as never)) {
      const target = parseStoreUri(pgUrl);
      if (target.dialect !== 'postgres') throw new Error('BENCH_DATABASE_URL must be a PostgreSQL URI');
      const admin = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: 3000 });
      let reachable = true;
      try {
        await admin.connect();
      } catch (err) {
        reachable = false;
        outcomes.push(['PostgreSQL', `skipped: unreachable at ${target.host}:${target.port} (${(err as Error).message})`]);
        await admin.end().catch(() => {});
      }
      if (reachable) {
        const schema = `bench_monitoring_${randomBytes(4).toString('hex')}`;
        try {
          await admin.query(`create schema ${schema}`);
          console.log(`PostgreSQL: throwaway schema ${schema} at ${target.host}:${target.port}, dropped at the end`);
          const database = await openDatabase(pgUrl, { searchPath: schema });
          try {
            if (database.dialect !== 'postgres') throw new Error('unreachable');
            await migrateToLatest(database);
            const sizeOf = async () => {
              const { rows } = await database.pool.query<{ t: string; n: string }>(
                `select c.relname as t, pg_total_relation_size(c.oid) as n from pg_class c join pg_namespace s on s.oid = c.relnamespace
                 where s.nspname = $1 and c.relkind = 'r' and c.relname in ('predictions', 'prediction_rollups', 'prediction_rollup_foods')`,
                [schema],
              );
              return rows.map((r) => `${r.t} ${mib(Number(r.n))}`).join(', ') + ' (with indexes)';
            };
            outcomes.push(['PostgreSQL', await benchStore('PostgreSQL', database, postgresRaw(database.pool), engine, dir, sizeOf)]);
          } finally {
            await database.close();
          }
        } finally {
          await admin.query(`drop schema if exists ${schema} cascade`).catch((err: Error) => console.log(`could not drop schema ${schema}: ${err.message}`));
          await admin.end();
        }
      }
    }
  } finally {
    await engine.close();
    stopLoader();
    rss.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(`\nbench monitoring summary (${fmt((performance.now() - started) / 60_000)} min):`);
  let allPass = true;
  for (const [label, o] of outcomes) {
    if (typeof o === 'string') {
      console.log(`  ${label}: ${o}`);
      continue;
    }
    allPass &&= o.pass;
    console.log(`  ${label}: measured targets ${verdict(o.pass)}${o.failed.length ? `; missed: ${o.failed.join('; ')}` : ''}`);
    if (o.unavailable.length) console.log(`    not available yet (no route): ${o.unavailable.join(', ')}`);
    for (const n of o.notMeasured) console.log(`    not measured: ${n}`);
  }
  console.log(`bench monitoring: ${verdict(allPass)}`);
  if (!allPass) process.exitCode = 1;
}
