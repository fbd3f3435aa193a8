import { useState } from 'react';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { ShowMore } from '../../components/ShowMore';
import { AlertTable } from './AlertTable';
import { useAlerts, useCurrentAlerts } from './queries';

const PAGE = 25;

/**
 * GET /api/v1/mlops/alerts?scope=recent: the alerts whose state changed in the last 7 days, less those already under
 * Current alerts.
 */
export function RecentAlertsPanel({ refetchInterval }: { refetchInterval: number | false }) {
  const [limit, setLimit] = useState(PAGE);
  const current = useCurrentAlerts(refetchInterval);
  const query = useAlerts('recent', limit, refetchInterval);
  const shownAbove = new Set(current.data?.alerts.map((a) => a.id));
  const page = query.data?.alerts.slice(0, limit) ?? [];
  const alerts = page.filter((a) => !shownAbove.has(a.id));
  return (
    <Panel title="Recent alerts (last 7 days)" testId="recent-alerts">
      {query.isPending && <p>Loading…</p>}
      {query.isError && <QueryError what="The recent alerts" error={query.error} />}
      {query.data && alerts.length === 0 && (
        <p className="empty">No other alert changed state in the last 7 days: resolved alerts stay listed here for a week.</p>
      )}
      {alerts.length > 0 && <AlertTable alerts={alerts} label="Recent alerts" />}
      <ShowMore shown={limit} more={(query.data?.alerts.length ?? 0) > limit} noun="alerts" onMore={() => setLimit(limit + PAGE)} />
    </Panel>
  );
}
