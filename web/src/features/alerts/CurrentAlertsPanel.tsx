import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { AlertTable } from './AlertTable';
import { CURRENT_LIMIT, useCurrentAlerts } from './queries';

/** GET /api/v1/mlops/alerts?scope=current: what is firing or about to (pending), worst first. */
export function CurrentAlertsPanel({ refetchInterval }: { refetchInterval: number | false }) {
  const query = useCurrentAlerts(refetchInterval);
  const data = query.data;
  const interval = data?.evaluator.interval_ms ?? 0;
  return (
    <Panel
      title="Current alerts"
      testId="current-alerts"
      aside={
        data && (
          <span className="muted small" data-testid="current-counts">
            {data.firing} firing · {data.pending} pending
          </span>
        )
      }
    >
      {query.isPending && <p>Loading…</p>}
      {query.isError && <QueryError what="The current alerts" error={query.error} />}
      {data && data.alerts.length === 0 && (
        <p className="empty">
          Nothing is firing or pending.{' '}
          {interval > 0 ? `Rules are checked every ${interval / 1000} s` : 'Rules are checked only on demand (FOODLENS_ALERT_INTERVAL_S=0)'};
          Evaluate now checks them at once.
        </p>
      )}
      {data && data.alerts.length > 0 && <AlertTable alerts={data.alerts.slice(0, CURRENT_LIMIT)} label="Current alerts" />}
      {data && data.alerts.length > CURRENT_LIMIT && (
        <p className="muted small">
          The {CURRENT_LIMIT} worst of {data.firing + data.pending} are shown; all at{' '}
          <code>GET /api/v1/mlops/alerts?scope=current&amp;limit=1000</code>.
        </p>
      )}
    </Panel>
  );
}
