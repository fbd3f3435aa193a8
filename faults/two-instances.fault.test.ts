// Two FoodLens processes on one PostgreSQL database, started at the same moment on an empty database, then written
// to through both at once: migrations run once, nothing is stored twice or lost, the rollups the monitoring API
// answers from equal the raw rows, and one instance evaluates alerts.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServerProcess } from '../e2e/server-process.js';
import { migrations } from '../server/src/db/migrations/index.js';
import {
  alertList,
  checkTracking,
  createExperiment,
  errorLines,
  eventually,
  health,
  predictionMonitoring,
  PredictionStream,
  report,
  runUntil,
  startFoodLens,
  TrackingWriters,
} from './fault-harness.js';
import { describeWithPostgres, startCluster, type PgCluster } from './pg-cluster.js';

const DB = 'shared';

describeWithPostgres('two instances on one PostgreSQL', () => {
  let dir = '';
  let cluster: PgCluster | null = null;
  let a: ServerProcess | null = null;
  let b: ServerProcess | null = null;
  const sql = <T extends object>(text: string, values: unknown[] = []) => cluster!.query<T>(DB, text, values);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-faults-two-'));
    cluster = await startCluster();
    await cluster.createDatabase(DB);
    // the same store and artifact folder, as two instances behind a load balancer would have
    const env = { MLFLOW_TRACKING_URI: cluster.url(DB), MLFLOW_ARTIFACT_LOCATION: path.join(dir, 'artifacts') };
    const started = Date.now();
    [a, b] = await Promise.all([startFoodLens(path.join(dir, 'a'), env), startFoodLens(path.join(dir, 'b'), env)]);
    report(`two instances started together on an empty database, both healthy in ${Date.now() - started} ms`);
  });
  afterAll(async () => {
    await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
    await cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ran the migrations once and created the start-up rows once', async () => {
    for (const s of [a!, b!]) {
      expect((await health(s.url)).status).toBe('ok');
      expect(errorLines(s)).toEqual([]);
    }
    const applied = await sql<{ name: string; n: number }>('SELECT name, count(*)::int AS n FROM kysely_migration GROUP BY name ORDER BY name');
    expect(applied).toEqual(Object.keys(migrations).sort().map((name) => ({ name, n: 1 })));
    // what every start inserts if absent: the Default experiment, the built-in model versions, the first deployment
    expect(await sql('SELECT experiment_id FROM experiments')).toEqual([{ experiment_id: 0 }]);
    expect(await sql("SELECT version FROM model_versions WHERE name = 'food-detector' ORDER BY version")).toEqual([{ version: 1 }, { version: 2 }]);
    expect(await sql('SELECT model_name, revision FROM deployment_revisions')).toEqual([{ model_name: 'food-detector', revision: 1 }]);
    expect(await sql('SELECT name FROM alert_rules GROUP BY name HAVING count(*) > 1')).toEqual([]);
  });

  it('stores each answered prediction once and every acknowledged tracking write, with rollups equal to the raw rows', async () => {
    const urls = [a!.url, b!.url];
    const experiment = await createExperiment(a!.url, 'two-instances');
    // consecutive requests of one client go to alternate instances: one run is written through both
    const writers = new TrackingWriters(urls, 4, experiment).start();
    const predictions = new PredictionStream(urls, 4).start();
    const ranMs = await runUntil(
      [
        ['400 acknowledged tracking writes', () => writers.acknowledged >= 400],
        ['40 answered predictions', () => predictions.answered.length >= 40],
      ],
      { minMs: 5000, timeoutMs: 120_000 },
    );
    await Promise.all([writers.stop(), predictions.stop()]);
    expect(writers.refused).toEqual([]);
    expect(predictions.refused).toEqual([]);
    expect(writers.unanswered + predictions.unanswered).toBe(0);
    const perInstance = urls.map((u) => predictions.answered.filter((p) => p.target === u).length);
    report(
      `two instances, ${ranMs} ms of load: ${predictions.answered.length} predictions (${perInstance.join(' + ')}), ` +
        `${writers.acknowledged} tracking writes (${writers.runs.size} runs, ${writers.metricValues} metric values)`,
    );
    expect(Math.min(...perInstance)).toBeGreaterThan(0);

    for (const url of urls) {
      await eventually(async () => ((await health(url)).prediction_log.queued === 0 ? true : undefined), 10_000, 'the logs to be written');
    }
    // every answered prediction exactly once, and nothing else
    const rows = await sql<{ id: string; n: number }>('SELECT id, count(*)::int AS n FROM predictions GROUP BY id');
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(rows.map((r) => r.id).sort()).toEqual(predictions.answered.map((p) => p.id).sort());

    // each run complete, read through either instance
    for (const url of urls) {
      const tracking = await checkTracking(url, writers);
      expect(tracking.missing).toEqual([]);
      expect(tracking.duplicated).toEqual([]);
      expect(tracking.metricValues).toBe(writers.metricValues);
    }

    // the rollups both instances folded their batches into answer exactly what the raw rows say
    const [raw] = await sql<{ requests: number; errors: number }>(
      "SELECT count(*)::int AS requests, count(*) FILTER (WHERE status = 'error')::int AS errors FROM predictions",
    );
    const rawFoods = await sql<{ food: string | null; n: number }>("SELECT food_name AS food, count(*)::int AS n FROM predictions WHERE status = 'ok' GROUP BY food_name");
    const rawUsers = await sql<{ user_id: string; n: number }>('SELECT user_id, count(*)::int AS n FROM predictions WHERE user_id IS NOT NULL GROUP BY user_id');
    for (const url of urls) {
      const m = await predictionMonitoring(url);
      expect(m.totals.requests).toBe(raw!.requests);
      expect(m.totals.errors).toBe(raw!.errors);
      expect(Object.fromEntries(m.by_food.map((f) => [String(f.food), f.count]))).toEqual(Object.fromEntries(rawFoods.map((f) => [String(f.food), f.n])));
      expect(Object.fromEntries(m.users.top.map((u) => [u.user_id, u.count]))).toEqual(Object.fromEntries(rawUsers.map((u) => [u.user_id, u.n])));
      expect(m.users.top.every((u) => u.max_overcount === 0)).toBe(true);
    }
    report(`rollups: ${raw!.requests} requests, ${rawFoods.length} foods, ${rawUsers.length} users, equal to the raw rows through both instances`);
  });

  it('follows a champion moved through MLflow on the other instance', async () => {
    const res = await fetch(`${a!.url}/api/2.0/mlflow/registered-models/alias`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'food-detector', alias: 'champion', version: '2' }),
    });
    expect(res.status).toBe(200);
    const movedAt = Date.now();
    // A hears it from its own registry events, B from polling the store (every 3 s); each loads v2 before switching.
    for (const s of [a!, b!]) {
      await eventually(async () => ((await health(s.url)).model.version === '2' ? true : undefined), 60_000, 'version 2 to be served');
    }
    report(`both instances serve the new champion ${Date.now() - movedAt} ms after the alias moved`);
    const served = new PredictionStream([b!.url], 1).start();
    await runUntil([['a prediction', () => served.answered.length >= 1]], { minMs: 0, timeoutMs: 60_000 });
    await served.stop();
    const version = await eventually(
      async () => (await sql<{ model_version: string }>('SELECT model_version FROM predictions WHERE id = $1', [served.answered[0]!.id]))[0]?.model_version,
      10_000,
      'the prediction to be logged',
    );
    expect(version).toBe('2');
  });

  it('has one alert evaluator, and the other takes over when it stops', async () => {
    const [sa, sb] = await Promise.all([alertList(a!.url), alertList(b!.url)]);
    const ids = [sa.evaluator.this_instance, sb.evaluator.this_instance];
    expect(ids[0]).not.toBe(ids[1]);
    expect(sa.evaluator.holder).toBe(sb.evaluator.holder);
    expect(ids).toContain(sa.evaluator.holder);
    expect([sa.evaluator.is_evaluator, sb.evaluator.is_evaluator].filter(Boolean)).toHaveLength(1);
    const [evaluator, other] = sa.evaluator.is_evaluator ? [a!, b!] : [b!, a!];
    const [evaluatorStatus, otherStatus] = sa.evaluator.is_evaluator ? [sa, sb] : [sb, sa];
    expect(evaluatorStatus.evaluator.evaluations).toBeGreaterThanOrEqual(1);
    expect(otherStatus.evaluator.evaluations).toBe(0);

    // a stopped evaluator releases the lease; the survivor takes it at its next delivery poll (every second)
    expect(await evaluator.stop('SIGTERM')).toBe(0);
    const stoppedAt = Date.now();
    await eventually(async () => ((await alertList(other.url)).evaluator.is_evaluator ? true : undefined), 10_000, 'the other instance to take the lease');
    report(`alert lease passed to the other instance ${Date.now() - stoppedAt} ms after the evaluator stopped`);
  });
});
