import type { Alert } from '@foodlens/contracts';
import { Fragment } from 'react';
import { ScrollBox } from '../../components/ScrollBox';
import { DASH, dateTime } from '../../lib/format';
import { AlertHistory } from './AlertHistory';
import { DetailRow, DetailsToggle, useOpenRows } from './ExpandableRows';
import { scopeText, signalValue } from './signals';
import { SeverityBadge, StateBadge } from './StateBadge';

const COLUMNS = 8;

/** Alerts (one per rule and scope), each with its state-change history behind a toggle. */
export function AlertTable({ alerts, label }: { alerts: Alert[]; label: string }) {
  const opened = useOpenRows();
  return (
    <ScrollBox label={label}>
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
            const expanded = opened.isOpen(a.id);
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
                    <DetailsToggle
                      expanded={expanded}
                      controls={historyId}
                      count={a.history.length}
                      what={`history of ${a.rule_name}`}
                      onToggle={() => opened.toggle(a.id)}
                    />
                  </td>
                </tr>
                {expanded && (
                  <DetailRow id={historyId} columns={COLUMNS}>
                    <AlertHistory alert={a} />
                  </DetailRow>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </ScrollBox>
  );
}
