import type { Delivery } from '@foodlens/contracts';
import { DASH, dateTime, ms } from '../../lib/format';

/** Each POST of a delivery: when, the receiver's status (none: refused or timed out), the error, how long it took. */
export function AttemptLog({ delivery }: { delivery: Delivery }) {
  return (
    <table className="history">
      <caption className="sr-only">Attempts of the {delivery.kind} delivery to {delivery.url}</caption>
      <thead>
        <tr>
          <th scope="col">Attempt</th>
          <th scope="col">At</th>
          <th scope="col">HTTP status</th>
          <th scope="col">Error</th>
          <th scope="col">Took</th>
        </tr>
      </thead>
      <tbody>
        {delivery.attempt_log.map((a) => (
          <tr key={a.attempt}>
            <td>{a.attempt}</td>
            <td>{dateTime(a.at)}</td>
            <td>{a.status_code ?? 'no answer'}</td>
            <td className="error-cell">{a.error ?? DASH}</td>
            <td>{ms(a.duration_ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
