// Confusion matrix over (actual, predicted) label pairs, in scikit-learn's orientation: rows are the actual class,
// columns the predicted class (sklearn.metrics.confusion_matrix), so matrix[i][j] counts images of labels[i] that
// the model called labels[j].
import { NO_FOOD } from './labels.js';

export interface LabelledPrediction {
  actual: string;
  /** NO_FOOD when the model found no food */
  predicted: string;
}

export interface ConfusionMatrix {
  /** row and column order: every label seen as actual or predicted, sorted, with NO_FOOD last */
  labels: string[];
  /** matrix[actual][predicted] counts */
  matrix: number[][];
}

/**
 * Builds the matrix. Label order is the sorted union of actual and predicted labels (scikit-learn's default,
 * `unique_labels(y_true, y_pred)`), except that NO_FOOD goes last where it reads as "none of the above".
 * `labels`, when given, fixes the order and must contain every label that occurs.
 */
export function confusionMatrix(pairs: readonly LabelledPrediction[], labels?: readonly string[]): ConfusionMatrix {
  const order = labels ? [...labels] : orderLabels(pairs.flatMap((p) => [p.actual, p.predicted]));
  const index = new Map(order.map((l, i) => [l, i]));
  if (index.size !== order.length) throw new RangeError('confusion matrix labels must be unique');
  const matrix = order.map(() => order.map(() => 0));
  for (const p of pairs) {
    const i = index.get(p.actual);
    const j = index.get(p.predicted);
    if (i === undefined || j === undefined) {
      throw new RangeError(`label ${JSON.stringify(i === undefined ? p.actual : p.predicted)} is not in the given labels`);
    }
    matrix[i]![j]!++;
  }
  return { labels: order, matrix };
}

/** Sorted by code unit (locale-independent, so the order is the same on every machine), NO_FOOD last. */
export function orderLabels(labels: Iterable<string>): string[] {
  const unique = [...new Set(labels)];
  return unique.sort((a, b) => (a === NO_FOOD ? 1 : b === NO_FOOD ? -1 : a < b ? -1 : a > b ? 1 : 0));
}

/** The matrix as CSV: a header row `actual\predicted,<labels>`, then one row per actual label. */
export function confusionMatrixCsv(cm: ConfusionMatrix): string {
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = [['actual\\predicted', ...cm.labels].map(cell).join(',')];
  cm.labels.forEach((label, i) => lines.push([cell(label), ...cm.matrix[i]!.map(String)].join(',')));
  return `${lines.join('\n')}\n`;
}
