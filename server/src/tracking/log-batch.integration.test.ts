// runs/log-batch and the calls built on it, with MLflow's rules, on every database.
import { describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import { InvalidParameter, NotFound } from '../util/errors.js';
import { createTrackingService, ensureDefaultExperiment } from './tracking.service.js';

describeEachDatabase((td) => {
  describe('tracking: log-batch', () => {
    const db = useTestDatabase(td);
    const setup = async () => {
      await ensureDefaultExperiment(db());
      const t = createTrackingService(db());
      const runId = (await t.createRun({ runName: 'r' })).info.runId;
      const metricsOf = async () => (await t.getRun(runId)).data.metrics;
      const history = async (key: string) => (await t.getMetricHistory({ runId, metricKey: key })).metrics;
      return { t, runId, metricsOf, history };
    };

    it('keeps params immutable: the same value again is fine, a new value is refused and the batch not written', async () => {
      const { t, runId } = await setup();
      await t.logParam(runId, { key: 'lr', value: '0.01' });
      await t.logParam(runId, { key: 'lr', value: '0.01' });
      await expect(t.logParam(runId, { key: 'lr', value: '0.02' })).rejects.toThrow(
        new InvalidParameter(
          `Changing param values is not allowed. Param with key='lr' was already logged with value='0.01' for run ID='${runId}'. ` +
            "Attempted logging new value '0.02'.",
        ),
      );
      await expect(
        t.logBatch({
          runId,
          params: [{ key: 'new', value: '1' }, { key: 'lr', value: '0.03' }],
          metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }],
          tags: [{ key: 't', value: '1' }],
        }),
      ).rejects.toThrow('Changing param values is not allowed');
      const run = await t.getRun(runId);
      expect(run.data.params).toEqual([{ key: 'lr', value: '0.01' }]);
      expect(run.data.metrics).toEqual([]);
      expect(run.data.tags).toEqual([{ key: 'mlflow.runName', value: 'r' }]);
      await expect(t.logBatch({ runId, params: [{ key: 'd', value: '1' }, { key: 'd', value: '1' }] })).rejects.toThrow(
        'Duplicate parameter keys have been submitted',
      );
    });

    it('overwrites tags, appends metrics, and stores the very same point once', async () => {
      const { t, runId, history } = await setup();
      await t.setTag(runId, { key: 'stage', value: 'dev' });
      await t.logBatch({ runId, tags: [{ key: 'stage', value: 'prod' }, { key: 'b', value: '1' }, { key: 'b', value: '2' }] });
      expect((await t.getRun(runId)).data.tags).toEqual([
        { key: 'b', value: '2' },
        { key: 'mlflow.runName', value: 'r' },
        { key: 'stage', value: 'prod' },
      ]);
      const point = { key: 'loss', value: 0.5, timestamp: 10, step: 1 };
      await t.logMetric(runId, point);
      await t.logMetric(runId, point);
      await t.logBatch({ runId, metrics: [point, point, { ...point, value: 0.4 }] });
      expect(await history('loss')).toEqual([
        { key: 'loss', value: 0.4, timestamp: 10, step: 1 },
        { key: 'loss', value: 0.5, timestamp: 10, step: 1 },
      ]);
    });

    it('keeps as latest the largest (step, timestamp, value), whatever the order of logging', async () => {
      const { t, runId, metricsOf } = await setup();
      await t.logMetric(runId, { key: 'acc', value: 0.9, timestamp: 100, step: 5 });
      await t.logMetric(runId, { key: 'acc', value: 0.1, timestamp: 999, step: 4 }); // later in time, smaller step
      expect(await metricsOf()).toEqual([{ key: 'acc', value: 0.9, timestamp: 100, step: 5 }]);
      await t.logMetric(runId, { key: 'acc', value: 0.2, timestamp: 101, step: 5 }); // same step, later
      expect(await metricsOf()).toEqual([{ key: 'acc', value: 0.2, timestamp: 101, step: 5 }]);
      await t.logBatch({
        runId,
        metrics: [
          { key: 'acc', value: 0.3, timestamp: 101, step: 5 }, // same step and time, larger value
          { key: 'acc', value: 0.25, timestamp: 101, step: 5 },
          { key: 'f1', value: 1, timestamp: 1, step: 0 },
        ],
      });
      expect(await metricsOf()).toEqual([
        { key: 'acc', value: 0.3, timestamp: 101, step: 5 },
        { key: 'f1', value: 1, timestamp: 1, step: 0 },
      ]);
    });

    it('stores NaN and clamps ±Infinity to ±DBL_MAX, as MLflow', async () => {
      const { t, runId, history } = await setup();
      await t.logBatch({
        runId,
        metrics: [
          { key: 'x', value: NaN, timestamp: 1, step: 0 },
          { key: 'x', value: Infinity, timestamp: 1, step: 1 },
          { key: 'x', value: -Infinity, timestamp: 1, step: 2 },
        ],
      });
      const points = await history('x');
      expect(points.map((p) => p.value)).toEqual([NaN, Number.MAX_VALUE, -Number.MAX_VALUE]);
      await t.logMetric(runId, { key: 'n', value: NaN, timestamp: 1, step: 0 });
      expect((await t.getRun(runId)).data.metrics.find((m) => m.key === 'n')!.value).toBeNaN();
    });

    it('enforces MLflow batch limits and key rules', async () => {
      const { t, runId } = await setup();
      const metric = (i: number) => ({ key: 'm', value: i, timestamp: 1, step: i });
      await t.logBatch({ runId, metrics: Array.from({ length: 1000 }, (_, i) => metric(i)) });
      await expect(t.logBatch({ runId, metrics: Array.from({ length: 1001 }, (_, i) => metric(i)) })).rejects.toThrow(
        'A batch logging request can contain at most 1000 metrics. Got 1001 metrics.',
      );
      const kv = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: '1' }));
      await expect(t.logBatch({ runId, params: kv(101) })).rejects.toThrow('at most 100 params');
      await expect(t.logBatch({ runId, tags: kv(101) })).rejects.toThrow('at most 100 tags');
      await expect(
        t.logBatch({ runId, metrics: Array.from({ length: 950 }, (_, i) => metric(i)), params: kv(51) }),
      ).rejects.toThrow('at most 1000 metrics, params, and tags in total');
      for (const key of ['a*b', 'a/../b', './a', '/a', '', '..', 'x'.repeat(251)]) {
        await expect(t.logMetric(runId, { key, value: 1, timestamp: 1, step: 0 }), key).rejects.toThrow(InvalidParameter);
      }
      for (const key of ['a b', 'a-b.c/d_e', 'x'.repeat(250), 'é']) await t.logMetric(runId, { key, value: 1, timestamp: 1, step: 0 });
      await expect(t.logParam(runId, { key: 'bad key!', value: '1' })).rejects.toThrow("Invalid parameter name: 'bad key!'");
      await expect(t.setTag(runId, { key: 'bad?', value: '1' })).rejects.toThrow("Invalid tag name: 'bad?'");
      await expect(t.logMetric(runId, { key: 'm', value: 1, timestamp: 1.5, step: 0 })).rejects.toThrow(InvalidParameter);
    });

    it('truncates long param and tag values instead of refusing them', async () => {
      const { t, runId } = await setup();
      await t.logParam(runId, { key: 'long', value: 'p'.repeat(7000) });
      await t.setTag(runId, { key: 'long', value: 't'.repeat(6000) });
      const run = await t.getRun(runId);
      expect(run.data.params.find((p) => p.key === 'long')!.value).toHaveLength(6000);
      expect(run.data.tags.find((p) => p.key === 'long')!.value).toHaveLength(5000);
      // the truncated value is what later logs are compared with
      await t.logParam(runId, { key: 'long', value: 'p'.repeat(6500) });
    });

    it('commits concurrent writers together but fails only the one in error', async () => {
      const { t, runId } = await setup();
      await t.logParam(runId, { key: 'fixed', value: 'a' });
      const other = (await t.createRun({})).info.runId;
      await t.deleteRun(other);
      const results = await Promise.allSettled([
        ...Array.from({ length: 20 }, (_, i) => t.logMetric(runId, { key: 'c', value: i, timestamp: 1, step: i })),
        t.logParam(runId, { key: 'fixed', value: 'b' }),
        t.logMetric(other, { key: 'c', value: 1, timestamp: 1, step: 0 }),
        t.logMetric('f'.repeat(32), { key: 'c', value: 1, timestamp: 1, step: 0 }),
        t.logParam(runId, { key: 'fresh', value: 'ok' }),
      ]);
      const rejected = results.map((r) => (r.status === 'rejected' ? (r.reason as Error) : null));
      expect(rejected.slice(0, 20)).toEqual(Array(20).fill(null));
      expect(rejected[20]).toBeInstanceOf(InvalidParameter);
      expect(rejected[21]?.message).toContain("must be in the 'active' state");
      expect(rejected[22]).toBeInstanceOf(NotFound);
      expect(rejected[23]).toBeNull();
      const history = await t.getMetricHistory({ runId, metricKey: 'c' });
      expect(history.metrics.map((m) => m.step)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect((await t.getRun(runId)).data.params).toEqual([
        { key: 'fixed', value: 'a' },
        { key: 'fresh', value: 'ok' },
      ]);
    });
  });
});
