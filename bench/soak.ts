// npm run bench -- soak [--minutes 5] [--store sqlite|postgres] [--predict 2 --track 2 --read 2]: mixed load on the
// built server (a child process, as `npm start` runs it) for several minutes: predictions with real photos, MLflow
// tracking writes (log-batch) and dashboard reads, each from closed-loop clients (a client sends its next request when
// the last one answered), so the load is the highest rate the machine sustains rather than a queue that grows.
// It prints per route: requests, rate, p50/p99 and non-2xx answers, minute 1 against the last minute (the baseline
// measured in the same run), and the server's heap floor (lowest heap-used sample of a minute, i.e. after its
// collections) in minute 1 against the last minute. Exit code 1 if any answer was a 5xx or the heap grew 10% or more.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startServer } from '../e2e/server-process.js';
import { LABELLED_PHOTOS, photo } from '../server/test/photos.js';
import { quantile as percentile } from './_stats.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'soak'),
  options: {
    minutes: { type: 'string', default: '5' },
    store: { type: 'string', default: 'sqlite' },
    predict: { type: 'string', default: '2' },
    track: { type: 'string', default: '2' },
    read: { type: 'string', default: '2' },
  },
});
const minutes = Number(values.minutes);
if (!(minutes >= 2)) throw new Error('--minutes must be at least 2 (minute 1 is the baseline)');
const MINUTE = 60_000;

// closed-loop clients from one address: the per-client rate limits (docs/security.md) would refuse most of the load
const env: Record<string, string> = { FOODLENS_ALERT_INTERVAL_S: '60', FOODLENS_RATE_LIMIT_PREDICT: '0', FOODLENS_RATE_LIMIT_WRITES: '0' };
let dropSchema: (() => Promise<void>) | null = null;
if (values.store === 'postgres') {
  const url = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const schema = `soak_${Date.now()}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  env.MLFLOW_TRACKING_URI = `${url}?options=-c%20search_path%3D${schema}`;
  dropSchema = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop schema ${schema} cascade`);
    await c.end();
  };
}

const server = await startServer(env);
const base = server.url;
const photos = LABELLED_PHOTOS.map((p) => photo(p.code));

interface Sample {
  at: number;
  ms: number;
  status: number;
}
const samples = new Map<string, Sample[]>();
const heap: Array<{ at: number; heap: number; rss: number }> = [];
const started = Date.now();
const end = started + minutes * MINUTE;

async function timed(route: string, send: () => Promise<Response>): Promise<Response | null> {
  const t0 = performance.now();
  let status = 0;
  let res: Response | null = null;
  try {
    res = await send();
    status = res.status;
    await res.arrayBuffer();
  } catch {
    status = 0; // connection error: counted as a failure
  }
  const list = samples.get(route) ?? [];
  list.push({ at: Date.now(), ms: performance.now() - t0, status });
  samples.set(route, list);
  return res;
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function predictClient(i: number): Promise<void> {
  let n = 0;
  while (Date.now() < end) {
    const image = photos[(i + n++) % photos.length]!;
    await timed('POST /api/v1/predict', () =>
      fetch(`${base}/api/v1/predict`, { method: 'POST', headers: { 'content-type': 'image/jpeg', 'x-user-id': `soak-${i}-${n % 50}` }, body: new Uint8Array(image) }),
    );
  }
}

async function trackClient(i: number): Promise<void> {
  const created = (await (await fetch(`${base}/api/2.0/mlflow/runs/create`, json({ experiment_id: '0', run_name: `soak-${i}`, start_time: Date.now() }))).json()) as {
    run: { info: { run_id: string } };
  };
  const runId = created.run.info.run_id;
  let step = 0;
  while (Date.now() < end) {
    const ts = Date.now();
    const metrics = Array.from({ length: 10 }, (_, k) => ({ key: `m${k}`, value: Math.sin(step + k), timestamp: ts, step }));
    step++;
    await timed('POST /api/2.0/mlflow/runs/log-batch', () =>
      fetch(`${base}/api/2.0/mlflow/runs/log-batch`, json({ run_id: runId, metrics, params: step === 1 ? [{ key: 'client', value: String(i) }] : [] })),
    );
  }
}

const READS = [
  '/api/v1/mlops/monitoring/predictions?window=24h',
  '/api/v1/mlops/monitoring/confidence?window=24h',
  '/api/v1/mlops/monitoring/performance?window=24h',
  '/api/v1/mlops/compare?model=food-detector&versions=1&window=24h',
  '/api/v1/mlops/alerts?scope=current',
  '/api/v1/predictions?limit=50',
  '/api/v1/mlops/runs?experiment_id=0&max_results=50',
];

async function readClient(i: number): Promise<void> {
  let n = i;
  while (Date.now() < end) {
    const path = READS[n++ % READS.length]!;
    await timed(`GET ${path.split('?')[0]}`, () => fetch(`${base}${path}`));
  }
}

async function heapSampler(): Promise<void> {
  while (Date.now() < end) {
    try {
      const h = (await (await fetch(`${base}/api/v1/mlops/monitoring/health`)).json()) as { memory: { heap_used_bytes: number; rss_bytes: number } };
      heap.push({ at: Date.now(), heap: h.memory.heap_used_bytes, rss: h.memory.rss_bytes });
    } catch {
      // the load's own failures are counted by the clients
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const progress = setInterval(() => {
  const done = Math.round((Date.now() - started) / 1000);
  const total = [...samples.values()].reduce((s, l) => s + l.length, 0);
  console.log(`  ${done}s: ${total} requests`);
}, 30_000);

console.log(`soak: ${minutes} min on ${values.store}, clients: ${values.predict} predict, ${values.track} tracking, ${values.read} reads (closed loop)`);
try {
  await Promise.all([
    ...Array.from({ length: Number(values.predict) }, (_, i) => predictClient(i)),
    ...Array.from({ length: Number(values.track) }, (_, i) => trackClient(i)),
    ...Array.from({ length: Number(values.read) }, (_, i) => readClient(i)),
    heapSampler(),
  ]);
} finally {
  clearInterval(progress);
}
const stopCode = await server.stop();
await dropSchema?.();

const inMinute = <T extends { at: number }>(xs: T[], m: number) => xs.filter((x) => x.at >= started + m * MINUTE && x.at < started + (m + 1) * MINUTE);
const last = minutes - 1;
let fiveXX = 0;
let failed = 0;
console.log(`\n| route | requests | per s | p50 ms | p99 ms | p99 minute 1 | p99 minute ${minutes} | ratio | non-2xx |`);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [route, list] of [...samples.entries()].sort()) {
  const ms = list.map((s) => s.ms);
  const p99First = percentile(inMinute(list, 0).map((s) => s.ms), 0.99);
  const p99Last = percentile(inMinute(list, last).map((s) => s.ms), 0.99);
  const bad = list.filter((s) => s.status < 200 || s.status >= 300);
  fiveXX += list.filter((s) => s.status >= 500).length;
  failed += list.filter((s) => s.status === 0).length;
  console.log(
    `| ${route} | ${list.length} | ${(list.length / (minutes * 60)).toFixed(1)} | ${percentile(ms, 0.5).toFixed(1)} | ${percentile(ms, 0.99).toFixed(1)} | ` +
      `${p99First.toFixed(1)} | ${p99Last.toFixed(1)} | ${(p99Last / p99First).toFixed(2)} | ${bad.length}${bad.length ? ` (${[...new Set(bad.map((b) => b.status))].join(', ')})` : ''} |`,
  );
}
const floor = (m: number) => Math.min(...inMinute(heap, m).map((h) => h.heap));
const rssMax = (m: number) => Math.max(...inMinute(heap, m).map((h) => h.rss));
const growth = floor(last) / floor(0) - 1;
console.log(`\nserver heap floor: minute 1 ${(floor(0) / 2 ** 20).toFixed(1)} MiB, minute ${minutes} ${(floor(last) / 2 ** 20).toFixed(1)} MiB: ${(growth * 100).toFixed(1)}% (limit 10%)`);
console.log(`server RSS peak: minute 1 ${(rssMax(0) / 2 ** 20).toFixed(0)} MiB, minute ${minutes} ${(rssMax(last) / 2 ** 20).toFixed(0)} MiB`);
console.log(`5xx answers: ${fiveXX}; connection failures: ${failed}; server exit code after SIGTERM: ${stopCode}`);
const pass = fiveXX === 0 && failed === 0 && growth < 0.1 && stopCode === 0;
console.log(pass ? 'PASS' : 'FAIL');
process.exitCode = pass ? 0 : 1;
