import type { DeploymentState } from '@foodlens/contracts';
import type { Ref } from 'react';
import { errorDetail } from '../../components/QueryError';
import { describeConfig, promoted } from './deployment-draft';
import { useApplyDeployment } from './mutations';

/** Promote = make the version champion through the deployment (PUT), saying first what happens to the old one. */
export function PromoteConfirm(props: {
  ref?: Ref<HTMLDivElement>;
  model: string;
  version: string;
  deployment: DeploymentState | null;
  onDone: (state: DeploymentState | null) => void;
}) {
  const { model, version, deployment } = props;
  const apply = useApplyDeployment(model, props.onDone);
  const current = deployment?.config ?? null;
  const next = promoted(current, version);
  const wasChallenger = current?.challengers.some((c) => c.version === version) ?? false;
  const wasShadow = current?.shadow?.version === version;
  return (
    <div className="confirm" ref={props.ref} tabIndex={-1} role="group" aria-label={`Promote v${version}`} data-testid="promote-confirm">
      <p>
        <strong>Make v{version} the champion of {model}?</strong>
      </p>
      {current ? (
        <p>
          v{version} will answer every request not routed to a challenger
          {wasChallenger ? ' (it leaves the challengers)' : ''}
          {wasShadow ? ' and the shadow is turned off, as it shadowed v' + version : ''}. v{current.champion}, the current champion,
          stops taking traffic and is unloaded once its in-flight requests finish; it stays registered, and Roll back brings it
          back. New deployment: {describeConfig(next)}.
        </p>
      ) : (
        <p>
          {model} is not deployed yet: this creates its first deployment with v{version} as champion, and requests naming{' '}
          <code>?model={model}</code> are then answered by it.
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          aria-busy={apply.isPending}
          disabled={apply.isPending}
          onClick={() => apply.mutate({ config: next, comment: `promoted v${version} from the web app` })}
        >
          {apply.isPending ? `Promoting… loading v${version}` : `Promote v${version}`}
        </button>
        <button type="button" className="secondary" disabled={apply.isPending} onClick={() => props.onDone(null)}>
          Cancel
        </button>
      </div>
      {apply.isError && (
        <p role="alert" className="error">
          v{version} was not promoted. {errorDetail(apply.error)}
        </p>
      )}
    </div>
  );
}
