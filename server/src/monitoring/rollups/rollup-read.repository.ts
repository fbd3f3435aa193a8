// Reads over the rollup tables for a planned range: every query touches O(buckets x keys) rows, never the raw
// prediction log.
import { sql, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Tables } from '../../db/tables.js';
import { decodeFeatures, emptyWindow, mergeFeaturesInto, type WindowSummaries } from '../drift-monitor/feature-summaries.js';
import { addInto, CONFIDENCE_BINS } from './histogram-bins.js';
import { decodeHeavyHitters, emptyHeavyHitters, mergeInto, topItems, type HeavyHitter } from './heavy-hitters.js';
import { mergeEncodedInto, newRegisters } from './hyperloglog.js';
import { parseCounts } from './rollup-write.repository.js';
import type { RangePlan } from './range-plan.js';

export interface RollupFilter {
  model?: string;
  version?: string;
  /** several versions (with model), instead of one */
  versions?: readonly string[];
  /** stored variants to include ('' = unknown); undefined = all */
  variants?: readonly string[];
}

type KeyedTable = 'prediction_rollups' | 'prediction_rollup_foods';

/** Restricts a query to the plan's buckets and the filter (the key columns every rollup table shares). */
export function scoped<T extends KeyedTable, O>(
  query: SelectQueryBuilder<Tables, T, O>,
  plan: RangePlan,
  filter: RollupFilter,
): SelectQueryBuilder<Tables, T, O> {
  const segments = plan.segments.map((s) => sql`(grain = ${s.grain} and bucket_start >= ${s.from} and bucket_start < ${s.to})`);
  const conditions = [sql`(${sql.join(segments, sql` or `)})`];
  if (filter.model !== undefined) conditions.push(sql`model_name = ${filter.model}`);
  if (filter.version !== undefined) conditions.push(sql`model_version = ${filter.version}`);
  if (filter.versions !== undefined) conditions.push(sql`model_version in (${sql.join(filter.versions.length ? filter.versions : ['\u0000'])})`);
  if (filter.variants !== undefined) conditions.push(sql`variant in (${sql.join(filter.variants.length ? filter.variants : ['\u0000'])})`);
  return query.where(sql<SqlBool>`${sql.join(conditions, sql` and `)}`);
}

export interface BucketTotals {
  bucketStart: number;
  requests: number;
  errors: number;
  noFood: number;
  anonymous: number;
}

/** Request counts per bucket start (the plan's segments never share a start), oldest first. */
export async function selectBucketTotals(db: Kysely<Tables>, plan: RangePlan, filter: RollupFilter): Promise<BucketTotals[]> {
  if (plan.segments.length === 0) return [];
  const rows = await scoped(
    db.selectFrom('prediction_rollups').select((eb) => [
      'bucket_start',
      eb.fn.sum<number>('requests').as('requests'),
      eb.fn.sum<number>('errors').as('errors'),
      eb.fn.sum<number>('no_food').as('no_food'),
      eb.fn.sum<number>('anonymous').as('anonymous'),
    ]),
    plan,
    filter,
  )
    .groupBy('bucket_start')
    .orderBy('bucket_start')
    .execute();
  return rows.map((r) => ({
    bucketStart: Number(r.bucket_start),
    requests: Number(r.requests),
    errors: Number(r.errors),
    noFood: Number(r.no_food),
    anonymous: Number(r.anonymous),
  }));
}

export interface ConfidenceSummary {
  count: number;
  sum: number;
  /** merged counts over the fixed confidence bins */
  histogram: number[];
}

export async function selectConfidence(db: Kysely<Tables>, plan: RangePlan, filter: RollupFilter): Promise<ConfidenceSummary> {
  const out: ConfidenceSummary = { count: 0, sum: 0, histogram: new Array<number>(CONFIDENCE_BINS).fill(0) };
  if (plan.segments.length === 0) return out;
  const rows = await scoped(
    db.selectFrom('prediction_rollups').select(['confidence_count', 'confidence_sum', 'confidence_hist']),
    plan,
    filter,
  ).execute();
  for (const r of rows) {
    out.count += Number(r.confidence_count);
    out.sum += Number(r.confidence_sum);
    addInto(out.histogram, parseCounts(r.confidence_hist));
  }
  return out;
}

/** The merged distinct-user sketch (hour and day buckets carry one; minute segments are ignored). */
export async function selectUserSketch(db: Kysely<Tables>, plan: RangePlan, filter: RollupFilter): Promise<Uint8Array> {
  const registers = newRegisters();
  if (plan.segments.length === 0) return registers;
  const rows = await scoped(db.selectFrom('prediction_rollups').select('users_hll'), plan, filter).execute();
  for (const r of rows) mergeEncodedInto(registers, r.users_hll);
  return registers;
}

/** Successful predictions per food ('' = nothing recognised), most frequent first. */
export async function selectFoodCounts(
  db: Kysely<Tables>,
  plan: RangePlan,
  filter: RollupFilter,
  limit: number,
): Promise<Array<{ food: string; count: number }>> {
  if (plan.segments.length === 0) return [];
  const rows = await scoped(
    db.selectFrom('prediction_rollup_foods').select((eb) => ['food_name', eb.fn.sum<number>('count').as('n')]),
    plan,
    filter,
  )
    .groupBy('food_name')
    .orderBy('n', 'desc')
    .orderBy('food_name')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ food: r.food_name, count: Number(r.n) }));
}

/**
 * The users with the most predictions (plan of hour and day segments), ties by user id, from the buckets' merged
 * top-users summaries: each count is an upper bound, at most `over` above the true count (heavy-hitters.ts). Merged
 * without pruning, so the only error is what the stored summaries carry: 0 while every bucket saw at most k
 * distinct users per key, and never more than the sum of the buckets' floors (<= users counted / (k + 1)).
 */
export async function selectTopUsers(db: Kysely<Tables>, plan: RangePlan, filter: RollupFilter, limit: number): Promise<HeavyHitter[]> {
  if (plan.segments.length === 0) return [];
  const rows = await scoped(db.selectFrom('prediction_rollups').select('users_top'), plan, filter).execute();
  const merged = emptyHeavyHitters();
  for (const r of rows) if (r.users_top) mergeInto(merged, decodeHeavyHitters(r.users_top));
  return topItems(merged, limit);
}

/**
 * The drift feature summaries of the successful predictions in the plan's buckets: the numeric summaries merged from
 * every bucket's features column, and the per-food counts (all foods). `rows` counts the successful predictions.
 * Buckets written before migration 0005 whose raw rows were already gone carry no summaries; their predictions still
 * count in `rows` and the food counts, and their numeric features are simply absent.
 */
export async function selectFeatureWindow(db: Kysely<Tables>, plan: RangePlan, filter: RollupFilter): Promise<WindowSummaries> {
  const out = emptyWindow();
  if (plan.segments.length === 0) return out;
  const [rows, foods] = await Promise.all([
    scoped(db.selectFrom('prediction_rollups').select('features'), plan, filter).where('features', 'is not', null).execute(),
    scoped(db.selectFrom('prediction_rollup_foods').select((eb) => ['food_name', eb.fn.sum<number>('count').as('n')]), plan, filter)
      .groupBy('food_name')
      .execute(),
  ]);
  for (const r of rows) {
    const f = decodeFeatures(r.features);
    if (f) mergeFeaturesInto(out.numeric, f);
  }
  for (const r of foods) {
    const n = Number(r.n);
    out.foods.set(r.food_name, n);
    out.rows += n;
  }
  return out;
}
