import { describe, expect, it } from 'vitest';
import type { Run } from '../types.js';
import { compareRuns } from './compare-runs.js';
import { metricDirection } from './metric-direction.js';

function run(id: string, params: Record<string, string>, metrics: Record<string, number>, tags: Record<string, string> = {}): Run {
  return {
    info: {
      runId: id,
      experimentId: '1',
      runName: `run-${id}`,
      userId: null,
      status: 'FINISHED',
      startTime: 1000,
      endTime: 2000,
      artifactUri: `mlflow-artifacts:/1/${id}/artifacts`,
      lifecycleStage: 'active',
    },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: 1 })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
    inputs: { datasetInputs: [] },
  };
}

describe('compareRuns', () => {
  it('aligns params and metrics by key, null where a run lacks one, keys sorted', () => {
    const c = compareRuns([
      run('a', { model_version: '1', dataset_digest: 'abc' }, { accuracy: 0.8, latency_p95_ms: 120 }),
      run('b', { model_version: '2', dataset_digest: 'abc', extra: 'x' }, { accuracy: 0.6, latency_p95_ms: 40, recall_none: 0 }),
    ]);
    expect(c.params).toEqual([
      { key: 'dataset_digest', values: ['abc', 'abc'], differs: false },
      { key: 'extra', values: [null, 'x'], differs: true },
      { key: 'model_version', values: ['1', '2'], differs: true },
    ]);
    expect(c.metrics).toEqual([
      { key: 'accuracy', values: [0.8, 0.6], direction: 'higher_is_better', bestRunId: 'a' },
      { key: 'latency_p95_ms', values: [120, 40], direction: 'lower_is_better', bestRunId: 'b' },
      // only one run has it: nothing to compare
      { key: 'recall_none', values: [null, 0], direction: 'higher_is_better', bestRunId: null },
    ]);
  });

  it.each([
    { name: 'a tie names nobody', values: [0.5, 0.5, 0.1], best: null },
    { name: 'NaN is never best', values: [Number.NaN, 0.2, 0.3], best: 'r2' },
    { name: 'NaN leaves too few values', values: [Number.NaN, 0.2], best: null },
    { name: 'negative values compare normally', values: [-3, -1, -2], best: 'r1' },
  ])('$name', ({ values, best }) => {
    const c = compareRuns(values.map((v, i) => run(`r${i}`, {}, { score: v })));
    expect(c.metrics[0]!.bestRunId).toBe(best);
  });

  it('takes extra lower-is-better keys and reports which model each run is about', () => {
    const runs = [
      run('a', {}, { drift: 0.3 }, { 'foodlens.model_name': 'food-detector', 'foodlens.model_version': '1' }),
      run('b', {}, { drift: 0.1 }),
    ];
    expect(compareRuns(runs).metrics[0]!.bestRunId).toBe('a');
    expect(compareRuns(runs, { lowerIsBetter: new Set(['drift']) }).metrics[0]).toMatchObject({
      direction: 'lower_is_better',
      bestRunId: 'b',
    });
    expect(compareRuns(runs).runs.map((r) => r.model)).toEqual(['food-detector/1', null]);
  });
});

describe('metricDirection', () => {
  it.each([
    ['accuracy', 'higher_is_better'],
    ['precision_macro', 'higher_is_better'],
    ['recall_hot_dog', 'higher_is_better'],
    ['mean_confidence', 'higher_is_better'],
    ['requests', 'higher_is_better'],
    ['val_loss', 'lower_is_better'],
    ['error_rate', 'lower_is_better'],
    ['p95_latency_ms', 'lower_is_better'],
    ['latency_p50_ms', 'lower_is_better'],
    ['train/rmse', 'lower_is_better'],
    ['images_failed', 'lower_is_better'],
    ['epoch_time_s', 'lower_is_better'],
    ['uptime', 'higher_is_better'],
  ])('%s is %s', (key, direction) => {
    expect(metricDirection(key)).toBe(direction);
  });
});
