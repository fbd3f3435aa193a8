import { describe, expect, it } from 'vitest';
import { planRange, type Segment } from './range-plan.js';
import { DAY_MS, GRAIN_MS, HOUR_MS, MINUTE_MS } from './time-buckets.js';

const T0 = Date.UTC(2026, 0, 10); // a UTC midnight

function covered(segments: Segment[]): Array<[number, number]> {
  return segments.map((s) => [s.from, s.to]);
}

describe('planRange', () => {
  it('uses days in the middle, hours around them and minutes at the edges, contiguous and in order', () => {
    const from = T0 + 5 * HOUR_MS + 17 * MINUTE_MS + 3000;
    const to = T0 + 3 * DAY_MS + 2 * HOUR_MS + 40 * MINUTE_MS + 1;
    const plan = planRange(from, to, { minutesSince: 0 });
    expect(plan.from).toBe(T0 + 5 * HOUR_MS + 18 * MINUTE_MS);
    expect(plan.to).toBe(T0 + 3 * DAY_MS + 2 * HOUR_MS + 41 * MINUTE_MS);
    expect(plan.segments.map((s) => s.grain)).toEqual(['m', 'h', 'd', 'h', 'm']);
    expect(covered(plan.segments)).toEqual([
      [plan.from, T0 + 6 * HOUR_MS],
      [T0 + 6 * HOUR_MS, T0 + DAY_MS],
      [T0 + DAY_MS, T0 + 3 * DAY_MS],
      [T0 + 3 * DAY_MS, T0 + 3 * DAY_MS + 2 * HOUR_MS],
      [T0 + 3 * DAY_MS + 2 * HOUR_MS, plan.to],
    ]);
    for (const s of plan.segments) {
      expect(s.from % GRAIN_MS[s.grain]).toBe(0);
      expect(s.to % GRAIN_MS[s.grain]).toBe(0);
    }
  });

  it('rounds edges to the hour without minute buckets', () => {
    const plan = planRange(T0 + 30 * MINUTE_MS, T0 + 5 * HOUR_MS + MINUTE_MS);
    expect(plan).toEqual({ from: T0 + HOUR_MS, to: T0 + 6 * HOUR_MS, segments: [{ grain: 'h', from: T0 + HOUR_MS, to: T0 + 6 * HOUR_MS }] });
  });

  it('uses minutes only where they are kept', () => {
    const plan = planRange(T0 + 30 * MINUTE_MS, T0 + 2 * DAY_MS + 30 * MINUTE_MS, { minutesSince: T0 + DAY_MS });
    expect(plan.from).toBe(T0 + HOUR_MS);
    expect(plan.segments.at(-1)).toEqual({ grain: 'm', from: T0 + 2 * DAY_MS, to: T0 + 2 * DAY_MS + 30 * MINUTE_MS });
  });

  it('covers a short range with minutes alone, and an empty one with nothing', () => {
    expect(planRange(T0 + 10 * MINUTE_MS, T0 + 20 * MINUTE_MS, { minutesSince: 0 }).segments).toEqual([
      { grain: 'm', from: T0 + 10 * MINUTE_MS, to: T0 + 20 * MINUTE_MS },
    ]);
    expect(planRange(T0 + 1, T0 + 2).segments).toEqual([]);
  });

  it('reads each minute of a random range exactly once (property, 500 seeded ranges)', () => {
    let s = 7;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648);
    for (let i = 0; i < 500; i++) {
      const from = T0 + Math.floor(rand() * 10 * DAY_MS);
      const to = from + Math.floor(rand() * 5 * DAY_MS) + 1;
      const plan = planRange(from, to, { minutesSince: rand() < 0.5 ? 0 : from + Math.floor(rand() * (to - from)) });
      // contiguous, aligned segments from plan.from to plan.to read every minute exactly once
      let at = plan.from;
      for (const seg of plan.segments) {
        expect(seg.from).toBe(at);
        expect(seg.from % GRAIN_MS[seg.grain] === 0 && seg.to % GRAIN_MS[seg.grain] === 0 && seg.to > seg.from).toBe(true);
        at = seg.to;
      }
      expect(at).toBe(plan.to);
      expect(plan.from).toBeGreaterThanOrEqual(from);
      expect(plan.from - from).toBeLessThan(HOUR_MS);
      expect(plan.to - to).toBeLessThan(HOUR_MS);
    }
  });
});
