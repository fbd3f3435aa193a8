// Splits a time range into rollup buckets: whole UTC days in the middle, whole hours around them, and minutes at the
// edges while minute buckets are still kept. A bucket is counted when its start lies in the range, so the answer
// covers [from, to) rounded up to the finest grain available at each edge: to the minute within minute retention,
// to the hour beyond it (and always to the hour for per-user data, which has no minute buckets).
import { ceilTo, DAY_MS, floorTo, HOUR_MS, MINUTE_MS, type Grain } from './time-buckets.js';

export interface Segment {
  grain: Grain;
  /** bucket starts in [from, to) */
  from: number;
  to: number;
}

export interface RangePlan {
  /** what the segments cover */
  from: number;
  to: number;
  segments: Segment[];
}

export interface PlanOptions {
  /** minute buckets exist from here on (epoch ms); null or omitted: use no minute buckets */
  minutesSince?: number | null;
}

export function planRange(from: number, to: number, { minutesSince = null }: PlanOptions = {}): RangePlan {
  const minuteEdge = (t: number) => minutesSince !== null && ceilTo(t, MINUTE_MS) >= minutesSince;
  const a = minuteEdge(from) ? ceilTo(from, MINUTE_MS) : ceilTo(from, HOUR_MS);
  const b = minuteEdge(to) ? ceilTo(to, MINUTE_MS) : ceilTo(to, HOUR_MS);
  if (a >= b) return { from: a, to: a, segments: [] };
  const segments: Segment[] = [];
  const push = (grain: Grain, s: number, e: number) => {
    if (s < e) segments.push({ grain, from: s, to: e });
  };
  const h1 = ceilTo(a, HOUR_MS);
  const h2 = floorTo(b, HOUR_MS);
  if (h1 >= h2) {
    push('m', a, b);
    return { from: a, to: b, segments };
  }
  push('m', a, h1);
  const d1 = ceilTo(h1, DAY_MS);
  const d2 = floorTo(h2, DAY_MS);
  if (d1 >= d2) push('h', h1, h2);
  else {
    push('h', h1, d1);
    push('d', d1, d2);
    push('h', d2, h2);
  }
  push('m', h2, b);
  return { from: a, to: b, segments };
}
