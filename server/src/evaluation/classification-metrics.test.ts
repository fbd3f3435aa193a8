import { describe, expect, it } from 'vitest';
import { classificationReport, safeRatio } from './classification-metrics.js';
import { confusionMatrix } from './confusion-matrix.js';
import { NO_FOOD } from './labels.js';

function report(actual: string[], predicted: string[]) {
  return classificationReport(confusionMatrix(actual.map((a, i) => ({ actual: a, predicted: predicted[i]! }))));
}

const byLabel = (r: ReturnType<typeof report>) =>
  Object.fromEntries(r.perClass.map((c) => [c.label, [c.precision, c.recall, c.support, c.predicted]]));

describe('classificationReport', () => {
  // Expected values are scikit-learn's (precision_recall_fscore_support, accuracy_score) for the same inputs.
  it.each([
    {
      name: "sklearn's precision_recall_fscore_support example: macro precision 0.222, recall 0.333",
      actual: ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'],
      predicted: ['cat', 'pig', 'dog', 'cat', 'cat', 'dog'],
      accuracy: 2 / 6,
      perClass: { cat: [2 / 3, 1, 2, 3], dog: [0, 0, 2, 2], pig: [0, 0, 2, 1] },
      macro: [2 / 9, 1 / 3],
    },
    {
      name: 'zero_division: a class never predicted has precision 0 (sklearn default, not NaN)',
      actual: ['a', 'b', 'c', 'a', 'b', 'c'],
      predicted: ['a', 'a', 'a', 'a', 'a', 'a'],
      accuracy: 2 / 6,
      perClass: { a: [2 / 6, 1, 2, 6], b: [0, 0, 2, 0], c: [0, 0, 2, 0] },
      macro: [1 / 9, 1 / 3],
    },
    {
      name: 'zero_division: a class never present has recall 0, and counts in the macro average',
      actual: ['apple', 'apple', 'apple', 'banana'],
      predicted: ['apple', 'orange', 'apple', 'banana'],
      accuracy: 3 / 4,
      perClass: { apple: [1, 2 / 3, 3, 2], banana: [1, 1, 1, 1], orange: [0, 0, 0, 1] },
      macro: [2 / 3, 5 / 9],
    },
    {
      name: "'none' predictions are a class: they lower the true class's recall and get precision 0",
      actual: ['apple', 'apple', 'carrot'],
      predicted: ['apple', NO_FOOD, NO_FOOD],
      accuracy: 1 / 3,
      perClass: { apple: [1, 1 / 2, 2, 1], carrot: [0, 0, 1, 0], [NO_FOOD]: [0, 0, 0, 2] },
      macro: [1 / 3, 1 / 6],
    },
    {
      name: 'perfect predictions',
      actual: ['x', 'y', 'y'],
      predicted: ['x', 'y', 'y'],
      accuracy: 1,
      perClass: { x: [1, 1, 1, 1], y: [1, 1, 2, 2] },
      macro: [1, 1],
    },
  ])('$name', ({ actual, predicted, accuracy, perClass, macro }) => {
    const r = report(actual, predicted);
    expect(r.accuracy).toBeCloseTo(accuracy, 12);
    expect(r.total).toBe(actual.length);
    const got = byLabel(r);
    expect(Object.keys(got)).toEqual(Object.keys(perClass));
    for (const [label, [p, rc, support, pred]] of Object.entries(perClass)) {
      expect(got[label]![0]).toBeCloseTo(p!, 12);
      expect(got[label]![1]).toBeCloseTo(rc!, 12);
      expect(got[label]!.slice(2)).toEqual([support, pred]);
    }
    expect(r.macroPrecision).toBeCloseTo(macro[0]!, 12);
    expect(r.macroRecall).toBeCloseTo(macro[1]!, 12);
  });

  it('is NaN-valued for an empty matrix rather than claiming 0 or 1', () => {
    const r = report([], []);
    expect(r.total).toBe(0);
    expect(r.accuracy).toBeNaN();
    expect(r.macroPrecision).toBeNaN();
    expect(r.perClass).toEqual([]);
  });

  it('safeRatio is 0 for a zero denominator', () => {
    expect([safeRatio(0, 0), safeRatio(3, 0), safeRatio(1, 4)]).toEqual([0, 0, 0.25]);
  });
});
