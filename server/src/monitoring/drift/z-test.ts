// Evidently's `z` test for binary features: the pooled two-proportion z-test on the share of one category.
import jStat from 'jstat';
import { alignCounts } from './categories.js';
import type { CategoricalSummary } from './summaries.js';

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

/**
 * z = (p1 − p2)/√(P(1−P)(1/n1 + 1/n2)) with P the pooled share, p = 2·(1 − Φ(|z|)) as Evidently writes it.
 * The share is of the first category in sorted order; the two-sided p-value does not depend on that choice.
 * One shared category in both windows is no drift (p = 1), as in Evidently. More than two categories is an error.
 */
export function twoProportionZTest(reference: CategoricalSummary, current: CategoricalSummary): ZTestResult | null {
  const n1 = reference.count;
  const n2 = current.count;
  if (n1 === 0 || n2 === 0) return null;
  const aligned = alignCounts(reference, current);
  if (aligned.categories.length > 2) throw new RangeError('the z-test needs at most two categories');
  if (aligned.categories.length === 1) return { statistic: 0, pValue: 1 };
  const p1 = aligned.reference[0]! / n1;
  const p2 = aligned.current[0]! / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: 2 * (1 - jStat.normal.cdf(Math.abs(z), 0, 1)) };
}
