import { describe, expect, it } from 'vitest';
import { mergeCategorical, mergeNumeric, summariseCategories, summariseNumbers, summaryStd, MAX_EXACT_DISTINCT } from './summaries.js';
import { std } from './samples.js';
import { A, B, expectClose, gen } from '../../../test/drift-samples.js';

const spec = { lo: -3, hi: 3, bins: 60 };

describe('numeric summaries', () => {
  it('merging two summaries equals summarising the union', () => {
    const merged = mergeNumeric(summariseNumbers(A, spec), summariseNumbers(B, spec));
    const whole = summariseNumbers([...A, ...B], spec);
    expect(merged.counts).toEqual(whole.counts);
    expect([merged.count, merged.below, merged.above, merged.min, merged.max]).toEqual([whole.count, whole.below, whole.above, whole.min, whole.max]);
    expectClose(merged.sum, whole.sum, 1e-12);
    expectClose(merged.m2, whole.m2, 1e-12);
    expect(merged.distinct).toBeNull(); // 55 distinct values
  });

  it('keeps exact value counts up to 20 distinct values, then "many"', () => {
    const few = summariseNumbers([1, 1, 2, 3, -0, 0], spec);
    expect(few.distinct).toEqual([[0, 2], [1, 2], [2, 1], [3, 1]]);
    const many = summariseNumbers(Array.from({ length: MAX_EXACT_DISTINCT + 1 }, (_, i) => i / 10), spec);
    expect(many.distinct).toBeNull();
    const merged = mergeNumeric(summariseNumbers(gen(15, 1, 15), spec), summariseNumbers(gen(15, 1, 15, 1, 0.5), spec));
    expect(merged.distinct).toBeNull(); // 15 + 15 distinct values after the union
  });

  it('std is numpy\'s ddof=0 and stays accurate when the mean dwarfs the spread', () => {
    const values = gen(1000, 7919, 10007, 1, 1e9);
    const s = summariseNumbers(values, { lo: 1e9, hi: 1e9 + 1, bins: 10 });
    expectClose(summaryStd(s), std(Float64Array.from(values)), 1e-6);
    const halves = mergeNumeric(summariseNumbers(values.slice(0, 400), s.spec), summariseNumbers(values.slice(400), s.spec));
    expectClose(summaryStd(halves), summaryStd(s), 1e-6);
  });

  it('counts out-of-range and non-finite values apart', () => {
    const s = summariseNumbers([-5, 0, 5, NaN, Infinity], spec);
    expect([s.below, s.above, s.count, s.missing]).toEqual([1, 1, 3, 2]);
    expect(s.counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(summariseNumbers([3], spec).counts[59]).toBe(1); // hi lands in the last, closed bin
  });

  it('refuses to merge different specs', () => {
    expect(() => mergeNumeric(summariseNumbers([1], spec), summariseNumbers([1], { ...spec, bins: 61 }))).toThrow(RangeError);
  });
});

describe('categorical summaries', () => {
  it('merge adds counts, including odd category names', () => {
    const m = mergeCategorical(summariseCategories(['a', '__proto__', null]), summariseCategories(['a', 'b']));
    expect(Object.entries(m.counts).sort()).toEqual([['__proto__', 1], ['a', 2], ['b', 1]]);
    expect([m.count, m.missing]).toEqual([4, 1]);
  });
});
