import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, pickArm } from './traffic-split.js';

describe('bucketOf', () => {
  it('is stable per (model, user), spreads users evenly, and splits models independently', () => {
    expect(bucketOf('food-detector', 'alice')).toBe(bucketOf('food-detector', 'alice'));
    const counts = new Array<number>(10).fill(0);
    let sameAcrossModels = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = bucketOf('food-detector', `user-${i}`);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(BUCKETS);
      counts[Math.floor(b / (BUCKETS / 10))]!++;
      if (Math.floor(b / 5000) === Math.floor(bucketOf('other-model', `user-${i}`) / 5000)) sameAcrossModels++;
    }
    // each tenth of the range within 10% of its expected 2,000
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
    // halves of two models agree about half the time when the hashes are independent
    expect(Math.abs(sameAcrossModels / 20_000 - 0.5)).toBeLessThan(0.02);
  });

  it('draws anonymous requests at random', () => {
    const seen = new Set(Array.from({ length: 50 }, () => bucketOf('food-detector', null)));
    expect(seen.size).toBeGreaterThan(40);
  });
});

describe('pickArm', () => {
  const arms = [
    { weight: 20, target: 'b' },
    { weight: 10, target: 'c' },
  ];
  it.each([
    [0, 'b'],
    [1999, 'b'],
    [2000, 'c'],
    [2999, 'c'],
    [3000, 'a'],
    [9999, 'a'],
  ])('bucket %i -> %s', (bucket, expected) => {
    expect(pickArm(arms, bucket, 'a')).toBe(expected);
  });

  it('keeps every user of a challenger when its weight grows', () => {
    for (let b = 0; b < BUCKETS; b += 7) {
      if (pickArm([{ weight: 10, target: 'x' }], b, 'champ') === 'x') expect(pickArm([{ weight: 30, target: 'x' }], b, 'champ')).toBe('x');
    }
  });

  it('sends everyone to the rest with no arms or zero weights', () => {
    expect(pickArm([], 5, 'a')).toBe('a');
    expect(pickArm([{ weight: 0, target: 'b' }], 0, 'a')).toBe('a');
  });
});
