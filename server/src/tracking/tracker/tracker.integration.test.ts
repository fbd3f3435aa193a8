import { describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../../test/databases.js';
import { createTrackingService, ensureDefaultExperiment } from '../tracking.service.js';
import type { TrackingService } from '../types.js';
import {
  compareModels,
  countExperimentsAndRuns,
  ensureExperiment,
  getExperimentRuns,
  getFullMetricsHistory,
  getMetricsHistory,
  logModelMetrics,
  logParameters,
} from './index.js';

describeEachDatabase((td) => {
  describe('tracker services', () => {
    const db = useTestDatabase(td);
    const tracking = (): TrackingService => createTrackingService(db());

    it('log_parameters stringifies values and skips nulls; log_model_metrics batches past MLflow limits', async () => {
      const t = tracking();
      const exp = await ensureExperiment(t, 'tracker-test');
      const run = await t.createRun({ experimentId: exp.experimentId });
      const params = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, i]));
      const logged = await logParameters(t, run.info.runId, { ...params, flag: true, obj: { a: [1, 'b'] }, none: null, undef: undefined });
      expect(logged).toHaveLength(152);
      const metrics = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`m${i}`, i / 10]));
      await logModelMetrics(t, run.info.runId, metrics, { step: 4, timestamp: 1234 });

      const got = await t.getRun(run.info.runId);
      const p = Object.fromEntries(got.data.params.map((x) => [x.key, x.value]));
      expect(p).toMatchObject({ p0: '0', p149: '149', flag: 'true', obj: '{"a":[1,"b"]}' });
      expect(p).not.toHaveProperty('none');
      expect(got.data.metrics).toHaveLength(1200);
      expect(got.data.metrics.find((m) => m.key === 'm1199')).toEqual({ key: 'm1199', value: 119.9, step: 4, timestamp: 1234 });
    });

    it('get_experiment_runs by id, by name or across experiments, paged with page tokens', async () => {
      const t = tracking();
      await ensureDefaultExperiment(db());
      const a = await ensureExperiment(t, 'exp-a');
      const b = await ensureExperiment(t, 'exp-b');
      for (let i = 0; i < 5; i++) await t.createRun({ experimentId: a.experimentId, runName: `a${i}`, startTime: 1000 + i });
      await t.createRun({ experimentId: b.experimentId, runName: 'b0', startTime: 5000 });

      const byName = await getExperimentRuns(t, { experimentName: 'exp-a', maxResults: 2 });
      expect(byName.runs.map((r) => r.info.runName)).toEqual(['a4', 'a3']);
      const next = await getExperimentRuns(t, { experimentName: 'exp-a', maxResults: 2, pageToken: byName.nextPageToken });
      expect(next.runs.map((r) => r.info.runName)).toEqual(['a2', 'a1']);

      const all = await getExperimentRuns(t, {});
      expect(all.runs.map((r) => r.info.runName)).toEqual(['b0', 'a4', 'a3', 'a2', 'a1', 'a0']);
      const filtered = await getExperimentRuns(t, { experimentIds: [a.experimentId, b.experimentId], filter: "attributes.run_name LIKE 'a%'" });
      expect(filtered.runs).toHaveLength(5);

      await expect(getExperimentRuns(t, { experimentName: 'nope' })).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      await expect(getExperimentRuns(t, { experimentIds: [a.experimentId], filter: 'metrics.x >>> 1' })).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
      });
    });

    it('get_metrics_history pages through a series in step order', async () => {
      const t = tracking();
      const run = await t.createRun({ experimentId: (await ensureExperiment(t, 'hist')).experimentId });
      for (let step = 9; step >= 0; step--) await t.logMetric(run.info.runId, { key: 'loss', value: 1 / (step + 1), step, timestamp: 100 + step });
      const first = await getMetricsHistory(t, { runId: run.info.runId, metricKey: 'loss', maxResults: 4 });
      expect(first.metrics.map((m) => m.step)).toEqual([0, 1, 2, 3]);
      expect(first.nextPageToken).not.toBeNull();
      const all = await getFullMetricsHistory(t, run.info.runId, 'loss');
      expect(all.map((m) => m.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect((await getMetricsHistory(t, { runId: run.info.runId, metricKey: 'absent' })).metrics).toEqual([]);
    });

    it('compare_models lines runs up and names the best per metric', async () => {
      const t = tracking();
      const exp = await ensureExperiment(t, 'cmp');
      const r1 = await t.createRun({ experimentId: exp.experimentId, tags: [{ key: 'foodlens.model_name', value: 'food-detector' }, { key: 'foodlens.model_version', value: '1' }] });
      const r2 = await t.createRun({ experimentId: exp.experimentId });
      await logParameters(t, r1.info.runId, { model_version: 1, dataset_digest: 'abcd1234' });
      await logParameters(t, r2.info.runId, { model_version: 2, dataset_digest: 'abcd1234' });
      await logModelMetrics(t, r1.info.runId, { accuracy: 9 / 11, latency_p95_ms: 300 });
      await logModelMetrics(t, r2.info.runId, { accuracy: 5 / 11, latency_p95_ms: 80 });
      const c = await compareModels(t, [r1.info.runId, r2.info.runId]);
      expect(c.runs.map((r) => [r.runId, r.model])).toEqual([[r1.info.runId, 'food-detector/1'], [r2.info.runId, null]]);
      expect(c.params).toEqual([
        { key: 'dataset_digest', values: ['abcd1234', 'abcd1234'], differs: false },
        { key: 'model_version', values: ['1', '2'], differs: true },
      ]);
      expect(c.metrics).toEqual([
        { key: 'accuracy', values: [9 / 11, 5 / 11], direction: 'higher_is_better', bestRunId: r1.info.runId },
        { key: 'latency_p95_ms', values: [300, 80], direction: 'lower_is_better', bestRunId: r2.info.runId },
      ]);
      await expect(compareModels(t, [r1.info.runId, r1.info.runId])).rejects.toThrow(/at least two different runs/);
      await expect(compareModels(t, [r1.info.runId, 'f'.repeat(32)])).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    });

    it('counts active experiments and their active runs', async () => {
      const t = tracking();
      await ensureDefaultExperiment(db());
      expect(await countExperimentsAndRuns(db())).toEqual({ experiments: 1, runs: 0 });
      const a = await ensureExperiment(t, 'count-a');
      const b = await ensureExperiment(t, 'count-b');
      const ra = await t.createRun({ experimentId: a.experimentId });
      await t.createRun({ experimentId: a.experimentId });
      await t.createRun({ experimentId: b.experimentId });
      expect(await countExperimentsAndRuns(db())).toEqual({ experiments: 3, runs: 3 });
      await t.deleteRun(ra.info.runId);
      await t.deleteExperiment(b.experimentId);
      expect(await countExperimentsAndRuns(db())).toEqual({ experiments: 2, runs: 1 });
    });

    it('ensureExperiment is idempotent under concurrent calls and restores a deleted experiment', async () => {
      const t = tracking();
      const results = await Promise.all([1, 2, 3, 4].map(() => ensureExperiment(t, 'race')));
      expect(new Set(results.map((e) => e.experimentId)).size).toBe(1);
      await t.deleteExperiment(results[0]!.experimentId);
      const restored = await ensureExperiment(t, 'race');
      expect(restored).toMatchObject({ experimentId: results[0]!.experimentId, lifecycleStage: 'active' });
    });
  });
});
