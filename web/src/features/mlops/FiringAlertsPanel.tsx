import type { Alert } from '@foodlens/contracts';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { ApiError } from '../../lib/api';
import { count, dateTime, DASH, ms, percent, score } from '../../lib/format';
import { useCurrentAlerts } from './queries';

/** Values in the signal's own unit: rates and shares as percentages, latency in ms, drift scores as numbers. */
function signalValue(a: Alert, v: number | null): string {
  if (v === null) return DASH;
  switch (a.signal) {
    case 'latency_p95':
      return ms(v);
    case 'log_drops':
    case 'request_volume':
      return count(v);
    case 'feature_drift':
      return score(v);
    default:
      return percent(v);
  }
}

/** GET /api/v1/mlops/alerts?scope=current: pending and firing alerts, worst first. */
export function FiringAlertsPanel() {
  const query = useCurrentAlerts();
  const data = query.data;
  return (
    <Panel
      title="Firing alerts"
      testId="firing-alerts"
      aside={data && <span className="muted small">{data.firing} firing · {data.pending} pending</span>}
    >
      {query.isPending && <p>Loading…</p>}
      {query.isError &&
        (query.error instanceof ApiError && query.error.status === 404 ? (
          <p className="empty">Alerts are not available on this server yet.</p>
        ) : (
          <QueryError what="Alerts" error={query.error} />
        ))}
      {data && data.alerts.length === 0 && <p className="empty">No alerts firing or pending.</p>}
      {data && data.alerts.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Severity</th>
                <th scope="col">State</th>
                <th scope="col">Value</th>
                <th scope="col">Threshold</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {data.alerts.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    {a.rule_name}
                    {a.model && <span className="muted"> · {a.model}{a.version ? ` v${a.version}` : ''}</span>}
                  </th>
                  <td>
                    <span className={`badge ${a.severity}`}>{a.severity}</span>
                  </td>
                  <td>{a.state}</td>
                  <td>{signalValue(a, a.value)}</td>
                  <td>
                    {a.comparator} {signalValue(a, a.threshold)}
                  </td>
                  <td>{dateTime(a.active_since ?? a.since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
