import { useMemo } from 'react';
import { QueryError } from '../../components/QueryError';
import { useMetricHistories } from './queries';
import { StepChart, type ChartSeries } from './StepChart';

/** One metric, one line per run (the legend names the runs); runs that never logged it are left out and named below. */
export function OverlaidMetricChart(props: { metricKey: string; runs: { id: string; label: string }[] }) {
  const ids = useMemo(() => props.runs.map((r) => r.id), [props.runs]);
  const h = useMetricHistories(ids, props.metricKey);
  const series = useMemo<ChartSeries[]>(
    () =>
      props.runs.flatMap((r, i) => {
        const points = h.series[i]?.points ?? [];
        return points.length > 0 ? [{ label: r.label, points }] : [];
      }),
    [h.series, props.runs],
  );
  const missing = props.runs.filter((_r, i) => h.series[i] !== undefined && h.series[i].points.length === 0);
  return (
    <section className="metric-chart" aria-label={`${props.metricKey} by run`} data-testid={`compare-chart-${props.metricKey}`}>
      <h3>{props.metricKey}</h3>
      {h.pending ? (
        <p className="loading">Loading histories…</p>
      ) : h.error ? (
        <QueryError what={`The history of ${props.metricKey}`} error={h.error} />
      ) : series.length === 0 ? (
        <p className="empty">No run logged points for {props.metricKey}.</p>
      ) : (
        <StepChart
          series={series}
          description={`${props.metricKey} over steps for ${series.map((s) => `${s.label} (${s.points.length} points)`).join(', ')}.`}
        />
      )}
      {missing.length > 0 && <p className="muted small">Not logged by {missing.map((r) => r.label).join(', ')}.</p>}
    </section>
  );
}
