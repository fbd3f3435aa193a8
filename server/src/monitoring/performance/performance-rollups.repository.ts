// The rollup rows behind the performance series: per bucket row, the counts, the confidence sum and both fixed-bin
// histograms. O(buckets x keys) rows for the plan, never the raw log; the caller folds them into series steps.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Tables } from '../../db/tables.js';
import type { RollupFilter } from '../rollups/rollup-read.repository.js';
import type { RangePlan } from '../rollups/range-plan.js';

export interface PerformanceRollupRow {
  bucketStart: number;
  requests: number;
  errors: number;
  confidenceCount: number;
  confidenceSum: number;
  /** JSON arrays of counts over the fixed bins (histogram-bins.ts), parsed by the caller */
  confidenceHist: string;
  latencyHist: string;
}

/** The plan's buckets and the key filter, as in rollup-read.repository.ts. */
function scope(plan: RangePlan, filter: RollupFilter) {
  const segments = plan.segments.map((s) => sql`(grain = ${s.grain} and bucket_start >= ${s.from} and bucket_start < ${s.to})`);
  const conditions = [sql`(${sql.join(segments, sql` or `)})`];
  if (filter.model !== undefined) conditions.push(sql`model_name = ${filter.model}`);
  if (filter.version !== undefined) conditions.push(sql`model_version = ${filter.version}`);
  if (filter.variants !== undefined) conditions.push(sql`variant in (${sql.join(filter.variants.length ? filter.variants : ['\u0000'])})`);
  return sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
}

export async function selectPerformanceRollups(db: Kysely<Tables>, plan: RangePlan, filter: RollupFilter): Promise<PerformanceRollupRow[]> {
  if (plan.segments.length === 0) return [];
  const rows = await db
    .selectFrom('prediction_rollups')
    .select(['bucket_start', 'requests', 'errors', 'confidence_count', 'confidence_sum', 'confidence_hist', 'latency_hist'])
    .where(scope(plan, filter))
    .execute();
  return rows.map((r) => ({
    bucketStart: Number(r.bucket_start),
    requests: Number(r.requests),
    errors: Number(r.errors),
    confidenceCount: Number(r.confidence_count),
    confidenceSum: Number(r.confidence_sum),
    confidenceHist: r.confidence_hist,
    latencyHist: r.latency_hist,
  }));
}
