import { describe, expect, it } from 'vitest';
import { PERFORMANCE_MAX_POINTS, PERFORMANCE_RESOLUTION_MS, PERFORMANCE_TARGET_POINTS, PerformanceResolution } from '@foodlens/contracts';
import { planRange } from '../rollups/range-plan.js';
import { DAY_MS, GRAIN_MS, HOUR_MS, MINUTE_MS } from '../rollups/time-buckets.js';
import { capGrain, chooseResolution, grainFor, pointCount, seriesBuckets } from './performance-resolution.js';

const T0 = Date.UTC(2026, 0, 10); // a UTC midnight

describe('chooseResolution', () => {
  const recent = (ms: number) => planRange(T0 - ms + 17_000, T0 + 17_000, { minutesSince: 0 });
  const old = (ms: number) => planRange(T0 - ms + 17_000, T0 + 17_000);

  it.each([
    [HOUR_MS, '1m'],
    [3 * HOUR_MS, '1m'],
    [6 * HOUR_MS, '5m'],
    [7 * HOUR_MS, '1h'],
    [DAY_MS, '1h'],
    [7 * DAY_MS, '1h'],
    [14 * DAY_MS, '2h'],
    [15 * DAY_MS, '1d'],
    [30 * DAY_MS, '1d'],
    [400 * DAY_MS, '1d'],
  ] as const)('a range of %d ms within minute retention gets %s', (ms, step) => {
    const plan = ms <= 2 * DAY_MS ? recent(ms) : old(ms);
    const choice = chooseResolution(plan, ms <= 2 * DAY_MS ? 0 : Infinity);
    expect(choice).toEqual({ step, stepMs: PERFORMANCE_RESOLUTION_MS[step], chosen: 'auto' });
    if (ms < 400 * DAY_MS) expect(pointCount(plan.from, plan.to, choice.stepMs)).toBeLessThanOrEqual(PERFORMANCE_TARGET_POINTS);
  });

  it('never picks minute steps where minute buckets are gone', () => {
    const plan = old(6 * HOUR_MS);
    expect(chooseResolution(plan, plan.from + 1).step).toBe('1h');
  });

  it('checks a requested step: minute buckets and the point limit', () => {
    const day = recent(DAY_MS);
    expect(chooseResolution(day, 0, '5m')).toMatchObject({ step: '5m', chosen: 'requested' });
    expect(() => chooseResolution(day, 0, '1m')).toThrow(/1440 points over this range; at most 500/);
    expect(() => chooseResolution(day, day.from + 1, '5m')).toThrow(/minute rollups/);
    const month = old(30 * DAY_MS);
    expect(() => chooseResolution(month, Infinity, '1h')).toThrow(new RegExp(`at most ${PERFORMANCE_MAX_POINTS}`));
    expect(chooseResolution(month, Infinity, '2h').step).toBe('2h');
  });
});

describe('capGrain and seriesBuckets', () => {
  it('reads day segments as hours for sub-day steps, and merges neighbours', () => {
    const plan = planRange(T0 + 5 * HOUR_MS + 7 * MINUTE_MS, T0 + 3 * DAY_MS + 2 * HOUR_MS + 3 * MINUTE_MS, { minutesSince: 0 });
    expect(plan.segments.map((s) => s.grain)).toEqual(['m', 'h', 'd', 'h', 'm']);
    const hours = capGrain(plan, 'h');
    expect(hours.segments).toEqual([
      { grain: 'm', from: plan.from, to: T0 + 6 * HOUR_MS },
      { grain: 'h', from: T0 + 6 * HOUR_MS, to: T0 + 3 * DAY_MS + 2 * HOUR_MS },
      { grain: 'm', from: T0 + 3 * DAY_MS + 2 * HOUR_MS, to: plan.to },
    ]);
    expect(capGrain(plan, 'm').segments).toEqual([{ grain: 'm', from: plan.from, to: plan.to }]);
    expect(capGrain(plan, 'd')).toEqual(plan);
  });

  it('every step nests the rollup grain it is read at', () => {
    for (const step of PerformanceResolution.options) {
      const ms = PERFORMANCE_RESOLUTION_MS[step];
      expect(ms % GRAIN_MS[grainFor(ms)]).toBe(0);
      expect(DAY_MS % ms).toBe(0);
    }
  });

  it('buckets are contiguous, aligned to the step and clipped to the range', () => {
    const from = T0 + 7 * MINUTE_MS;
    const to = T0 + 2 * HOUR_MS + 3 * MINUTE_MS;
    const b = seriesBuckets(from, to, 30 * MINUTE_MS);
    expect(b).toHaveLength(pointCount(from, to, 30 * MINUTE_MS));
    expect(b[0]).toEqual({ from, to: T0 + 30 * MINUTE_MS });
    expect(b.at(-1)).toEqual({ from: T0 + 2 * HOUR_MS, to });
    for (let i = 1; i < b.length; i++) expect(b[i]!.from).toBe(b[i - 1]!.to);
    expect(seriesBuckets(from, from, HOUR_MS)).toEqual([]);
  });
});
