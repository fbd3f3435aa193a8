import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { ScrollBox } from '../../components/ScrollBox';
import { ApiError } from '../../lib/api';
import { dateTime } from '../../lib/format';
import { signalValue } from '../alerts/signals';
import { useCurrentAlerts } from './queries';

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
        <ScrollBox label="Firing and pending alerts">
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
                  <td>{signalValue(a.signal, a.value)}</td>
                  <td>
                    {a.comparator} {signalValue(a.signal, a.threshold)}
                  </td>
                  <td>{dateTime(a.active_since ?? a.since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </Panel>
  );
}
