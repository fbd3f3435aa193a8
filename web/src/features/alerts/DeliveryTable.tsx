import type { Delivery } from '@foodlens/contracts';
import { Fragment } from 'react';
import { ScrollBox } from '../../components/ScrollBox';
import { DASH, dateTime } from '../../lib/format';
import { AttemptLog } from './AttemptLog';
import { DetailRow, DetailsToggle, useOpenRows } from './ExpandableRows';
import { DeliveryBadge } from './StateBadge';

const COLUMNS = 8;

/** Deliveries with their attempt log behind a toggle; a rule deleted since shows by its id. */
export function DeliveryTable(props: { deliveries: Delivery[]; ruleNames: ReadonlyMap<string, string> }) {
  const opened = useOpenRows();
  return (
    <ScrollBox label="Deliveries">
      <table className="delivery-table">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Kind</th>
            <th scope="col">Rule</th>
            <th scope="col">URL</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">Attempt log</th>
          </tr>
        </thead>
        <tbody>
          {props.deliveries.map((d) => {
            const expanded = opened.isOpen(d.id);
            const logId = `attempts-${d.id}`;
            const rule = props.ruleNames.get(d.rule_id);
            return (
              <Fragment key={d.id}>
                <tr data-testid={`delivery-${d.id}`}>
                  <td>{dateTime(d.created_at)}</td>
                  <td>{d.kind}</td>
                  <th scope="row">{rule ?? <span className="muted">{d.rule_id} (deleted)</span>}</th>
                  <td className="url-cell">
                    {d.url} <span className="muted small">({d.format})</span>
                  </td>
                  <td>
                    <DeliveryBadge status={d.status} />
                    {d.delivered_at !== null && <span className="muted small"> at {dateTime(d.delivered_at)}</span>}
                    {d.status === 'pending' && d.next_attempt_at !== null && (
                      <span className="muted small"> next try {dateTime(d.next_attempt_at)}</span>
                    )}
                  </td>
                  <td>{d.attempts}</td>
                  <td className="error-cell">{d.last_error ?? DASH}</td>
                  <td>
                    <DetailsToggle
                      expanded={expanded}
                      controls={logId}
                      count={d.attempt_log.length}
                      what={`attempts of the ${d.kind} delivery to ${d.url}`}
                      disabled={d.attempt_log.length === 0}
                      onToggle={() => opened.toggle(d.id)}
                    />
                  </td>
                </tr>
                {expanded && (
                  <DetailRow id={logId} columns={COLUMNS}>
                    <AttemptLog delivery={d} />
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
