import type { UseQueryResult } from '@tanstack/react-query';
import type { DeploymentState, ModelVersionEntry } from '@foodlens/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { describeConfig } from './deployment-draft';
import { DeploymentEditor } from './DeploymentEditor';
import { DeploymentHistory } from './DeploymentHistory';
import { DeploymentStatus } from './DeploymentStatus';
import { RollbackControl } from './RollbackControl';

/** How the model is served (GET /api/v1/mlops/deployment), changed with PUT, undone with rollback. */
export function DeploymentPanel(props: {
  model: string;
  entries: readonly ModelVersionEntry[];
  servingLoaded: boolean;
  deployed: boolean;
  deployment: UseQueryResult<DeploymentState>;
  championAlias: string | null;
}) {
  const { model, deployment } = props;
  // the outcome of the last change, shown while that revision is the one serving
  const [message, setMessage] = useState<{ text: string; revision: number } | null>(null);
  const servable = props.entries
    .filter((e) => e.flavor !== null && e.status === 'READY')
    .map((e) => e.version)
    .sort((a, b) => Number(b) - Number(a));
  const done = (verb: string) => (s: DeploymentState) =>
    setMessage({ text: `${verb}: revision ${s.revision} serves ${describeConfig(s.config)}.`, revision: s.revision });

  const body = () => {
    if (!props.servingLoaded) return <p className="loading">Loading…</p>;
    if (servable.length === 0) {
      return (
        <p className="empty">
          No version of {model} can be served (none is a registered ONNX or TF.js model).{' '}
          <Link to={`/models?register&name=${encodeURIComponent(model)}`}>Register a model file</Link> as a new version first.
        </p>
      );
    }
    if (!props.deployed) {
      return (
        <>
          <p className="empty">
            {model} is not deployed: requests naming it (<code>?model={model}</code>) answer 404. Pick a champion and Apply
            to serve it, or Promote a version above.
          </p>
          <DeploymentEditor
            key="first"
            model={model}
            initial={null}
            defaultChampion={props.championAlias && servable.includes(props.championAlias) ? props.championAlias : servable[0]!}
            versions={servable}
            onApplied={done('Deployed')}
          />
        </>
      );
    }
    if (deployment.isPending) return <p className="loading">Loading the deployment…</p>;
    if (deployment.isError) return <QueryError what="The deployment" error={deployment.error} />;
    const state = deployment.data;
    return (
      <>
        <DeploymentStatus state={state} />
        <DeploymentEditor
          key={state.revision}
          model={model}
          initial={state.config}
          defaultChampion={state.config.champion}
          versions={servable}
          onApplied={done('Applied')}
        />
        <RollbackControl model={model} state={state} onRolledBack={done('Rolled back')} />
        <DeploymentHistory state={state} />
      </>
    );
  };

  return (
    <Panel title="Deployment" testId="deployment">
      {message && deployment.data?.revision === message.revision && (
        <p className="notice" role="status">
          {message.text}
        </p>
      )}
      {body()}
    </Panel>
  );
}
