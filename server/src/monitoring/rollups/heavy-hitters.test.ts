import { describe, expect, it } from 'vitest';
import {
  decodeHeavyHitters,
  emptyHeavyHitters,
  encodeHeavyHitters,
  fromCounts,
  mergeInto,
  prune,
  topItems,
  type HeavyHitters,
} from './heavy-hitters.js';
import { seededRandom } from './rollup-test-data.js';

function countsOf(items: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** Skewed stream: item i with probability ~ 1/(i+1) (Zipf-like), over `distinct` items. */
function stream(seed: number, n: number, distinct: number): string[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => `u${Math.floor(distinct ** rand()) - 1}`);
}

/**
 * Summarises `items` the way the rollups do: random batches (exact counts, pruned), merged into random "buckets"
 * (stored summaries, pruned after each merge), and the buckets merged on read without pruning.
 */
function summarise(items: readonly string[], k: number, seed: number): HeavyHitters {
  const rand = seededRandom(seed);
  const buckets: HeavyHitters[] = Array.from({ length: 4 }, emptyHeavyHitters);
  for (let i = 0; i < items.length; ) {
    const batch = items.slice(i, (i += 1 + Math.floor(rand() * 700)));
    const b = Math.floor(rand() * buckets.length);
    // through the stored text, as each write does
    const stored = decodeHeavyHitters(encodeHeavyHitters(buckets[b]!));
    buckets[b] = prune(mergeInto(fromCounts(countsOf(batch)), stored), k);
  }
  return buckets.reduce((into, s) => mergeInto(into, s), emptyHeavyHitters());
}

function expectWithinBounds(s: HeavyHitters, truth: ReadonlyMap<string, number>, n: number, k: number): void {
  expect(s.floor).toBeLessThanOrEqual(n / (k + 1));
  for (const [item, f] of truth) {
    const e = s.items.get(item);
    if (e === undefined) expect(f, item).toBeLessThanOrEqual(s.floor);
    else {
      const [count, over] = e;
      expect(count, item).toBeGreaterThanOrEqual(f);
      expect(count - over, item).toBeLessThanOrEqual(f);
      expect(over).toBeLessThanOrEqual(s.floor);
    }
  }
}

describe('heavy-hitters summary', () => {
  it('is exact while there are at most k distinct items, across batches and merges', () => {
    const k = 64;
    const items = stream(1, 20_000, k + 1);
    const truth = countsOf(items);
    expect(truth.size).toBe(k);
    const s = summarise(items, k, 2);
    expect(s.floor).toBe(0);
    expect(new Map([...s.items].map(([item, [count, over]]) => [item, [count, over]]))).toEqual(new Map([...truth].map(([item, f]) => [item, [f, 0]])));
  });

  it.each([1, 2, 3])('bounds every count by floor <= n/(k+1) beyond k distinct items (seed %i)', (seed) => {
    const k = 32;
    const items = stream(seed, 30_000, 2000);
    const truth = countsOf(items);
    const s = summarise(items, k, seed + 10);
    expect(s.floor).toBeGreaterThan(0);
    expectWithinBounds(s, truth, items.length, k);
    // the heaviest item is found, with a count at most floor too high
    const [best] = [...truth].sort((a, b) => b[1] - a[1]);
    const [top] = topItems(s, 1);
    expect(top!.item).toBe(best![0]);
    expect(top!.count - best![1]).toBeLessThanOrEqual(top!.over);
  });

  it('keeps the bound for uniform items, the worst case for a summary', () => {
    const k = 16;
    const rand = seededRandom(9);
    const items = Array.from({ length: 10_000 }, () => `u${Math.floor(rand() * 500)}`);
    const s = summarise(items, k, 4);
    expectWithinBounds(s, countsOf(items), items.length, k);
  });

  it('prunes to at most k items and keeps counts as upper bounds', () => {
    const s = prune(fromCounts(new Map([['a', 10], ['b', 7], ['c', 7], ['d', 3], ['e', 1]])), 2);
    // the 3rd largest lower count (7) is subtracted: b and c tie at the cut and go
    expect(s.floor).toBe(7);
    expect([...s.items]).toEqual([['a', [10, 7]]]);
  });

  it('round-trips through its text form, awkward ids included', () => {
    const s = prune(mergeInto(fromCounts(new Map([['a"b\\c', 5], ['ü 🍕', 2], ['', 1]])), { floor: 3, items: new Map([['x', [9, 2]]]) }), 3);
    expect(decodeHeavyHitters(encodeHeavyHitters(s))).toEqual(s);
    expect(decodeHeavyHitters(null)).toEqual(emptyHeavyHitters());
    expect(decodeHeavyHitters('{}')).toEqual(emptyHeavyHitters());
  });

  it('ranks by count, ties by item', () => {
    const s = fromCounts(new Map([['b', 2], ['a', 2], ['c', 5]]));
    expect(topItems(s, 2)).toEqual([{ item: 'c', count: 5, over: 0 }, { item: 'a', count: 2, over: 0 }]);
  });
});
