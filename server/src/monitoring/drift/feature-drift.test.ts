import { describe, expect, it } from 'vitest';
import { featureDrift, type FeatureDriftOk } from './feature-drift.js';
import { summariseCategories, summariseNumbers } from './summaries.js';
import { A, B, expectClose, gen } from '../../../test/drift-samples.js';

const ok = (r: ReturnType<typeof featureDrift>): FeatureDriftOk => {
  if (r.status !== 'ok') throw new Error(`expected a result, got ${r.reason}`);
  return r;
};

describe('featureDrift', () => {
  it('small numeric reference: KS with its p-value and the binned distributions', () => {
    const r = ok(featureDrift({ name: 'confidence', type: 'numerical', reference: A, current: B }));
    expect(r).toMatchObject({ test: 'ks', threshold: 0.05, drifted: true, approximate: false, referenceCount: 30, currentCount: 25 });
    expectClose(r.pValue!, 0.024885437976899162, 1e-9); // scipy.stats.ks_2samp(A, B).pvalue
    expect(r.distributions.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r.distributions.edges!.length).toBe(8);
  });

  it('large numeric reference on summaries: normalised Wasserstein, approximate', () => {
    const spec = { lo: -4, hi: 4, bins: 800 };
    const x = summariseNumbers(gen(12000, 7919, 10007, 6, -3), spec);
    const y = summariseNumbers(gen(15000, 104729, 20011, 6.12, -2.94), spec);
    const r = ok(featureDrift({ name: 'brightness', type: 'numerical', reference: x, current: y }));
    expect(r).toMatchObject({ test: 'wasserstein', threshold: 0.1, drifted: false, approximate: true, pValue: null });
    expect(Math.abs(r.distance! - 0.06925148736506999)).toBeLessThan(0.01 / 1.732); // width / std
  });

  it('a configured test and threshold win over the default', () => {
    const r = ok(featureDrift({ name: 'x', type: 'numerical', reference: A, current: B }, { test: 'psi', threshold: 0.25 }));
    expect(r.test).toBe('psi');
    expect(r.threshold).toBe(0.25);
    expectClose(r.score, 1.3412850007900015, 1e-10);
    expect(r.distributions.labels[0]).toMatch(/^\[-Infinity, /);
  });

  it('numeric with few values uses chi-square on the values, raw or summarised alike', () => {
    const x = [1, 1, 2, 2, 2, 3, 3, 3, 3, 4];
    const y = [1, 2, 2, 3, 3, 4, 4, 4, 4, 4];
    const raw = ok(featureDrift({ name: 'n', type: 'numerical', reference: x, current: y }));
    const spec = { lo: 0, hi: 5, bins: 5 };
    const sum = ok(featureDrift({ name: 'n', type: 'numerical', reference: summariseNumbers(x, spec), current: summariseNumbers(y, spec) }));
    expect(raw.test).toBe('chisquare');
    expect(sum.pValue).toBe(raw.pValue);
  });

  it('categorical: chi-square flags an unseen category', () => {
    const r = ok(featureDrift({ name: 'food', type: 'categorical', reference: ['pizza', 'pizza', 'cake', 'apple'], current: ['pizza', 'donut', 'cake'] }));
    expect(r).toMatchObject({ test: 'chisquare', statistic: Infinity, pValue: 0, drifted: true });
    expect(r.distributions.labels).toEqual(['apple', 'cake', 'donut', 'pizza']);
  });

  it('categorical summaries of a large reference use Jensen-Shannon', () => {
    const ref = summariseCategories([...Array(700).fill('a'), ...Array(400).fill('b')]);
    const cur = summariseCategories([...Array(50).fill('a'), ...Array(50).fill('b')]);
    const r = ok(featureDrift({ name: 'label', type: 'categorical', reference: ref, current: cur }));
    expect(r.test).toBe('jensenshannon');
    expect(r.distance).toBeGreaterThan(0);
  });

  it('empty windows give "not enough data", never NaN', () => {
    const r = featureDrift({ name: 'x', type: 'numerical', reference: A, current: [NaN] });
    expect(r).toMatchObject({ status: 'not_enough_data', drifted: false, reason: 'the current window is empty' });
    expect(featureDrift({ name: 'c', type: 'categorical', reference: [], current: ['a'] }).status).toBe('not_enough_data');
  });

  it('constant features do not drift against themselves', () => {
    const r = ok(featureDrift({ name: 'k', type: 'numerical', reference: [5, 5, 5], current: [5, 5] }));
    expect(r).toMatchObject({ test: 'z', pValue: 1, drifted: false });
  });
});
