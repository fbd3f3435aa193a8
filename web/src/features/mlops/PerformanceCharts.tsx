import type { PerformanceMonitoring, PerformancePoint } from '@foodlens/contracts';
import { type ReactNode, useMemo } from 'react';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { count, ms } from '../../lib/format';
import { NoPredictions } from './NoPredictions';
import { usePerformance } from './queries';
import { type Line, TimeSeriesChart } from './TimeSeriesChart';

/** One line of a performance chart: how to read it from each point of the series. */
export interface LineSpec extends Omit<Line, 'values'> {
  value: (p: PerformancePoint) => number | null;
}

/**
 * A panel charting GET /api/v1/mlops/monitoring/performance's series, with the shared loading, error and empty states.
 * `lines`, `format`, `band` and `range` must be stable (module level): the chart is rebuilt when they change.
 */
export function PerformanceChartPanel(props: {
  title: string;
  testId: string;
  lines: readonly LineSpec[];
  describe: (data: PerformanceMonitoring) => string;
  format: (v: number) => string;
  band?: readonly [number, number];
  range?: readonly [number, number];
  /** shown above the chart */
  intro?: (data: PerformanceMonitoring) => ReactNode;
}) {
  const query = usePerformance();
  const data = query.data;
  const { lines } = props;
  const series = useMemo(
    () => (data ? { times: data.series.map((p) => p.from), lines: lines.map(({ value, ...l }) => ({ ...l, values: data.series.map(value) })) } : null),
    [data, lines],
  );
  return (
    <Panel title={props.title} testId={props.testId} aside={data && <span className="muted small">per {data.resolution.step}</span>}>
      <SeriesBody query={query}>
        {data && series && (
          <>
            {props.intro?.(data)}
            <TimeSeriesChart description={props.describe(data)} data={series} format={props.format} band={props.band} range={props.range} />
          </>
        )}
      </SeriesBody>
    </Panel>
  );
}

/** Loading, error and empty states of the performance series. */
function SeriesBody(props: { query: ReturnType<typeof usePerformance>; children: ReactNode }) {
  const { query } = props;
  if (query.isPending) return <p>Loading…</p>;
  if (query.isError) return <QueryError what="The performance series" error={query.error} />;
  if (query.data.summary.requests === 0) return <NoPredictions />;
  return props.children;
}

const wholeNumber = (v: number) => (Number.isInteger(v) ? count(v) : '');
const VOLUME: readonly LineSpec[] = [
  { label: 'requests', value: (p) => p.requests, color: '--chart-1' },
  { label: 'errors', value: (p) => p.errors, color: '--error' },
];
const LATENCY: readonly LineSpec[] = [
  { label: 'p50', value: (p) => p.latency_p50_ms, color: '--chart-2' },
  { label: 'p95', value: (p) => p.latency_p95_ms, color: '--chart-3' },
];

/** Requests and errors per bucket. */
export function VolumeChart() {
  return (
    <PerformanceChartPanel
      title="Volume"
      testId="volume-chart"
      lines={VOLUME}
      describe={(d) => `Requests per ${d.resolution.step}: ${count(d.summary.requests)} in total, ${count(d.summary.errors)} errors`}
      format={wholeNumber}
    />
  );
}

/** p50 and p95 latency of successful predictions per bucket. */
export function LatencyChart() {
  return (
    <PerformanceChartPanel
      title="Latency"
      testId="latency-chart"
      lines={LATENCY}
      describe={(d) => `Latency per ${d.resolution.step}: p50 ${ms(d.summary.latency_p50_ms)}, p95 ${ms(d.summary.latency_p95_ms)} over the range`}
      format={ms}
    />
  );
}
