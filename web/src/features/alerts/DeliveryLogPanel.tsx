import { DeliveryStatus } from '@foodlens/contracts';
import { useId, useState } from 'react';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { ShowMore } from '../../components/ShowMore';
import { DeliveryTable } from './DeliveryTable';
import { useDeliveries, useRules } from './queries';

const PAGE = 25;

/** GET /api/v1/mlops/alerts/deliveries: the webhook deliveries, newest first, filtered by status. */
export function DeliveryLogPanel(props: {
  refetchInterval: number | false;
  status: DeliveryStatus | undefined;
  onStatus: (s: DeliveryStatus | undefined) => void;
}) {
  const id = useId();
  const [limit, setLimit] = useState(PAGE);
  const query = useDeliveries(props.status, limit, props.refetchInterval);
  const rules = useRules(props.refetchInterval);
  const names = new Map(rules.data?.rules.map((r) => [r.id, r.name]));
  const rows = query.data?.deliveries.slice(0, limit) ?? [];
  return (
    <Panel
      title="Delivery log"
      testId="delivery-log"
      aside={
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={props.status ?? ''}
            onChange={(e) => {
              setLimit(PAGE);
              props.onStatus(e.target.value === '' ? undefined : (e.target.value as DeliveryStatus));
            }}
          >
            <option value="">All statuses</option>
            {DeliveryStatus.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      }
    >
      {query.isPending && <p>Loading…</p>}
      {query.isError && <QueryError what="The delivery log" error={query.error} />}
      {query.data && rows.length === 0 && (
        <p className="empty">
          {props.status
            ? `No ${props.status} deliveries.`
            : 'No deliveries yet: a notification is queued when an alert fires, repeats or resolves, for each webhook of its rule (or FOODLENS_ALERT_WEBHOOKS). Send test on a rule queues one now.'}
        </p>
      )}
      {rows.length > 0 && <DeliveryTable deliveries={rows} ruleNames={names} />}
      <ShowMore shown={limit} more={(query.data?.deliveries.length ?? 0) > limit} noun="deliveries" onMore={() => setLimit(limit + PAGE)} />
    </Panel>
  );
}
