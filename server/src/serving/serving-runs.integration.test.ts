import { describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import { recordFactory } from '../../test/prediction-records.js';
import { quantile } from '../evaluation/quantiles.js';
import { insertPredictions } from '../monitoring/prediction-log/prediction-log.repository.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import { getFullMetricsHistory } from '../tracking/tracker/metrics-history.js';
import { SERVING_EXPERIMENT } from '../tracking/tracker/run-tags.js';
import { createTrackingService } from '../tracking/tracking.service.js';
import { uuidv7 } from '../util/ids.js';
import { ServingRunStore } from './serving-runs-store.js';
import { ServingRunsScheduler, type ServedVersion } from './serving-runs.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 2, 1, 12, 0); // a window boundary

const make = recordFactory(3);
function rec(at: number, p: Partial<PredictionRecord>): PredictionRecord {
  return make({ id: uuidv7(at), createdAt: at, modelName: 'food-detector', modelVersion: '1', status: 'ok', errorClass: null, ...p });
}

describeEachDatabase((td) => {
  describe('serving runs', () => {
    const db = useTestDatabase(td);
    const scheduler = (served: ServedVersion[] = [{ name: 'food-detector', version: '1' }]) =>
      new ServingRunsScheduler({ tracking: createTrackingService(db()), database: db(), intervalMs: MINUTE, servedVersions: () => served });

    it('aggregates each window per version into metrics of a run per version, step = tick number', async () => {
      const v1 = [
        rec(T0 + 1000, { foodName: 'apple', confidence: 0.9, latencyMs: 100 }),
        rec(T0 + 2000, { foodName: 'apple', confidence: 0.5, latencyMs: 300 }),
        rec(T0 + 3000, { foodName: null, confidence: null, latencyMs: 200 }), // ok, no food
        rec(T0 + 4000, { status: 'error', errorClass: 'inference', foodName: null, confidence: null, latencyMs: 5 }),
      ];
      const v2 = [rec(T0 + 5000, { modelVersion: '2', foodName: 'pizza', confidence: 0.8, latencyMs: 50 })];
      // rejected before a model was chosen: charged to the served version (1)
      const rejected = rec(T0 + 6000, { modelName: null, modelVersion: null, status: 'error', errorClass: 'bad_format', foodName: null, confidence: null, latencyMs: 1 });
      const outside = [rec(T0 - 1, { latencyMs: 9999 }), rec(T0 + 2 * MINUTE, { latencyMs: 9999 })];
      await insertPredictions(db(), [...v1, ...v2, rejected, ...outside]);

      const s = scheduler();
      const tick = await s.tick(T0 + MINUTE);
      expect(tick.skipped).toEqual([]);
      expect(tick.logged.map((l) => [l.model, l.step])).toEqual([['food-detector/1', 0], ['food-detector/2', 0]]);
      const metrics = (model: string) => Object.fromEntries(tick.logged.find((l) => l.model === model)!.metrics.map((m) => [m.key, m.value]));
      expect(metrics('food-detector/1')).toEqual({
        requests: 5,
        error_rate: 2 / 5,
        mean_confidence: expect.closeTo(0.7, 12),
        p95_latency_ms: quantile([100, 300, 200], 0.95),
      });
      expect(metrics('food-detector/2')).toEqual({ requests: 1, error_rate: 0, mean_confidence: 0.8, p95_latency_ms: 50 });
      for (const l of tick.logged) expect(l.metrics.every((m) => m.timestamp === T0 + MINUTE && m.step === 0)).toBe(true);

      // The same window again (a second instance, or a restart inside the window) is skipped.
      expect((await s.tick(T0 + MINUTE)).skipped).toEqual(['food-detector/1', 'food-detector/2']);

      // Next window: nothing logged for v2 (idle and not served) and requests 0 for the served v1.
      const idle = await s.tick(T0 + 2 * MINUTE);
      expect(idle.logged.map((l) => [l.model, l.step, l.metrics])).toEqual([
        ['food-detector/1', 1, [{ key: 'requests', value: 0, step: 1, timestamp: T0 + 2 * MINUTE }]],
      ]);

      const tracking = createTrackingService(db());
      const run = (await new ServingRunStore(tracking).find('food-detector', '1'))!;
      expect(run.info.runName).toBe('food-detector-v1-serving');
      expect(Object.fromEntries(run.data.params.map((p) => [p.key, p.value]))).toEqual({ model_name: 'food-detector', model_version: '1' });
      expect((await getFullMetricsHistory(tracking, run.info.runId, 'requests')).map((m) => [m.step, m.timestamp, m.value])).toEqual([
        [0, T0 + MINUTE, 5],
        [1, T0 + 2 * MINUTE, 0],
      ]);
      const experiment = await tracking.getExperimentByName(SERVING_EXPERIMENT);
      expect(experiment.experimentId).toBe(run.info.experimentId);
    });

    it('reuses the run after a restart and continues its steps', async () => {
      await insertPredictions(db(), [rec(T0 + 10, { latencyMs: 10 }), rec(T0 + 3 * MINUTE + 10, { latencyMs: 20 })]);
      const first = await scheduler().tick(T0 + MINUTE);
      const afterRestart = await scheduler().tick(T0 + 4 * MINUTE); // a new process, two windows later
      expect(afterRestart.logged).toEqual([
        expect.objectContaining({ model: 'food-detector/1', runId: first.logged[0]!.runId, step: 1 }),
      ]);
      const history = await getFullMetricsHistory(createTrackingService(db()), first.logged[0]!.runId, 'p95_latency_ms');
      expect(history.map((m) => [m.step, m.value])).toEqual([[0, 10], [1, 20]]);
    });

    it('two instances ticking together end with one run and one point per window', async () => {
      await insertPredictions(db(), [rec(T0 + 10, { latencyMs: 10, confidence: 0.4, foodName: 'apple' })]);
      const [a, b] = [scheduler(), scheduler()];
      await Promise.all([a.tick(T0 + MINUTE), b.tick(T0 + MINUTE)]);
      await Promise.all([a.tick(T0 + 2 * MINUTE), b.tick(T0 + 2 * MINUTE)]);

      const tracking = createTrackingService(db());
      const experiment = await tracking.getExperimentByName(SERVING_EXPERIMENT);
      const active = await tracking.searchRuns({ experimentIds: [experiment.experimentId] });
      expect(active.runs).toHaveLength(1);
      const history = await getFullMetricsHistory(tracking, active.runs[0]!.info.runId, 'requests');
      // Each window once; identical points from both instances are stored once.
      expect(history.map((m) => [m.timestamp, m.value])).toEqual([
        [T0 + MINUTE, 1],
        [T0 + 2 * MINUTE, 0],
      ]);
    });

    it('concurrent first resolves converge on one canonical run', async () => {
      const tracking = createTrackingService(db());
      const stores = [new ServingRunStore(tracking), new ServingRunStore(tracking), new ServingRunStore(tracking)];
      await stores[0]!.experiment();
      await Promise.all(stores.map((s) => s.resolve('food-detector', '7')));
      const settled = await Promise.all(stores.map((s) => s.resolve('food-detector', '7')));
      expect(new Set(settled.map((r) => r.info.runId)).size).toBe(1);
      const experiment = await tracking.getExperimentByName(SERVING_EXPERIMENT);
      expect((await tracking.searchRuns({ experimentIds: [experiment.experimentId] })).runs).toHaveLength(1);
    });

    it('schedules ticks on window boundaries and stops on close', async () => {
      let now = T0 + 30_000;
      const s = new ServingRunsScheduler({
        tracking: createTrackingService(db()),
        database: db(),
        intervalMs: 1000,
        settleMs: 10,
        servedVersions: () => [{ name: 'food-detector', version: '1' }],
        now: () => now,
      });
      expect(s.windowEndAt(T0 + 1999)).toBe(T0 + 1000);
      s.start();
      now += 1000; // the clock the scheduler reads moves on; real time passes about a second below
      await new Promise((r) => setTimeout(r, 1200));
      await s.close();
      const run = await new ServingRunStore(createTrackingService(db())).find('food-detector', '1');
      expect(run?.data.metrics.find((m) => m.key === 'requests')).toMatchObject({ value: 0, step: 0 });
    });
  });
});
