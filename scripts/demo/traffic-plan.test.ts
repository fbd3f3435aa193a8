import { describe, expect, it } from 'vitest';
import { DAY_MS, GROUP_WEIGHTS, planTraffic, type PlanOptions } from './traffic-plan.js';

const now = Date.UTC(2026, 11, 5, 18, 0);
const groups = ['fruit', 'fruit', 'fruit', 'carrot', 'other', 'other'] as const;
const options: PlanOptions = { now, days: 14, driftDays: 3, users: 150, requestsPerDay: 400, photoGroups: groups, seed: 42 };

describe('planTraffic', () => {
  const plan = planTraffic(options);

  it('is the same history for the same seed, and another for another seed', () => {
    expect(planTraffic(options)).toEqual(plan);
    expect(planTraffic({ ...options, seed: 43 })).not.toEqual(plan);
  });

  it('spreads about requestsPerDay a day over the days asked, oldest first, leaving the last 10 minutes to live traffic', () => {
    expect(plan.length).toBeGreaterThan(14 * 400 * 0.85);
    expect(plan.length).toBeLessThan(14 * 400 * 1.3 * 1.15);
    expect(plan[0]!.at).toBeGreaterThanOrEqual(now - 14 * DAY_MS);
    expect(plan[plan.length - 1]!.at).toBeLessThan(now - 10 * 60_000);
    expect(plan.every((r, i) => i === 0 || plan[i - 1]!.at <= r.at)).toBe(true);
    const days = new Set(plan.map((r) => Math.floor((now - r.at) / DAY_MS)));
    expect(days.size).toBe(14);
  });

  it('moves the food mix and brightens the photos in the drift days only', () => {
    const before = plan.filter((r) => !r.drifted);
    const during = plan.filter((r) => r.drifted);
    expect(during.every((r) => r.at >= now - 3 * DAY_MS)).toBe(true);
    expect(before.every((r) => r.at < now - 3 * DAY_MS)).toBe(true);
    const share = (rs: typeof plan, pred: (r: (typeof plan)[number]) => boolean) => rs.filter(pred).length / rs.length;
    // within 4 points of the configured mix (thousands of draws)
    expect(share(before, (r) => groups[r.photo] === 'fruit')).toBeCloseTo(GROUP_WEIGHTS.before.fruit, 1);
    expect(share(during, (r) => groups[r.photo] === 'fruit')).toBeCloseTo(GROUP_WEIGHTS.during.fruit, 1);
    expect(share(during, (r) => groups[r.photo] === 'carrot')).toBeCloseTo(GROUP_WEIGHTS.during.carrot, 1);
    expect(share(before, (r) => r.bright)).toBeLessThan(0.1);
    expect(share(during, (r) => r.bright)).toBeGreaterThan(0.6);
  });

  it('has heavy and occasional users, a few anonymous requests, failures and feedback at the configured rates', () => {
    const perUser = new Map<string, number>();
    for (const r of plan) if (r.user) perUser.set(r.user, (perUser.get(r.user) ?? 0) + 1);
    const counts = [...perUser.values()].sort((a, b) => b - a);
    expect(perUser.size).toBeGreaterThan(140);
    expect(counts[0]! / counts[counts.length - 1]!).toBeGreaterThan(10);
    const rate = (pred: (r: (typeof plan)[number]) => boolean) => plan.filter(pred).length / plan.length;
    expect(rate((r) => r.user === null)).toBeCloseTo(0.04, 1);
    expect(rate((r) => r.failed)).toBeCloseTo(0.02, 1);
    expect(rate((r) => r.feedback)).toBeCloseTo(0.12, 1);
  });

  it('peaks at lunch and dinner', () => {
    const byHour = new Array<number>(24).fill(0);
    for (const r of plan) byHour[new Date(r.at).getUTCHours()]!++;
    expect(byHour[12]!).toBeGreaterThan(2 * byHour[9]!);
    expect(byHour[19]!).toBeGreaterThan(2 * byHour[9]!);
    expect(byHour[3]!).toBeLessThan(byHour[9]! / 2);
  });

  it('refuses a photo list without photos', () => {
    expect(() => planTraffic({ ...options, photoGroups: [] })).toThrow(/at least one photo/);
  });
});
