import { describe, expect, it } from 'vitest';
import { confusionMatrix, confusionMatrixCsv, orderLabels, type LabelledPrediction } from './confusion-matrix.js';
import { NO_FOOD } from './labels.js';

const pairs = (actual: string[], predicted: string[]): LabelledPrediction[] =>
  actual.map((a, i) => ({ actual: a, predicted: predicted[i]! }));

describe('confusionMatrix', () => {
  it.each([
    {
      name: "scikit-learn's documented example (rows actual, columns predicted)",
      actual: ['cat', 'ant', 'cat', 'cat', 'ant', 'bird'],
      predicted: ['ant', 'ant', 'cat', 'cat', 'ant', 'cat'],
      labels: ['ant', 'bird', 'cat'],
      matrix: [
        [2, 0, 0],
        [0, 0, 1],
        [1, 0, 2],
      ],
    },
    {
      name: 'a class only ever predicted gets a column and an all-zero row',
      actual: ['apple', 'apple'],
      predicted: ['apple', 'orange'],
      labels: ['apple', 'orange'],
      matrix: [
        [1, 1],
        [0, 0],
      ],
    },
    {
      name: "'none' (no food found) is a predicted class, ordered last",
      actual: ['banana', 'apple', 'zucchini'],
      predicted: [NO_FOOD, 'apple', NO_FOOD],
      labels: ['apple', 'banana', 'zucchini', NO_FOOD],
      matrix: [
        [1, 0, 0, 0],
        [0, 0, 0, 1],
        [0, 0, 0, 1],
        [0, 0, 0, 0],
      ],
    },
    { name: 'no pairs', actual: [], predicted: [], labels: [], matrix: [] },
  ])('$name', ({ actual, predicted, labels, matrix }) => {
    expect(confusionMatrix(pairs(actual, predicted))).toEqual({ labels, matrix });
  });

  it('takes a fixed label order, and refuses labels outside it', () => {
    const cm = confusionMatrix(pairs(['b', 'a'], ['b', 'b']), ['b', 'a']);
    expect(cm).toEqual({ labels: ['b', 'a'], matrix: [[1, 0], [1, 0]] });
    expect(() => confusionMatrix(pairs(['c'], ['a']), ['a', 'b'])).toThrow(/"c" is not in the given labels/);
    expect(() => confusionMatrix([], ['a', 'a'])).toThrow(/unique/);
  });

  it('orders labels by code unit, independent of locale', () => {
    expect(orderLabels(['b', 'B', 'a', NO_FOOD, 'hot dog', 'hot_dog', 'a'])).toEqual(['B', 'a', 'b', 'hot dog', 'hot_dog', NO_FOOD]);
  });
});

describe('confusionMatrixCsv', () => {
  it('writes a header row and one row per actual class, quoting where CSV needs it', () => {
    const cm = confusionMatrix(pairs(['hot dog', 'a,b', 'a,b'], ['hot dog', NO_FOOD, 'a,b']));
    expect(confusionMatrixCsv(cm)).toBe(
      'actual\\predicted,"a,b",hot dog,none\n' + '"a,b",1,0,1\n' + 'hot dog,0,1,0\n' + 'none,0,0,0\n',
    );
  });
});
