import type { PerformanceMonitoring } from '@foodlens/contracts';
import { type ReactNode, useMemo } from 'react';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { count, ms } from '../../lib/format';
import { NoPredictions } from './NoPredictions';
import { usePerformance } from './queries';
import { type SeriesData, TimeSeriesChart } from './TimeSeriesChart';

const wholeNumber = (v: number) => (Number.isInteger(v) ? count(v) : '');

/** Requests and errors per bucket of GET /api/v1/mlops/monitoring/performance's series. */
export function VolumeChart() {
  const query = usePerformance();
  const data = query.data;
  const series = useMemo<SeriesData | null>(
    () =>
      data ? {
        times: data.series.map((p) => p.from),
        lines: [
          { label: 'requests', values: data.series.map((p) => p.requests), color: '--chart-1' },
          { label: 'errors', values: data.series.map((p) => p.errors), color: '--error' },
        ],
      } : null,
    [data],
  );
  return (
    <Panel title="Volume" testId="volume-chart" aside={data && <StepNote data={data} />}>
      <SeriesBody query={query}>
        {data && series && (
          <TimeSeriesChart
            description={`Requests per ${data.resolution.step}: ${count(data.summary.requests)} in total, ${count(data.summary.errors)} errors`}
            data={series}
            format={wholeNumber}
          />
        )}
      </SeriesBody>
    </Panel>
  );
}

/** p50 and p95 latency of successful predictions per bucket. */
export function LatencyChart() {
  const query = usePerformance();
  const data = query.data;
  const series = useMemo<SeriesData | null>(
    () =>
      data ? {
        times: data.series.map((p) => p.from),
        lines: [
          { label: 'p50', values: data.series.map((p) => p.latency_p50_ms), color: '--chart-2' },
          { label: 'p95', values: data.series.map((p) => p.latency_p95_ms), color: '--chart-3' },
        ],
      } : null,
    [data],
  );
  return (
    <Panel title="Latency" testId="latency-chart" aside={data && <StepNote data={data} />}>
      <SeriesBody query={query}>
        {data && series && (
          <TimeSeriesChart
            description={`Latency per ${data.resolution.step}: p50 ${ms(data.summary.latency_p50_ms)}, p95 ${ms(data.summary.latency_p95_ms)} over the range`}
            data={series}
            format={ms}
          />
        )}
      </SeriesBody>
    </Panel>
  );
}

export function StepNote({ data }: { data: PerformanceMonitoring }) {
  return <span className="muted small">per {data.resolution.step}</span>;
}

/** Loading, error and empty states shared by the charts of the performance series. */
export function SeriesBody(props: { query: ReturnType<typeof usePerformance>; children: ReactNode }) {
  const { query } = props;
  if (query.isPending) return <p>Loading…</p>;
  if (query.isError) return <QueryError what="The performance series" error={query.error} />;
  if (query.data.summary.requests === 0) return <NoPredictions />;
  return props.children;
}
