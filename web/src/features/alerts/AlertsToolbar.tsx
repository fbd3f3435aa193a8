import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorDetail } from '../../components/QueryError';
import { clock } from '../../lib/format';
import { useLastUpdated } from '../../lib/useLastUpdated';
import { evaluateNow } from './api';
import { ALERTS_KEY, REFRESH_MS, useAlertsMutation } from './queries';

/** Auto-refresh, Refresh, Evaluate now (POST /api/v1/mlops/alerts/evaluate, then everything is refetched) and when the page last heard from the server. */
export function AlertsToolbar(props: { autoRefresh: boolean; onAutoRefresh: (on: boolean) => void }) {
  const client = useQueryClient();
  const fetching = useIsFetching({ queryKey: [ALERTS_KEY] }) > 0;
  const updated = useLastUpdated(ALERTS_KEY);
  const evaluate = useAlertsMutation(evaluateNow);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const run = () =>
    evaluate.mutate(undefined, {
      onSuccess: ({ evaluated: e }) =>
        setResult({
          ok: true,
          text: e
            ? `Evaluated ${e.rules} rule${e.rules === 1 ? '' : 's'} (${e.instances} scope${e.instances === 1 ? '' : 's'}): ${e.transitions} state change${e.transitions === 1 ? '' : 's'}, ${e.notifications} notification${e.notifications === 1 ? '' : 's'} queued${e.failed_rules ? `, ${e.failed_rules} rule${e.failed_rules === 1 ? '' : 's'} failed (see Evaluator)` : ''}.`
            : 'Not evaluated here: another instance holds the evaluator lease and evaluates on its own schedule.',
        }),
      onError: (err) => setResult({ ok: false, text: errorDetail(err) }),
    });
  return (
    <div className="toolbar">
      <label className="check">
        <input type="checkbox" checked={props.autoRefresh} onChange={(e) => props.onAutoRefresh(e.target.checked)} />
        Auto-refresh every {REFRESH_MS / 1000} s
      </label>
      <button
        type="button"
        className="secondary"
        aria-busy={fetching}
        onClick={() => void client.refetchQueries({ queryKey: [ALERTS_KEY], type: 'active' })}
      >
        Refresh
      </button>
      <button type="button" aria-busy={evaluate.isPending} disabled={evaluate.isPending} onClick={run}>
        {evaluate.isPending ? 'Evaluating…' : 'Evaluate now'}
      </button>
      <span className="updated" data-testid="updated">
        {updated ? `updated ${clock(updated)}` : 'not updated yet'}
        {fetching && ' · refreshing…'}
      </span>
      <p role="status" className={`toolbar-result small ${result && !result.ok ? 'error' : 'muted'}`} data-testid="evaluate-result">
        {result?.text}
      </p>
    </div>
  );
}
