// Aligning two categorical count maps on the union of their categories (zeros filled), the shape every
// categorical statistic starts from.
import type { CategoricalSummary } from './summaries.js';

export interface AlignedCounts {
  categories: string[];
  reference: number[];
  current: number[];
}

/** Union of categories, sorted for a stable order (every statistic here is order-invariant). */
export function alignCounts(reference: CategoricalSummary, current: CategoricalSummary): AlignedCounts {
  const categories = [...new Set([...Object.keys(reference.counts), ...Object.keys(current.counts)])]
    .filter((k) => (reference.counts[k] ?? 0) + (current.counts[k] ?? 0) > 0)
    .sort();
  return {
    categories,
    reference: categories.map((k) => reference.counts[k] ?? 0),
    current: categories.map((k) => current.counts[k] ?? 0),
  };
}

export function toShares(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / total);
}
