// Chi-square tests for categorical drift: SciPy's `chi2_contingency` on the 2×k table (reference, current), and
// Evidently's goodness-of-fit variant (its default `chisquare` test). Tail probabilities come from jstat.
import jStat from 'jstat';
import { alignCounts } from './categories.js';
import type { CategoricalSummary } from './summaries.js';

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

/** P(χ²_dof ≥ x). */
export function chiSquareSf(x: number, dof: number): number {
  if (x === Infinity) return 0;
  if (dof <= 0 || x <= 0) return 1;
  return Math.min(1, Math.max(0, 1 - jStat.chisquare.cdf(x, dof)));
}

/**
 * `scipy.stats.chi2_contingency(table)` for an r×c table of counts with no empty row or column:
 * E_ij = row_i·col_j/N, dof = (r−1)(c−1), and Yates' correction (each |O − E| reduced by up to 0.5) exactly
 * when SciPy applies it, i.e. when dof = 1 and `correction` is on. dof = 0 gives statistic 0 and p = 1.
 */
export function chi2Contingency(table: number[][], correction = true): ChiSquareResult {
  const r = table.length;
  const c = table[0]?.length ?? 0;
  const rows = table.map((row) => row.reduce((a, b) => a + b, 0));
  const cols = Array.from({ length: c }, (_, j) => table.reduce((a, row) => a + row[j]!, 0));
  const total = rows.reduce((a, b) => a + b, 0);
  if (rows.some((x) => x === 0) || cols.some((x) => x === 0)) {
    throw new RangeError('chi-square contingency table has an empty row or column');
  }
  const dof = (r - 1) * (c - 1);
  if (dof === 0) return { statistic: 0, pValue: 1, dof };
  let statistic = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      const expected = (rows[i]! * cols[j]!) / total;
      let diff = table[i]![j]! - expected;
      if (dof === 1 && correction) diff = Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5);
      statistic += (diff * diff) / expected;
    }
  }
  return { statistic, pValue: chiSquareSf(statistic, dof), dof };
}

/** The 2×k contingency test over the union of categories; null when a window is empty. */
export function chiSquareContingencyTest(reference: CategoricalSummary, current: CategoricalSummary): ChiSquareResult | null {
  if (reference.count === 0 || current.count === 0) return null;
  const aligned = alignCounts(reference, current);
  return chi2Contingency([aligned.reference, aligned.current]);
}

/**
 * Evidently's `chisquare`: `scipy.stats.chisquare(observed = current counts, expected = reference counts ×
 * n_cur/n_ref)`, dof = k − 1. A category never seen in the reference has expected 0, so the statistic is
 * Infinity and p = 0: the feature always drifts (Evidently's behaviour, kept on purpose so a new category is
 * never silent). A single category in both windows is no drift (statistic 0, p = 1) where SciPy answers NaN.
 */
export function chiSquareGoodnessOfFit(reference: CategoricalSummary, current: CategoricalSummary): ChiSquareResult | null {
  if (reference.count === 0 || current.count === 0) return null;
  const aligned = alignCounts(reference, current);
  const k = aligned.categories.length;
  const scale = current.count / reference.count;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = aligned.reference[i]! * scale;
    const observed = aligned.current[i]!;
    statistic += expected === 0 ? Infinity : (observed - expected) ** 2 / expected;
  }
  const dof = k - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof };
  return { statistic, pValue: chiSquareSf(statistic, dof), dof };
}
