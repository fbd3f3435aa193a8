// The series step of the performance endpoint, and a rollup plan that never mixes grains across a step: each rollup
// row must fall inside one series bucket, so no segment may use a grain coarser than the step (a day bucket cannot
// be split into 6-hour points). Steps divide a day and buckets are aligned to the epoch (UTC), so every bucket of a
// grain that divides the step lies inside exactly one step.
import {
  PERFORMANCE_DAILY_BEYOND_MS,
  PERFORMANCE_MAX_POINTS,
  PERFORMANCE_MINUTES_UP_TO_MS,
  PERFORMANCE_RESOLUTION_MS,
  PERFORMANCE_TARGET_POINTS,
  PerformanceResolution,
} from '@foodlens/contracts';
import { InvalidParameter } from '../../util/errors.js';
import type { RangePlan, Segment } from '../rollups/range-plan.js';
import { DAY_MS, floorTo, HOUR_MS, type Grain } from '../rollups/time-buckets.js';

const STEPS = PerformanceResolution.options;

/** The coarsest rollup grain whose buckets nest inside steps of `stepMs`. */
export function grainFor(stepMs: number): Grain {
  if (stepMs % DAY_MS === 0) return 'd';
  if (stepMs % HOUR_MS === 0) return 'h';
  return 'm';
}

/** Series buckets for [from, to) at `stepMs`: the first starts at `from` floored to the step. */
export function pointCount(from: number, to: number, stepMs: number): number {
  if (to <= from) return 0;
  return Math.ceil((to - floorTo(from, stepMs)) / stepMs);
}

export interface ResolutionChoice {
  step: PerformanceResolution;
  stepMs: number;
  chosen: 'auto' | 'requested';
}

/**
 * The requested step (checked: at most PERFORMANCE_MAX_POINTS points, and minute steps only where minute rollups
 * cover the whole range) or, by default, the finest step giving at most PERFORMANCE_TARGET_POINTS points among
 * minute steps for ranges up to 6 hours (where minute rollups are kept), hour steps up to 14 days and whole days
 * beyond: 1h by the minute, 6h by 5 minutes, 24h and 7d by the hour, 14d by 2 hours, 30d by the day (at most 401
 * points over the longest range of 400 days).
 */
export function chooseResolution(plan: RangePlan, minutesSince: number, requested?: PerformanceResolution): ResolutionChoice {
  const minutesAvailable = plan.from >= minutesSince;
  if (requested !== undefined) {
    const stepMs = PERFORMANCE_RESOLUTION_MS[requested];
    if (grainFor(stepMs) === 'm' && !minutesAvailable) {
      throw new InvalidParameter(`resolution ${requested} needs minute rollups, which are kept for the last 48 hours only; use 1h or coarser for this range`);
    }
    const points = pointCount(plan.from, plan.to, stepMs);
    if (points > PERFORMANCE_MAX_POINTS) {
      throw new InvalidParameter(`resolution ${requested} gives ${points} points over this range; at most ${PERFORMANCE_MAX_POINTS} are allowed`);
    }
    return { step: requested, stepMs, chosen: 'requested' };
  }
  const rangeMs = plan.to - plan.from;
  const finest = rangeMs > PERFORMANCE_DAILY_BEYOND_MS ? DAY_MS : rangeMs > PERFORMANCE_MINUTES_UP_TO_MS || !minutesAvailable ? HOUR_MS : 0;
  const allowed = STEPS.filter((s) => PERFORMANCE_RESOLUTION_MS[s] >= finest);
  const step = allowed.find((s) => pointCount(plan.from, plan.to, PERFORMANCE_RESOLUTION_MS[s]) <= PERFORMANCE_TARGET_POINTS) ?? allowed[allowed.length - 1]!;
  return { step, stepMs: PERFORMANCE_RESOLUTION_MS[step], chosen: 'auto' };
}

const RANK: Record<Grain, number> = { m: 0, h: 1, d: 2 };

/**
 * The plan with every segment coarser than `grain` read at `grain` instead (its edges are aligned to the coarser
 * grain, hence to this one too); adjacent segments of one grain are merged. The caller makes sure buckets of `grain`
 * exist over the range (minute buckets only within minute retention).
 */
export function capGrain(plan: RangePlan, grain: Grain): RangePlan {
  const segments: Segment[] = [];
  for (const s of plan.segments) {
    const g = RANK[s.grain] > RANK[grain] ? grain : s.grain;
    const last = segments[segments.length - 1];
    if (last && last.grain === g && last.to === s.from) last.to = s.to;
    else segments.push({ grain: g, from: s.from, to: s.to });
  }
  return { from: plan.from, to: plan.to, segments };
}

/** The series buckets [from, to) at stepMs, clipped to [from, to). */
export function seriesBuckets(from: number, to: number, stepMs: number): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  if (to <= from) return out;
  for (let t = floorTo(from, stepMs); t < to; t += stepMs) out.push({ from: Math.max(from, t), to: Math.min(to, t + stepMs) });
  return out;
}
