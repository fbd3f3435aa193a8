// kill -9 and SIGTERM of a server under tracking writes and predictions, then a restart on the same store as
// `npm start` does it (node server/dist/main.js serve, no manual step). Declared once per store by the *.fault.test.ts
// files beside it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../e2e/server-process.js';
import {
  alertList,
  checkTracking,
  createExperiment,
  DEFAULT_FLUSH_MS,
  errorLines,
  eventually,
  health,
  predictionMonitoring,
  PredictionStream,
  report,
  runUntil,
  startFoodLens,
  storedPredictionIds,
  TrackingWriters,
} from './fault-harness.js';

/**
 * After kill -9, a missing prediction must have been answered within the flush interval plus this margin before the
 * kill: a record queued while a batch is being written waits for that write, then a whole interval; on a loaded
 * two-core machine timers and the write itself run late by tens of milliseconds.
 */
export const KILL_MARGIN_MS = 300;

export interface FaultStore {
  /** environment naming the store (MLFLOW_TRACKING_URI); empty for the default SQLite file in the server's folder */
  env: Record<string, string>;
  close(): Promise<void>;
}

export function killRestartSuite(storeName: string, openStore: () => Promise<FaultStore>): void {
  describe(`kill -9 and SIGTERM under load, ${storeName}`, () => {
    let dir = '';
    let store: FaultStore | null = null;
    let server: ServerProcess | null = null;
    const restart = async () => {
      const started = Date.now();
      server = await startFoodLens(dir, store!.env);
      report(`${storeName}: restarted and healthy in ${Date.now() - started} ms`);
      return server;
    };

    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), `foodlens-faults-${storeName}-`));
      store = await openStore();
      server = await startFoodLens(dir, store.env);
    });
    afterAll(async () => {
      await server?.stop('SIGKILL');
      await store?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('kill -9 loses no acknowledged tracking write and at most the last flush interval of the prediction log; a plain restart recovers', async () => {
      const s1 = server!;
      const experiment = await createExperiment(s1.url, 'kill-9');
      const writers = new TrackingWriters([s1.url], 6, experiment).start();
      const predictions = new PredictionStream([s1.url], 2).start();
      const ranMs = await runUntil(
        [
          ['300 acknowledged tracking writes', () => writers.acknowledged >= 300],
          ['20 answered predictions', () => predictions.answered.length >= 20],
        ],
        { minMs: 3000, timeoutMs: 120_000 },
      );
      const refusedBeforeKill = [...writers.refused, ...predictions.refused];
      const killedAt = Date.now();
      await s1.stop('SIGKILL');
      await Promise.all([writers.stop(), predictions.stop()]);
      expect(refusedBeforeKill).toEqual([]);
      report(
        `${storeName}: SIGKILL after ${ranMs} ms of load: ${writers.acknowledged} tracking writes acknowledged (${writers.runs.size} runs, ` +
          `${writers.metricValues} metric values), ${writers.unanswered} in flight; ${predictions.answered.length} predictions answered, ` +
          `${predictions.unanswered} in flight`,
      );

      const s2 = await restart();
      const h = await health(s2.url);
      expect(h.database.ok).toBe(true);
      expect(h.status).toBe('ok');

      const tracking = await checkTracking(s2.url, writers);
      report(`${storeName}: after restart: ${tracking.runs} runs, ${tracking.metricValues} metric values, ${tracking.params} params of the acknowledged ones found`);
      expect(tracking.missing).toEqual([]);
      expect(tracking.duplicated).toEqual([]);
      expect(tracking.runs).toBe(writers.runs.size);
      expect(tracking.metricValues).toBe(writers.metricValues);

      const stored = new Set(await storedPredictionIds(s2.url));
      const lost = predictions.answered.filter((p) => !stored.has(p.id));
      const ages = lost.map((p) => killedAt - p.at).sort((a, b) => a - b);
      report(
        `${storeName}: prediction log after kill -9: ${lost.length} of ${predictions.answered.length} answered predictions lost, ` +
          `answered ${ages.length ? `${ages[0]}..${ages.at(-1)}` : '-'} ms before the kill (bound ${DEFAULT_FLUSH_MS} + ${KILL_MARGIN_MS} ms)`,
      );
      expect(ages.filter((age) => age > DEFAULT_FLUSH_MS + KILL_MARGIN_MS)).toEqual([]);
      // raw rows and their rollups are written in one transaction: a crash leaves them agreeing
      expect((await predictionMonitoring(s2.url)).totals.requests).toBe(stored.size);

      // the restarted server takes writes again
      const again = new PredictionStream([s2.url], 1).start();
      await runUntil([['a prediction after the restart', () => again.answered.length >= 1]], { minMs: 0, timeoutMs: 60_000 });
      await again.stop();
      expect(again.refused).toEqual([]);
      expect(errorLines(s2)).toEqual([]);
    });

    it('SIGTERM loses nothing answered; the restarted instance takes the alert evaluator lease over', async () => {
      const s2 = server!;
      const experiment = await createExperiment(s2.url, 'sigterm');
      const writers = new TrackingWriters([s2.url], 6, experiment).start();
      const predictions = new PredictionStream([s2.url], 2).start();
      const ranMs = await runUntil(
        [
          ['300 acknowledged tracking writes', () => writers.acknowledged >= 300],
          ['20 answered predictions', () => predictions.answered.length >= 20],
        ],
        { minMs: 3000, timeoutMs: 120_000 },
      );
      // The killed instance's lease expires (30 s) and this one, restarted without any manual step, takes it.
      const evaluator = await eventually(
        async () => ((await alertList(s2.url)).evaluator.is_evaluator ? true : undefined),
        60_000,
        'the restarted instance to become the alert evaluator',
      );
      expect(evaluator).toBe(true);
      const refusedBeforeSignal = [...writers.refused, ...predictions.refused];
      const code = await s2.stop('SIGTERM');
      await Promise.all([writers.stop(), predictions.stop()]);
      expect(refusedBeforeSignal).toEqual([]);
      expect(code).toBe(0);
      expect(errorLines(s2)).toEqual([]);
      report(
        `${storeName}: SIGTERM after ${ranMs} ms of load: ${writers.acknowledged} tracking writes and ${predictions.answered.length} predictions answered`,
      );

      const s3 = await restart();
      const tracking = await checkTracking(s3.url, writers);
      expect(tracking.missing).toEqual([]);
      expect(tracking.duplicated).toEqual([]);
      const stored = new Set(await storedPredictionIds(s3.url));
      const lost = predictions.answered.filter((p) => !stored.has(p.id));
      report(`${storeName}: after SIGTERM and restart: ${lost.length} of ${predictions.answered.length} answered predictions missing`);
      expect(lost).toEqual([]);
      expect((await predictionMonitoring(s3.url)).totals.requests).toBe(stored.size);
      // a stopped instance gives the lease up at once
      await eventually(async () => ((await alertList(s3.url)).evaluator.is_evaluator ? true : undefined), 10_000, 'the lease to pass on at once');
    });
  });
}
