// The rollup rows behind the performance series: per bucket row, the counts, the confidence sum and both fixed-bin
// histograms. O(buckets x keys) rows for the plan, never the raw log; the caller folds them into series steps.
import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.js';
import { scoped, type RollupFilter } from '../rollups/rollup-read.repository.js';
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

export async function selectPerformanceRollups(db: Kysely<Tables>, plan: RangePlan, filter: RollupFilter): Promise<PerformanceRollupRow[]> {
  if (plan.segments.length === 0) return [];
  const query = db.selectFrom('prediction_rollups').select(['bucket_start', 'requests', 'errors', 'confidence_count', 'confidence_sum', 'confidence_hist', 'latency_hist']);
  const rows = await scoped(query, plan, filter).execute();
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
