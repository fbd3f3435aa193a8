// Top users per rollup bucket in bounded space: a Misra-Gries summary of k counters in the mergeable form of Agarwal
// et al. ("Mergeable summaries", PODS 2012), so hourly summaries combine into any range and a bucket's stored summary
// absorbs each new batch by the same merge.
//
// A summary lists at most k items, each with `count`, an upper bound on its true count, and `over`, how much `count`
// may exceed it (true count in [count - over, count]), and carries `floor`: the most any unlisted item can have
// occurred, and the largest `over`. While a bucket has seen at most k distinct items nothing is ever pruned, so
// floor and every `over` stay 0 and the counts are exact. Beyond that, floor <= (n - n')/(k + 1) <= n/(k + 1), where
// n is the number of items counted and n' the sum of the listed lower counts (Agarwal et al., Lemma 1): with k = 256
// and any mix of users, no answered count is more than n/257 too high, and any user with more than n/257 occurrences
// is listed.
//
// Merging two summaries adds counts item by item, an item absent from one side counting as [0, floor] of that side;
// if more than k items result, the (k+1)-th largest lower count L is subtracted from every lower count (so each
// `over` and the floor grow by L) and the items left without a positive lower count are dropped.

export const HEAVY_HITTERS_K = 256;

export interface HeavyHitters {
  /** the most an unlisted item can have occurred; also bounds every entry's `over`. 0 = exact */
  floor: number;
  /** item -> [count (upper bound), over (count - over is a lower bound)] */
  items: Map<string, [count: number, over: number]>;
}

export function emptyHeavyHitters(): HeavyHitters {
  return { floor: 0, items: new Map() };
}

/** Exact counts, e.g. of one batch: a summary with floor 0 (prune() it before storing). */
export function fromCounts(counts: ReadonlyMap<string, number>): HeavyHitters {
  const items = new Map<string, [number, number]>();
  for (const [item, n] of counts) items.set(item, [n, 0]);
  return { floor: 0, items };
}

/** Adds `from` into `into` (no pruning: call prune() when `into` must stay within k items). */
export function mergeInto(into: HeavyHitters, from: HeavyHitters): HeavyHitters {
  if (from.items.size === 0 && from.floor === 0) return into;
  // Items only in `into` count as [0, from.floor] on the other side.
  if (from.floor > 0) {
    for (const [item, e] of into.items) {
      if (!from.items.has(item)) {
        e[0] += from.floor;
        e[1] += from.floor;
      }
    }
  }
  for (const [item, [count, over]] of from.items) {
    const e = into.items.get(item);
    if (e !== undefined) {
      e[0] += count;
      e[1] += over;
    } else into.items.set(item, [count + into.floor, over + into.floor]);
  }
  into.floor += from.floor;
  return into;
}

/** Keeps at most k items: the Misra-Gries reduction (subtract the (k+1)-th largest lower count from all). */
export function prune(s: HeavyHitters, k = HEAVY_HITTERS_K): HeavyHitters {
  if (s.items.size <= k) return s;
  const lower = new Float64Array(s.items.size);
  let i = 0;
  for (const [count, over] of s.items.values()) lower[i++] = count - over;
  lower.sort();
  const cut = lower[lower.length - 1 - k]!;
  for (const [item, e] of s.items) {
    // count stays an upper bound; the lower bound drops by `cut`
    if (e[0] - e[1] <= cut) s.items.delete(item);
    else e[1] += cut;
  }
  s.floor += cut;
  return s;
}

export interface HeavyHitter {
  item: string;
  count: number;
  over: number;
}

/** The n items with the highest counts, ties by item. */
export function topItems(s: HeavyHitters, n: number): HeavyHitter[] {
  const all: HeavyHitter[] = [];
  for (const [item, [count, over]] of s.items) all.push({ item, count, over });
  all.sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
  return all.slice(0, n);
}

// Stored as one JSON array [floor, item, count, over, item, count, over, ...]: compact, and JSON.parse/stringify are
// the cheapest (de)serialisers available for a mix of strings and numbers.

export function encodeHeavyHitters(s: HeavyHitters): string {
  const flat: Array<string | number> = [s.floor];
  for (const [item, [count, over]] of s.items) flat.push(item, count, over);
  return JSON.stringify(flat);
}

/** A stored summary; an empty or malformed value reads as an empty summary. */
export function decodeHeavyHitters(text: string | null | undefined): HeavyHitters {
  const s = emptyHeavyHitters();
  if (!text) return s;
  const flat: unknown = JSON.parse(text);
  if (!Array.isArray(flat) || typeof flat[0] !== 'number') return s;
  s.floor = flat[0];
  for (let i = 1; i + 2 < flat.length; i += 3) s.items.set(String(flat[i]), [Number(flat[i + 1]), Number(flat[i + 2])]);
  return s;
}
