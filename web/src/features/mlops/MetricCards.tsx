import type { UseQueryResult } from '@tanstack/react-query';
import { errorDetail } from '../../components/QueryError';
import { count, ms, percent } from '../../lib/format';
import { useConfidence, usePerformance, usePredictionSummary } from './queries';

function MetricCard<T>(props: { label: string; testId: string; query: UseQueryResult<T>; value: (d: T) => string; sub: (d: T) => string }) {
  const { query } = props;
  return (
    <div className="metric card" data-testid={props.testId}>
      <span className="metric-label">{props.label}</span>
      <strong className="metric-value">{query.isPending ? '…' : query.isError ? '!' : props.value(query.data)}</strong>
      <span className="metric-sub">
        {query.isError ? <span className="error">{errorDetail(query.error)}</span> : query.data ? props.sub(query.data) : ' '}
      </span>
    </div>
  );
}

export function MetricCards() {
  const summary = usePredictionSummary();
  const confidence = useConfidence();
  const performance = usePerformance();
  return (
    <div className="metrics">
      <MetricCard
        label="Total predictions"
        testId="metric-total-predictions"
        query={summary}
        value={(d) => count(d.totals.requests)}
        sub={(d) => `${count(d.totals.no_food)} found no food`}
      />
      <MetricCard
        label="Average confidence"
        testId="metric-average-confidence"
        query={confidence}
        value={(d) => percent(d.mean)}
        sub={(d) => `over ${count(d.count)} with a food`}
      />
      <MetricCard
        label="Unique users"
        testId="metric-unique-users"
        query={summary}
        // HyperLogLog estimate: exact for small counts, about ±1.6% beyond
        value={(d) => count(d.users.distinct_estimate)}
        sub={(d) => `estimated · ${count(d.totals.anonymous)} anonymous requests`}
      />
      <MetricCard
        label="Error rate"
        testId="metric-error-rate"
        query={summary}
        value={(d) => percent(d.totals.error_rate)}
        sub={(d) => `${count(d.totals.errors)} failed`}
      />
      <MetricCard
        label="p95 latency"
        testId="metric-p95-latency"
        query={performance}
        value={(d) => ms(d.summary.latency_p95_ms)}
        sub={(d) => `p50 ${ms(d.summary.latency_p50_ms)}`}
      />
    </div>
  );
}
