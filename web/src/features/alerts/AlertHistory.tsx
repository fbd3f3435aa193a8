import type { Alert } from '@foodlens/contracts';
import { dateTime } from '../../lib/format';
import { HISTORY } from './queries';
import { signalValue } from './signals';
import { StateBadge } from './StateBadge';

/** An alert's state changes, newest first: when, from and to which state, the value then, and whether it notified. */
export function AlertHistory({ alert }: { alert: Alert }) {
  if (alert.history.length === 0) return <p className="muted small">No state changes recorded yet.</p>;
  return (
    <table className="history">
      <caption className="sr-only">State changes of {alert.rule_name}, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Change</th>
          <th scope="col">Value</th>
          <th scope="col">Threshold</th>
          <th scope="col">Notified</th>
        </tr>
      </thead>
      <tbody>
        {alert.history.map((e) => (
          <tr key={e.id}>
            <td>{dateTime(e.at)}</td>
            <td>
              <StateBadge state={e.from} /> → <StateBadge state={e.to} />
            </td>
            <td>{e.value === null ? 'no data' : signalValue(alert.signal, e.value)}</td>
            <td>
              {alert.comparator} {signalValue(alert.signal, e.threshold)}
            </td>
            <td>{e.notified ? 'yes' : 'no'}</td>
          </tr>
        ))}
      </tbody>
      {alert.history.length >= HISTORY && (
        <tfoot>
          <tr>
            <td colSpan={5} className="muted small">
              The newest {HISTORY} changes; all of them at <code>GET /api/v1/mlops/alerts?rule_id={alert.rule_id}&amp;history=200</code>.
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
