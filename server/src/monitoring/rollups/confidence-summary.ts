// GET /api/v1/mlops/monitoring/confidence: histogram, mean, quantiles and share below a threshold of the top-1
// confidence, from the merged rollup histograms (quantiles within one 0.02 bin of the exact ones).
import type { ConfidenceMonitoring, ConfidenceMonitoringQuery } from '@foodlens/contracts';
import type { Database } from '../../db/connection.js';
import { CONFIDENCE_QUANTILE_ERROR, confidenceBinEdges, countBelow, histogramQuantile, rebin } from './histogram-bins.js';
import { resolveScope } from './monitoring-range.js';
import { selectConfidence } from './rollup-read.repository.js';

export async function summariseConfidence(database: Database, q: ConfidenceMonitoringQuery, now = Date.now()): Promise<ConfidenceMonitoring> {
  const { plan, filter, filters } = resolveScope(q, now);
  const c = await selectConfidence(database.db, plan, filter);
  const below = countBelow(c.histogram, q.threshold, confidenceBinEdges);
  const width = 1 / q.bins;
  return {
    range: { from: plan.from, to: plan.to },
    filters,
    count: c.count,
    mean: c.count > 0 ? c.sum / c.count : null,
    histogram: rebin(c.histogram, q.bins).map((count, i) => ({ from: round(i * width), to: round((i + 1) * width), count })),
    quantiles: q.quantiles.map((p) => ({ q: p, value: histogramQuantile(c.histogram, p, confidenceBinEdges) })),
    quantile_error: CONFIDENCE_QUANTILE_ERROR,
    below_threshold: { threshold: q.threshold, count: below, share: c.count > 0 ? below / c.count : null },
  };
}

/** Bin edges like 0.30000000000000004 print as 0.3. */
function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
