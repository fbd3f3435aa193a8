import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { count, DASH, dateTime, ms } from '../../lib/format';
import { useCurrentAlerts } from './queries';

/**
 * The evaluator's status, as GET /api/v1/mlops/alerts reports it: only the instance holding the store's `alerts` lease
 * evaluates rules and sends webhooks; the times are this instance's.
 */
export function EvaluatorPanel(props: { refetchInterval: number | false; onShowFailed: () => void }) {
  const query = useCurrentAlerts(props.refetchInterval);
  const e = query.data?.evaluator;
  return (
    <Panel
      title="Evaluator"
      testId="evaluator"
      aside={e && <span className={`badge ${e.is_evaluator ? 'ok' : 'info'}`}>{e.is_evaluator ? 'this instance evaluates' : 'another instance evaluates'}</span>}
    >
      {query.isPending && <p>Loading…</p>}
      {query.isError && <QueryError what="The evaluator status" error={query.error} />}
      {e && (
        <dl className="facts">
          <dt>This instance</dt>
          <dd>
            <code>{e.this_instance}</code>
          </dd>
          <dt>Lease holder</dt>
          <dd>{e.holder === null ? 'none: no instance holds the alerts lease (alerting is off everywhere, or starting)' : <code>{e.holder}</code>}</dd>
          <dt>Interval</dt>
          <dd>{e.interval_ms > 0 ? `every ${e.interval_ms / 1000} s` : 'off on this instance (FOODLENS_ALERT_INTERVAL_S=0)'}</dd>
          <dt>Last evaluation</dt>
          <dd data-testid="last-evaluation">
            {e.last_evaluation_at === null
              ? `${DASH} (not on this instance yet)`
              : `${dateTime(e.last_evaluation_at)}, took ${ms(e.last_duration_ms)} · ${count(e.evaluations)} since start`}
          </dd>
          <dt>Last error</dt>
          <dd className={e.last_error ? 'error' : undefined}>{e.last_error ?? 'none'}</dd>
          <dt>Deliveries</dt>
          <dd>
            {count(e.pending_deliveries)} pending ·{' '}
            {e.failed_deliveries > 0 ? (
              <button type="button" className="link-button error" onClick={props.onShowFailed}>
                {count(e.failed_deliveries)} failed: show them
              </button>
            ) : (
              '0 failed'
            )}
          </dd>
        </dl>
      )}
    </Panel>
  );
}
