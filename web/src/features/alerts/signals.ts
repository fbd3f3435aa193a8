// What each alert signal means and which unit its value and threshold are in. The wording follows the doc comments of
// ALERT_SIGNALS in packages/contracts/src/alerts.ts.
import type { AlertComparator, AlertSignal, MonitoringVariant, NoDataPolicy } from '@foodlens/contracts';
import { count, DASH, ms, percent, score } from '../../lib/format';

export type SignalUnit = 'ratio' | 'ms' | 'count' | 'score';

export interface SignalInfo {
  label: string;
  /** one line, shown under the signal select */
  explanation: string;
  unit: SignalUnit;
}

export const SIGNALS: Record<AlertSignal, SignalInfo> = {
  dataset_drift: {
    label: 'Dataset drift',
    explanation:
      "Share of drifted features (0–1, Evidently's dataset drift at drift_share 0.5), per served version with a drift reference.",
    unit: 'ratio',
  },
  feature_drift: {
    label: 'Feature drift',
    explanation:
      "One feature's drift score: the test's p-value (ks, chisquare, z: drifted when low) or distance (wasserstein, jensenshannon: drifted when high), per served version with a reference.",
    unit: 'score',
  },
  error_rate: { label: 'Error rate', explanation: 'Failed requests / all requests in the window.', unit: 'ratio' },
  latency_p95: { label: 'Latency p95', explanation: 'The 95th-percentile latency of successful predictions, in ms.', unit: 'ms' },
  mean_confidence: { label: 'Mean confidence', explanation: 'The mean confidence of the predictions in the window.', unit: 'ratio' },
  low_confidence_share: {
    label: 'Low-confidence share',
    explanation: 'Share of predictions below the confidence threshold.',
    unit: 'ratio',
  },
  estimated_accuracy: {
    label: 'Estimated accuracy',
    explanation: 'Accuracy estimated without labels from the confidences (CBPE).',
    unit: 'ratio',
  },
  realised_accuracy: {
    label: 'Realised accuracy',
    explanation: 'Accuracy measured from ground-truth feedback on the predictions.',
    unit: 'ratio',
  },
  log_drops: {
    label: 'Dropped prediction logs',
    explanation: 'Prediction-log records dropped by any instance (queue full) in the window.',
    unit: 'count',
  },
  request_volume: { label: 'Request volume', explanation: 'Requests in the window.', unit: 'count' },
};

export const UNIT_TEXT: Record<SignalUnit, string> = {
  ratio: 'a ratio from 0 to 1 (0.05 = 5%)',
  ms: 'milliseconds',
  count: 'a count',
  score: 'a p-value or distance, 0 to 1 for most tests',
};

/** Drift signals are evaluated per served model version with a reference; the others over the rule's scope. */
export const isDriftSignal = (s: AlertSignal) => s === 'dataset_drift' || s === 'feature_drift';

/** A value or threshold in the signal's unit: ratios as percentages, latency in ms, drift scores as numbers. */
export function signalValue(signal: AlertSignal, v: number | null): string {
  if (v === null) return DASH;
  switch (SIGNALS[signal].unit) {
    case 'ms':
      return ms(v);
    case 'count':
      return count(v);
    case 'score':
      return score(v);
    case 'ratio':
      return percent(v);
  }
}

export const COMPARATOR_TEXT: Record<AlertComparator, string> = {
  '>': 'above',
  '>=': 'at or above',
  '<': 'below',
  '<=': 'at or below',
};

export const VARIANT_TEXT: Record<MonitoringVariant, string> = {
  served: 'Predictions answered to a client (champion, challenger, or logged before deployments)',
  champion: 'Predictions of the champion only',
  challenger: 'Predictions of the challenger only',
  shadow: 'Shadow runs only',
  all: 'Every prediction, shadow runs included',
};

export const NO_DATA_TEXT: Record<NoDataPolicy, string> = {
  ok: 'Counts as the condition not holding: a firing alert resolves',
  keep: 'The alert stays as it is until data comes back',
  alerting: 'Counts as the condition holding',
};

/** The scope a rule or alert covers: "all models", "food-detector", "food-detector v2". */
export function scopeText(model: string | null, version: string | null): string {
  if (model === null) return 'all models';
  return version === null ? model : `${model} v${version}`;
}
