import { describe, expect, it } from 'vitest';
import { COCO_LABELS, FOOD_CLASSES, cocoLabel, isFoodLabel, topFoodDetection } from './labels.js';
import type { Detection } from './types.js';

const box = { x: 0, y: 0, width: 1, height: 1 };
const det = (label: string, confidence: number): Detection => ({ label, confidence, box });

describe('labels', () => {
  it('has the 80 COCO labels in model order (0-based, as both detectors index them)', () => {
    expect(COCO_LABELS).toHaveLength(80);
    expect(new Set(COCO_LABELS).size).toBe(80);
    expect(COCO_LABELS[0]).toBe('person');
    expect(COCO_LABELS[46]).toBe('banana');
    expect(COCO_LABELS[60]).toBe('dining table');
    expect(COCO_LABELS[61]).toBe('toilet');
    expect(COCO_LABELS[79]).toBe('toothbrush');
  });

  it('defines exactly the ten food classes, all of them COCO labels 46..55', () => {
    expect([...FOOD_CLASSES]).toEqual([
      'banana', 'apple', 'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake',
    ]);
    expect(FOOD_CLASSES.map((l) => COCO_LABELS.indexOf(l))).toEqual([46, 47, 48, 49, 50, 51, 52, 53, 54, 55]);
  });

  it.each([
    ['banana', true],
    ['hot dog', true],
    ['bowl', false],
    ['dining table', false],
    ['Banana', false],
    ['', false],
  ])('isFoodLabel(%j) is %s', (label, expected) => {
    expect(isFoodLabel(label)).toBe(expected);
  });

  it.each([
    [46, 'banana'],
    [0, 'person'],
    [80, undefined],
    [-1, undefined],
    [46.5, undefined],
    [Number.NaN, undefined],
  ])('cocoLabel(%s) is %j', (index, expected) => {
    expect(cocoLabel(index)).toBe(expected);
  });

  it('picks the most confident food detection, ignoring other classes and keeping the first of a tie', () => {
    const a = det('apple', 0.3);
    const b = det('banana', 0.3);
    expect(topFoodDetection([det('person', 0.9), det('orange', 0.1), a, b, det('cup', 0.5)])).toBe(a);
    expect(topFoodDetection([det('person', 0.9)])).toBeUndefined();
    expect(topFoodDetection([])).toBeUndefined();
  });
});
