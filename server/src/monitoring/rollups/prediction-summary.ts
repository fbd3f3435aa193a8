// GET /api/v1/mlops/monitoring/predictions: counts by food, by UTC day and by user (top N), from the rollups.
import type { PredictionMonitoring, PredictionMonitoringQuery } from '@foodlens/contracts';
import type { Database } from '../../db/connection.js';
import { estimate, HLL_STANDARD_ERROR } from './hyperloglog.js';
import { resolveScope } from './monitoring-range.js';
import { selectBucketTotals, selectFoodCounts, selectTopUsers, selectUserSketch } from './rollup-read.repository.js';
import { utcDay } from './time-buckets.js';

export async function summarisePredictions(database: Database, q: PredictionMonitoringQuery, now = Date.now()): Promise<PredictionMonitoring> {
  const { plan, hourPlan, filter, filters } = resolveScope(q, now);
  const db = database.db;
  const [buckets, foods, sketch, top] = await Promise.all([
    selectBucketTotals(db, plan, filter),
    selectFoodCounts(db, plan, filter, q.top_foods),
    selectUserSketch(db, hourPlan, filter),
    selectTopUsers(db, hourPlan, filter, q.top_users),
  ]);

  const totals = { requests: 0, errors: 0, no_food: 0, anonymous: 0 };
  const days = new Map<string, { day: string; requests: number; errors: number }>();
  for (const b of buckets) {
    totals.requests += b.requests;
    totals.errors += b.errors;
    totals.no_food += b.noFood;
    totals.anonymous += b.anonymous;
    const day = utcDay(b.bucketStart);
    const d = days.get(day) ?? { day, requests: 0, errors: 0 };
    d.requests += b.requests;
    d.errors += b.errors;
    days.set(day, d);
  }
  const ok = totals.requests - totals.errors;
  return {
    range: { from: plan.from, to: plan.to },
    filters,
    totals: { ...totals, error_rate: totals.requests > 0 ? totals.errors / totals.requests : null },
    by_food: foods.map((f) => ({ food: f.food === '' ? null : f.food, count: f.count, share: ok > 0 ? f.count / ok : 0 })),
    by_day: [...days.values()],
    users: {
      range: { from: hourPlan.from, to: hourPlan.to },
      distinct_estimate: Math.round(estimate(sketch)),
      distinct_relative_error: HLL_STANDARD_ERROR,
      top: top.map((u) => ({ user_id: u.item, count: u.count, max_overcount: u.over })),
    },
  };
}
