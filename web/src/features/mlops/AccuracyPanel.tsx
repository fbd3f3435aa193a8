import { useMemo } from 'react';
import { Panel } from '../../components/Panel';
import { count, percent } from '../../lib/format';
import { SeriesBody, StepNote } from './PerformanceCharts';
import { usePerformance } from './queries';
import { type SeriesData, TimeSeriesChart } from './TimeSeriesChart';

const CALIBRATION: Record<string, string> = {
  calibrated: 'calibrated on feedback',
  too_few_pairs: 'raw confidence: too little feedback to calibrate',
  no_improvement: 'raw confidence: calibration did not help',
  single_class: 'raw confidence: feedback is all right or all wrong',
};
const BAND = [1, 2] as const;
const UNIT = [0, 1] as const;
const wholePercent = (v: number) => percent(v, 0);

/** Label-free estimated accuracy (CBPE, with its ±3σ band) beside the accuracy realised from ground-truth feedback. */
export function AccuracyPanel() {
  const query = usePerformance();
  const data = query.data;
  const series = useMemo<SeriesData | null>(
    () =>
      data ? {
        times: data.series.map((p) => p.from),
        lines: [
          { label: 'estimated', values: data.series.map((p) => p.estimated_accuracy.value), color: '--chart-1' },
          { label: 'upper', values: data.series.map((p) => p.estimated_accuracy.upper), color: '--band-edge', dash: [4, 4] },
          { label: 'lower', values: data.series.map((p) => p.estimated_accuracy.lower), color: '--band-edge', dash: [4, 4] },
          { label: 'realised', values: data.series.map((p) => p.realised_accuracy.value), color: '--chart-3' },
        ],
      } : null,
    [data],
  );
  const s = data?.summary;
  return (
    <Panel title="Estimated vs realised accuracy" testId="accuracy" aside={data && <StepNote data={data} />}>
      <SeriesBody query={query}>
        {data && s && series && (
          <>
            <p className="muted">
              Estimated {percent(s.estimated_accuracy.value)} (band {percent(s.estimated_accuracy.lower)}–
              {percent(s.estimated_accuracy.upper)}; {CALIBRATION[data.calibration.reason] ?? data.calibration.reason}) ·
              realised{' '}
              {s.realised_accuracy.labelled > 0
                ? `${percent(s.realised_accuracy.value)} of ${count(s.realised_accuracy.labelled)} with feedback`
                : '— (no feedback yet: POST /api/v1/predictions/{id}/feedback)'}
            </p>
            <TimeSeriesChart
              description={`Estimated accuracy ${percent(s.estimated_accuracy.value)}, realised ${percent(s.realised_accuracy.value)}`}
              data={series}
              band={BAND}
              range={UNIT}
              format={wholePercent}
            />
          </>
        )}
      </SeriesBody>
    </Panel>
  );
}
