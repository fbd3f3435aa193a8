// What the fault tests share: the built server started as `npm start` starts it (e2e/server-process.ts) on a given
// store, a stream of real-photo predictions and a crowd of MLflow writers that remember what was acknowledged, and
// readers that count, through the API, what the store holds afterwards.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { AlertList, Health, MonitoringHealth, PredictionList, PredictionMonitoring } from '@foodlens/contracts';
import { startServer, type ServerProcess } from '../e2e/server-process.js';
import { LABELLED_PHOTOS, photo } from '../server/test/photos.js';

/** FOODLENS_LOG_FLUSH_MS's default: the tests run with it. */
export const DEFAULT_FLUSH_MS = 200;

export function report(line: string): void {
  console.log(`[faults] ${line}`);
}

/**
 * `node server/dist/main.js serve` with its working directory, artifacts and (unless given) SQLite store in `dir`; one
 * inference worker, so several servers share the two cores. Resolves once /health says the model is loaded.
 */
export function startFoodLens(dir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  mkdirSync(dir, { recursive: true });
  return startServer(
    {
      MLFLOW_TRACKING_URI: `sqlite:///${path.join(dir, 'mlruns', 'foodlens.db')}`,
      MLFLOW_ARTIFACT_LOCATION: path.join(dir, 'artifacts'),
      FOODLENS_INFERENCE_WORKERS: '1',
      // load from one address at full speed: the per-client rate limits (docs/security.md) would refuse it
      FOODLENS_RATE_LIMIT_PREDICT: '0',
      FOODLENS_RATE_LIMIT_WRITES: '0',
      ...env,
    },
    dir,
  );
}

/** The server's error-level log lines (pino level 50 and above). */
export function errorLines(server: ServerProcess): string[] {
  return server
    .output()
    .split('\n')
    .filter((l) => /"level":(50|60)/.test(l));
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
}

export const health = async (base: string) => Health.parse(await getJson(`${base}/health`));
export const monitoringHealth = async (base: string) => MonitoringHealth.parse(await getJson(`${base}/api/v1/mlops/monitoring/health`));
export const alertList = async (base: string) => AlertList.parse(await getJson(`${base}/api/v1/mlops/alerts`));
export const predictionMonitoring = async (base: string) =>
  PredictionMonitoring.parse(await getJson(`${base}/api/v1/mlops/monitoring/predictions?window=24h&variant=all&top_users=100&top_foods=200`));

/** A Prometheus sample's value (summed over its label sets). */
export async function metricValue(base: string, name: string): Promise<number> {
  const res = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  const samples = text.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (samples.length === 0) throw new Error(`no ${name} in /metrics`);
  return samples.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Polls `probe` until it returns something other than undefined. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(100);
  }
}

/** Every prediction id the store holds, through GET /api/v1/predictions (which flushes the writer first). */
export async function storedPredictionIds(base: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = PredictionList.parse(
      await getJson(`${base}/api/v1/predictions?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    );
    ids.push(...page.predictions.map((p) => p.prediction_id));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

/** Client-side loops that each keep one request in flight until stop(). */
abstract class Load {
  #stopped = false;
  #loops: Promise<void>[] = [];
  /** answers other than 200 (a live server must not give any), with their bodies */
  readonly refused: string[] = [];
  /** requests that got no answer (connection refused or cut: the server was killed or is stopping) */
  unanswered = 0;

  constructor(
    protected readonly targets: string[],
    private readonly clients: number,
  ) {}

  start(): this {
    for (let c = 0; c < this.clients; c++) this.#loops.push(this.#loop(c));
    return this;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops);
  }

  protected abstract step(client: number, i: number): Promise<void>;

  /** Sends one request; the answer when it was 200, null otherwise (counted). */
  protected async send(make: () => Promise<Response>): Promise<unknown | null> {
    let res: Response;
    try {
      res = await make();
    } catch {
      this.unanswered++;
      await sleep(20);
      return null;
    }
    const text = await res.text().catch(() => null);
    if (text === null) {
      this.unanswered++;
      return null;
    }
    if (res.status !== 200) {
      this.refused.push(`${res.status} ${text.slice(0, 300)}`);
      return null;
    }
    return JSON.parse(text);
  }

  async #loop(client: number): Promise<void> {
    for (let i = 0; !this.#stopped; i++) await this.step(client, i);
  }
}

export interface AnsweredPrediction {
  id: string;
  /** Date.now() when the answer had arrived */
  at: number;
  target: string;
  user: string;
}

/** Real photos posted back to back, spread over the targets and a few users; remembers every answered prediction. */
export class PredictionStream extends Load {
  readonly answered: AnsweredPrediction[] = [];

  constructor(targets: string[], clients: number, private readonly users = ['ana', 'ben', 'chen', 'dora', 'eli']) {
    super(targets, clients);
  }

  protected async step(client: number, i: number): Promise<void> {
    const target = this.targets[(client + i) % this.targets.length]!;
    const user = this.users[(client * 7 + i) % this.users.length]!;
    const code = LABELLED_PHOTOS[(client * 3 + i) % LABELLED_PHOTOS.length]!.code;
    const body = (await this.send(() =>
      fetch(`${target}/api/v1/predict`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', 'x-user-id': user },
        body: new Uint8Array(photo(code)),
        signal: AbortSignal.timeout(60_000),
      }),
    )) as { prediction_id: string } | null;
    if (body) this.answered.push({ id: body.prediction_id, at: Date.now(), target, user });
  }
}

interface AckedRun {
  /** steps of the metrics `loss` and `acc` whose log-batch was answered 200 */
  steps: Set<number>;
  /** params whose log-batch was answered 200 */
  params: Map<string, string>;
}

/**
 * MLflow writers: each creates a run, then logs `batchesPerRun` batches to it (metrics `loss` and `acc` at step k,
 * param `p<k>`), then starts another run. Consecutive requests go to different targets, so with two instances one
 * run is written through both. Remembers which runs and which batches were acknowledged.
 */
export class TrackingWriters extends Load {
  readonly runs = new Map<string, AckedRun>();
  acknowledged = 0;
  #current = new Map<number, { runId: string; next: number }>();

  constructor(
    targets: string[],
    clients: number,
    private readonly experimentId: string,
    private readonly batchesPerRun = 20,
  ) {
    super(targets, clients);
  }

  protected async step(client: number, i: number): Promise<void> {
    const target = this.targets[(client + i) % this.targets.length]!;
    const api = `${target}/api/2.0/mlflow`;
    const cur = this.#current.get(client);
    if (!cur || cur.next >= this.batchesPerRun) {
      const body = (await this.send(() =>
        postJson(`${api}/runs/create`, { experiment_id: this.experimentId, run_name: `writer-${client}-${i}`, start_time: Date.now() }),
      )) as { run: { info: { run_id: string } } } | null;
      if (!body) return;
      this.acknowledged++;
      this.runs.set(body.run.info.run_id, { steps: new Set(), params: new Map() });
      this.#current.set(client, { runId: body.run.info.run_id, next: 0 });
      return;
    }
    const k = cur.next++;
    const now = Date.now();
    const value = `${client}-${k}-${now}`;
    const ok = await this.send(() =>
      postJson(`${api}/runs/log-batch`, {
        run_id: cur.runId,
        metrics: [
          { key: 'loss', value: 1 / (k + 1), timestamp: now, step: k },
          { key: 'acc', value: k / this.batchesPerRun, timestamp: now, step: k },
        ],
        params: [{ key: `p${k}`, value }],
      }),
    );
    if (ok === null) return;
    this.acknowledged++;
    const run = this.runs.get(cur.runId)!;
    run.steps.add(k);
    run.params.set(`p${k}`, value);
  }

  /** acknowledged metric values (two per batch) */
  get metricValues(): number {
    let n = 0;
    for (const r of this.runs.values()) n += 2 * r.steps.size;
    return n;
  }
}

export async function createExperiment(base: string, name: string): Promise<string> {
  const res = await postJson(`${base}/api/2.0/mlflow/experiments/create`, { name });
  expect(res.status).toBe(200);
  return ((await res.json()) as { experiment_id: string }).experiment_id;
}

export interface TrackingCheck {
  runs: number;
  metricValues: number;
  params: number;
  /** acknowledged writes the store does not have, described */
  missing: string[];
  /** values stored more than once */
  duplicated: string[];
}

/** Reads every acknowledged run back through the MLflow API and lists what is missing or duplicated. */
export async function checkTracking(base: string, writers: TrackingWriters): Promise<TrackingCheck> {
  const api = `${base}/api/2.0/mlflow`;
  const out: TrackingCheck = { runs: 0, metricValues: 0, params: 0, missing: [], duplicated: [] };
  const runs = [...writers.runs.entries()];
  // a few at a time: thousands of sequential GETs would be slow, all at once would queue in the server
  for (let i = 0; i < runs.length; i += 8) {
    await Promise.all(
      runs.slice(i, i + 8).map(async ([runId, acked]) => {
        const got = await fetch(`${api}/runs/get?run_id=${runId}`, { signal: AbortSignal.timeout(30_000) });
        if (got.status !== 200) {
          out.missing.push(`run ${runId} (${got.status})`);
          return;
        }
        out.runs++;
        const run = (await got.json()) as { run: { data: { params?: Array<{ key: string; value: string }> } } };
        const params = new Map((run.run.data.params ?? []).map((p) => [p.key, p.value]));
        for (const [key, value] of acked.params) {
          if (params.get(key) === value) out.params++;
          else out.missing.push(`param ${key} of run ${runId}`);
        }
        for (const key of ['loss', 'acc']) {
          const history = (await getJson(`${api}/metrics/get-history?run_id=${runId}&metric_key=${key}&max_results=25000`)) as {
            metrics?: Array<{ step: number | string }>;
          };
          const steps = (history.metrics ?? []).map((m) => Number(m.step));
          const seen = new Set(steps);
          if (seen.size !== steps.length) out.duplicated.push(`${key} of run ${runId}: ${steps.length} values for ${seen.size} steps`);
          for (const step of acked.steps) {
            if (seen.has(step)) out.metricValues++;
            else out.missing.push(`${key} step ${step} of run ${runId}`);
          }
        }
      }),
    );
  }
  return out;
}

/** Waits until predictions have been answered and tracking writes acknowledged in the numbers asked, at least `minMs`. */
export async function runUntil(
  conditions: Array<[what: string, done: () => boolean]>,
  opts: { minMs: number; timeoutMs: number },
): Promise<number> {
  const started = Date.now();
  await eventually(
    async () => (Date.now() - started >= opts.minMs && conditions.every(([, done]) => done()) ? true : undefined),
    opts.timeoutMs,
    conditions.map(([what]) => what).join(' and '),
  );
  return Date.now() - started;
}
