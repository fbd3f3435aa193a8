import type { RegisteredModelVersion } from '@foodlens/contracts';
import { Link, useLocation, useParams } from 'react-router';
import { QueryError } from '../../components/QueryError';
import { ApiError } from '../../lib/api';
import { ComparePanel } from './ComparePanel';
import { DeploymentPanel } from './DeploymentPanel';
import { ModelSummary } from './ModelSummary';
import { isDeployed, useDeployment, useModelVersions, useRegisteredModel, useServingVersions } from './queries';
import { RegisteredNotice } from './RegisteredNotice';
import { VersionsPanel } from './VersionsPanel';
import './models.css';

/** /models/:name: the model's versions (stages, aliases, serving), its deployment, and versions side by side. */
export function ModelPage() {
  const name = useParams().name ?? '';
  const registered = (useLocation().state as { registered?: RegisteredModelVersion } | null)?.registered;
  const model = useRegisteredModel(name);
  const versions = useModelVersions(name);
  const serving = useServingVersions(name);
  const entries = serving.data?.model_versions ?? [];
  const deployed = isDeployed(entries);
  const deployment = useDeployment(name, deployed);

  if (model.isError && model.error instanceof ApiError && model.error.status === 404) {
    return (
      <section className="card">
        <h1>{name}</h1>
        <p className="empty">
          No registered model is named <code>{name}</code>. See <Link to="/models">every model</Link>, or{' '}
          <Link to={`/models?register&name=${encodeURIComponent(name)}`}>register one under this name</Link>.
        </p>
      </section>
    );
  }
  const list = versions.data?.model_versions ?? [];
  return (
    <div className="models-page">
      <nav aria-label="Breadcrumb" className="small">
        <Link to="/models">Models</Link> / <span aria-current="page">{name}</span>
      </nav>
      {model.isPending && (
        <>
          <h1>{name}</h1>
          <p className="loading">Loading the model…</p>
        </>
      )}
      {model.isError && (
        <>
          <h1>{name}</h1>
          <QueryError what="The registered model" error={model.error} />
        </>
      )}
      {model.data && <ModelSummary model={model.data} entries={entries} />}
      {registered && registered.name === name && <RegisteredNotice registered={registered} deployed={deployed} />}
      <VersionsPanel
        model={name}
        versions={versions}
        serving={serving}
        deployment={deployed ? (deployment.data ?? null) : null}
      />
      <DeploymentPanel
        model={name}
        entries={entries}
        servingLoaded={serving.isSuccess}
        deployed={deployed}
        deployment={deployment}
        championAlias={model.data?.aliases.find((a) => a.alias === 'champion')?.version ?? null}
      />
      <ComparePanel model={name} versions={list.map((v) => v.version)} entries={entries} />
    </div>
  );
}
