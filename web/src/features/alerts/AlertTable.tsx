import type { Alert } from '@foodlens/contracts';
import { Fragment, useState } from 'react';
import { DASH, dateTime } from '../../lib/format';
import { AlertHistory } from './AlertHistory';
import { scopeText, signalValue } from './signals';
import { SeverityBadge, StateBadge } from './StateBadge';

const COLUMNS = 8;

/** Alerts (one per rule and scope), each with its state-change history behind a toggle. */
export function AlertTable({ alerts }: { alerts: Alert[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => {
    const next = new Set(open);
    if (!next.delete(id)) next.add(id);
    setOpen(next);
  };
  return (
    <div className="table-scroll">
      <table className="alert-table">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">State</th>
            <th scope="col">Severity</th>
            <th scope="col">Value</th>
            <th scope="col">Condition</th>
            <th scope="col">Since</th>
            <th scope="col">Last notified</th>
            <th scope="col">History</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => {
            const expanded = open.has(a.id);
            const historyId = `history-${a.id}`;
            return (
              <Fragment key={a.id}>
                <tr data-testid={`alert-${a.rule_id}`}>
                  <th scope="row">
                    {a.rule_name}
                    <span className="muted small"> · {scopeText(a.model, a.version)}</span>
                    {a.muted && <span className="badge muted-badge">muted</span>}
                  </th>
                  <td>
                    <StateBadge state={a.state} />
                  </td>
                  <td>
                    <SeverityBadge severity={a.severity} />
                  </td>
                  <td>{a.value === null ? 'no data' : signalValue(a.signal, a.value)}</td>
                  <td>
                    {a.feature && <code>{a.feature} </code>}
                    {a.comparator} {signalValue(a.signal, a.threshold)} over {a.window}
                  </td>
                  <td>{dateTime(a.active_since ?? a.since)}</td>
                  <td>{a.last_notified_at === null ? DASH : dateTime(a.last_notified_at)}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary small-button"
                      aria-expanded={expanded}
                      aria-controls={historyId}
                      onClick={() => toggle(a.id)}
                    >
                      {expanded ? 'Hide' : 'Show'} ({a.history.length})<span className="sr-only"> history of {a.rule_name}</span>
                    </button>
                  </td>
                </tr>
                {expanded && (
                  <tr id={historyId} className="detail-row">
                    <td colSpan={COLUMNS}>
                      <AlertHistory alert={a} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
