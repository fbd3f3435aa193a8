import { useMemo } from 'react';
import { QueryError } from '../../components/QueryError';
import { count } from '../../lib/format';
import { metricValue } from './format';
import { useMetricHistory } from './queries';
import { StepChart, type ChartSeries } from './StepChart';

/** One metric of one run over its steps: every point of GET /api/v1/mlops/metrics/history, all pages. */
export function MetricHistoryChart(props: { runId: string; runName: string; metricKey: string }) {
  const q = useMetricHistory(props.runId, props.metricKey);
  const series = useMemo<ChartSeries[]>(() => (q.data ? [{ label: props.runName, points: q.data.points }] : []), [q.data, props.runName]);
  const points = q.data?.points ?? [];
  const last = points.at(-1);
  return (
    <section className="metric-chart" aria-label={`${props.metricKey} history`} data-testid={`metric-chart-${props.metricKey}`}>
      <h3>{props.metricKey}</h3>
      {q.isPending ? (
        <p className="loading">Loading history…</p>
      ) : q.isError ? (
        <QueryError what={`The history of ${props.metricKey}`} error={q.error} />
      ) : points.length === 0 ? (
        <p className="empty">No points logged for {props.metricKey}.</p>
      ) : (
        <>
          <StepChart
            series={series}
            description={`${props.metricKey} of ${props.runName}: ${points.length} points, steps ${points[0]!.step} to ${last!.step}, last value ${metricValue(last!.value)}.`}
          />
          <p className="muted small">
            {count(points.length)} points
            {q.data.truncated && ' (stopped reading after a million points)'}
          </p>
        </>
      )}
    </section>
  );
}
