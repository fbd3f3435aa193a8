// PostgreSQL stopped (pg_ctl stop -m fast) for 30 s under prediction load, then started again. Two servers on the
// same cluster, each on its own database, live through the same outage: one with the default log queue (nothing may
// be lost), one with a 10-record queue (records beyond it are dropped, and every drop must be counted and shown).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServerProcess } from '../e2e/server-process.js';
import {
  createExperiment,
  errorLines,
  eventually,
  health,
  metricValue,
  postJson,
  monitoringHealth,
  PredictionStream,
  report,
  runUntil,
  startFoodLens,
  storedPredictionIds,
} from './fault-harness.js';
import { describeWithPostgres, startCluster, type PgCluster } from './pg-cluster.js';

const OUTAGE_MS = 30_000;
const SMALL_QUEUE = 10;

describeWithPostgres('PostgreSQL stopped for 30 s under prediction load', () => {
  let dir = '';
  let cluster: PgCluster | null = null;
  let roomy: ServerProcess | null = null;
  let small: ServerProcess | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-faults-outage-'));
    cluster = await startCluster();
    await cluster.createDatabase('roomy');
    await cluster.createDatabase('small');
    [roomy, small] = await Promise.all([
      startFoodLens(path.join(dir, 'roomy'), { MLFLOW_TRACKING_URI: cluster.url('roomy') }),
      startFoodLens(path.join(dir, 'small'), { MLFLOW_TRACKING_URI: cluster.url('small'), FOODLENS_LOG_QUEUE_SIZE: String(SMALL_QUEUE) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([roomy?.stop('SIGKILL'), small?.stop('SIGKILL')]);
    await cluster?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('predictions keep answering; the log drains when the database is back; whatever is missing was counted as dropped', async () => {
    const servers = { roomy: roomy!, small: small! };
    const streams = {
      roomy: new PredictionStream([servers.roomy.url], 2).start(),
      small: new PredictionStream([servers.small.url], 2).start(),
    };
    await runUntil(
      [
        ['5 predictions on each server', () => streams.roomy.answered.length >= 5 && streams.small.answered.length >= 5],
      ],
      { minMs: 1000, timeoutMs: 60_000 },
    );
    const before = { roomy: streams.roomy.answered.length, small: streams.small.answered.length };
    const api = `${servers.roomy.url}/api/2.0/mlflow`;
    const experiment = await createExperiment(servers.roomy.url, 'outage');
    const created = await postJson(`${api}/runs/create`, { experiment_id: experiment, start_time: Date.now() });
    const runId = ((await created.json()) as { run: { info: { run_id: string } } }).run.info.run_id;
    const write = { run_id: runId, metrics: [{ key: 'loss', value: 0.5, timestamp: Date.now(), step: 7 }], params: [{ key: 'lr', value: '0.1' }] };

    await cluster!.stop();
    const stoppedAt = Date.now();
    // A tracking write the store cannot take is never acknowledged: it answers a 5xx, which MLflow clients retry.
    const refused = await postJson(`${api}/runs/log-batch`, write);
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(await refused.json()).toMatchObject({ error_code: expect.any(String) });
    // While it is down: /health says so, and the roomy server's queue holds what it cannot write.
    let maxQueued = 0;
    let sawDatabaseDown = false;
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      const [hr, hs] = await Promise.all([health(servers.roomy.url), health(servers.small.url)]);
      sawDatabaseDown ||= !hr.database.ok && !hs.database.ok;
      maxQueued = Math.max(maxQueued, hr.prediction_log.queued);
      await sleep(1000);
    }
    const during = { roomy: streams.roomy.answered.length - before.roomy, small: streams.small.answered.length - before.small };
    const duringHealth = await health(servers.small.url);
    await cluster!.start();
    const startedAt = Date.now();
    report(
      `outage of ${startedAt - stoppedAt} ms: ${during.roomy} + ${during.small} predictions answered during it; ` +
        `roomy queue peaked at ${maxQueued}; small queue dropped ${duringHealth.prediction_log.dropped} so far`,
    );
    expect(sawDatabaseDown).toBe(true);
    expect(during.roomy).toBeGreaterThanOrEqual(10);
    expect(during.small).toBeGreaterThan(SMALL_QUEUE);
    expect(maxQueued).toBeGreaterThanOrEqual(10);

    // the client's retry succeeds once the database is back, and is stored once
    const retried = await eventually(
      async () => {
        const res = await postJson(`${api}/runs/log-batch`, write);
        return res.status === 200 ? res.status : undefined;
      },
      20_000,
      'the tracking write to succeed after the outage',
    );
    expect(retried).toBe(200);
    const history = (await (await fetch(`${api}/metrics/get-history?run_id=${runId}&metric_key=loss`)).json()) as { metrics: unknown[] };
    expect(history.metrics).toHaveLength(1);

    // a little load after the return, then let the queues drain
    await sleep(2000);
    await Promise.all([streams.roomy.stop(), streams.small.stop()]);
    expect(streams.roomy.refused).toEqual([]);
    expect(streams.small.refused).toEqual([]);
    expect(streams.roomy.unanswered + streams.small.unanswered).toBe(0);

    for (const [name, server] of Object.entries(servers)) {
      const drained = await eventually(
        async () => {
          const h = await health(server.url);
          return h.database.ok && h.prediction_log.queued === 0 ? h : undefined;
        },
        30_000,
        `${name}'s prediction log to drain`,
      );
      const stream = streams[name as keyof typeof streams];
      const stored = new Set(await storedPredictionIds(server.url));
      const missing = stream.answered.filter((p) => !stored.has(p.id));
      const dropped = drained.prediction_log.dropped;
      report(
        `${name}: drained ${Date.now() - startedAt} ms after PostgreSQL returned; ${stream.answered.length} answered, ` +
          `${missing.length} missing, ${dropped} counted as dropped, ${drained.prediction_log.failed_flushes} failed flushes`,
      );
      expect(drained.prediction_log.failed_flushes).toBeGreaterThan(0);
      // what is missing is exactly what was counted, in /health, the monitoring health and /metrics
      expect(missing.length).toBe(dropped);
      expect((await monitoringHealth(server.url)).prediction_log.dropped).toBe(dropped);
      expect(await metricValue(server.url, 'foodrec_prediction_log_dropped_records_total')).toBe(dropped);
      // ...and in the store, where the log_drops alert signal reads it (recorded every 5 s, retried after the outage)
      const database = name;
      await eventually(
        async () => {
          const [row] = await cluster!.query<{ dropped: string | null }>(database, 'SELECT sum(dropped) AS dropped FROM prediction_log_drops');
          return Number(row?.dropped ?? 0) === dropped ? true : undefined;
        },
        20_000,
        `${name}'s drops to reach prediction_log_drops`,
      );
      expect(errorLines(server).filter((l) => /"level":60/.test(l))).toEqual([]);
    }
    expect((await health(servers.roomy.url)).prediction_log.dropped).toBe(0);
    expect((await health(servers.small.url)).prediction_log.dropped).toBeGreaterThan(0);
  });
});
