import type { DeploymentState } from '@foodlens/contracts';
import { useId, useState } from 'react';
import { errorDetail } from '../../components/QueryError';
import { describeConfig } from './deployment-draft';
import { useRollback } from './mutations';

/** POST /api/v1/mlops/deployment/rollback after a confirmation that says what comes back. */
export function RollbackControl(props: { model: string; state: DeploymentState; onRolledBack: (s: DeploymentState) => void }) {
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const rollback = useRollback(props.model, (s) => {
    setConfirming(false);
    props.onRolledBack(s);
  });
  const { state } = props;
  const previous = state.history.find((h) => h.revision === state.revision - 1);
  return (
    <section aria-labelledby={id} className="deploy-grid">
      <h3 id={id}>Roll back</h3>
      {state.revision <= 1 ? (
        <p className="muted">There is no earlier revision to roll back to yet: every change you apply can be rolled back.</p>
      ) : !confirming ? (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            Roll back…
          </button>
          <span className="muted small">
            to revision {state.revision - 1}
            {previous ? `: ${describeConfig(previous.config)}` : ''}
          </span>
        </div>
      ) : (
        <div className="confirm" role="group" aria-label="Confirm the roll back">
          <p>
            Apply revision {state.revision - 1} again{previous ? ` (${describeConfig(previous.config)})` : ''}? It becomes revision{' '}
            {state.revision + 1}; its versions are loaded before they take traffic, and a second roll back undoes this one.
          </p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              aria-busy={rollback.isPending}
              disabled={rollback.isPending}
              onClick={() => rollback.mutate()}
            >
              {rollback.isPending ? 'Rolling back…' : `Roll back to revision ${state.revision - 1}`}
            </button>
            <button type="button" className="secondary" disabled={rollback.isPending} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {rollback.isError && (
        <p role="alert" className="error">
          The roll back failed. {errorDetail(rollback.error)}
        </p>
      )}
    </section>
  );
}
