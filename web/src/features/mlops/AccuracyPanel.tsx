import { count, percent } from '../../lib/format';
import { type LineSpec, PerformanceChartPanel } from './PerformanceCharts';

const CALIBRATION: Record<string, string> = {
  calibrated: 'calibrated on feedback',
  too_few_pairs: 'raw confidence: too little feedback to calibrate',
  no_improvement: 'raw confidence: calibration did not help',
  single_class: 'raw confidence: feedback is all right or all wrong',
};
const BAND = [1, 2] as const;
const UNIT = [0, 1] as const;
const wholePercent = (v: number) => percent(v, 0);

const LINES: readonly LineSpec[] = [
  { label: 'estimated', value: (p) => p.estimated_accuracy.value, color: '--chart-1' },
  { label: 'upper', value: (p) => p.estimated_accuracy.upper, color: '--band-edge', dash: [4, 4] },
  { label: 'lower', value: (p) => p.estimated_accuracy.lower, color: '--band-edge', dash: [4, 4] },
  { label: 'realised', value: (p) => p.realised_accuracy.value, color: '--chart-3' },
];

/** Label-free estimated accuracy (CBPE, with its ±3σ band) beside the accuracy realised from ground-truth feedback. */
export function AccuracyPanel() {
  return (
    <PerformanceChartPanel
      title="Estimated vs realised accuracy"
      testId="accuracy"
      lines={LINES}
      band={BAND}
      range={UNIT}
      format={wholePercent}
      describe={({ summary: s }) => `Estimated accuracy ${percent(s.estimated_accuracy.value)}, realised ${percent(s.realised_accuracy.value)}`}
      intro={({ summary: s, calibration }) => (
        <p className="muted">
          Estimated {percent(s.estimated_accuracy.value)} (band {percent(s.estimated_accuracy.lower)}–
          {percent(s.estimated_accuracy.upper)}; {CALIBRATION[calibration.reason] ?? calibration.reason}) · realised{' '}
          {s.realised_accuracy.labelled > 0
            ? `${percent(s.realised_accuracy.value)} of ${count(s.realised_accuracy.labelled)} with feedback`
            : '— (no feedback yet: POST /api/v1/predictions/{id}/feedback)'}
        </p>
      )}
    />
  );
}
