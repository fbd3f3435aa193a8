// Accuracy and per-class precision/recall from a confusion matrix.
//
// Undefined ratios follow scikit-learn's default `zero_division="warn"`, which returns 0.0 (sklearn also warns):
// - precision of a class the model never predicted (no predicted positives) is 0;
// - recall of a class that never occurs in the data (no actual positives) is 0.
// Classes are every label of the matrix, i.e. the union of actual and predicted labels (sklearn's default
// `labels=None`), so a class that only ever appears as a wrong prediction, and NO_FOOD, get precision 0 and recall 0
// and count in the macro averages, exactly as `precision_recall_fscore_support(..., average="macro")` does.
import type { ConfusionMatrix } from './confusion-matrix.js';

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  /** how many images of this class the data holds (sklearn's `support`) */
  support: number;
  /** how many images the model assigned to this class */
  predicted: number;
  truePositives: number;
}

export interface ClassificationReport {
  /** correct / total; NaN for an empty matrix (sklearn's accuracy_score also gives nan there) */
  accuracy: number;
  total: number;
  correct: number;
  perClass: ClassMetrics[];
  /** unweighted means over perClass (sklearn average="macro"); NaN without classes */
  macroPrecision: number;
  macroRecall: number;
}

/** sklearn's `_prf_divide` with zero_division="warn": 0 when the denominator is 0. */
export function safeRatio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

export function classificationReport(cm: ConfusionMatrix): ClassificationReport {
  const n = cm.labels.length;
  let total = 0;
  let correct = 0;
  const perClass: ClassMetrics[] = cm.labels.map((label, i) => {
    const row = cm.matrix[i]!;
    const truePositives = row[i]!;
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let r = 0; r < n; r++) predicted += cm.matrix[r]![i]!;
    total += support;
    correct += truePositives;
    return {
      label,
      precision: safeRatio(truePositives, predicted),
      recall: safeRatio(truePositives, support),
      support,
      predicted,
      truePositives,
    };
  });
  const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    accuracy: total === 0 ? NaN : correct / total,
    total,
    correct,
    perClass,
    macroPrecision: mean(perClass.map((c) => c.precision)),
    macroRecall: mean(perClass.map((c) => c.recall)),
  };
}
