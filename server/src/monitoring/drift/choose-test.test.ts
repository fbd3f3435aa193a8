import { describe, expect, it } from 'vitest';
import { chooseTest, isDrift, testSpec } from './choose-test.js';
import { datasetDrift } from './dataset-drift.js';

describe("chooseTest follows Evidently's default table", () => {
  it.each([
    [1000, 'numerical', 6, 'ks', 0.05],
    [1000, 'numerical', 5, 'chisquare', 0.05],
    [1000, 'numerical', 3, 'chisquare', 0.05],
    [1000, 'numerical', 2, 'z', 0.05],
    [10, 'categorical', 2, 'z', 0.05],
    [10, 'categorical', 3, 'chisquare', 0.05],
    [1001, 'numerical', 6, 'wasserstein', 0.1],
    [1001, 'numerical', 5, 'jensenshannon', 0.1],
    [1001, 'categorical', 50, 'jensenshannon', 0.1],
  ] as const)('ref %d rows, %s, %d unique -> %s', (referenceRows, type, nUnique, test, threshold) => {
    expect(chooseTest({ referenceRows, type, nUnique })).toMatchObject({ test, threshold });
  });

  it('KS drifts at p ≤ threshold, other p-value tests at p < threshold, distances at ≥', () => {
    expect(isDrift(testSpec('ks'), 0.05)).toBe(true);
    expect(isDrift(testSpec('chisquare'), 0.05)).toBe(false);
    expect(isDrift(testSpec('z'), 0.049)).toBe(true);
    expect(isDrift(testSpec('wasserstein'), 0.1)).toBe(true);
    expect(isDrift(testSpec('jensenshannon', 0.2), 0.15)).toBe(false);
  });
});

describe('datasetDrift', () => {
  const f = (name: string, drifted: boolean, status: 'ok' | 'not_enough_data' = 'ok') => ({ name, drifted, status });

  it('drifts when at least drift_share of the evaluated features drift', () => {
    expect(datasetDrift([f('a', true), f('b', false)]).datasetDrift).toBe(true);
    expect(datasetDrift([f('a', true), f('b', false), f('c', false)]).datasetDrift).toBe(false);
    expect(datasetDrift([f('a', true), f('b', false), f('c', false)], 0.3).datasetDrift).toBe(true);
  });

  it('leaves features without data out of the share and lists them', () => {
    const r = datasetDrift([f('a', true), f('b', false, 'not_enough_data')]);
    expect(r).toMatchObject({ evaluated: 1, drifted: 1, share: 1, datasetDrift: true, notEnoughData: ['b'] });
    expect(datasetDrift([]).datasetDrift).toBe(false);
  });
});
