import type { UseQueryResult } from '@tanstack/react-query';
import type { DeploymentState, ModelVersionEntry, ModelVersionList } from '@foodlens/contracts';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { Panel } from '../../components/Panel';
import { errorDetail, QueryError } from '../../components/QueryError';
import { ScrollBox } from '../../components/ScrollBox';
import { AliasForm } from './AliasForm';
import type { ModelVersionSearch } from './api';
import { useDeleteAlias, useSetAlias, useTransitionStage } from './mutations';
import { PromoteConfirm } from './PromoteConfirm';
import { VERSIONS_SHOWN } from './queries';
import { VersionRow } from './VersionRow';

/** The versions table (registry facts from MLflow, serving facts from /api/v1/mlops/model-versions) with the registry
 * actions: stage, aliases, promote. */
export function VersionsPanel(props: {
  model: string;
  versions: UseQueryResult<ModelVersionSearch>;
  serving: UseQueryResult<ModelVersionList>;
  /** the live deployment; null when the model is not deployed */
  deployment: DeploymentState | null;
}) {
  const { model, versions, serving } = props;
  const setAlias = useSetAlias(model);
  const deleteAlias = useDeleteAlias(model);
  const stage = useTransitionStage(model);
  const [promote, setPromote] = useState<string | null>(null);
  // the outcome of a promotion, shown while the deployment is still at the revision it made
  const [promoted, setPromoted] = useState<{ text: string; revision: number } | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const byVersion = new Map<string, ModelVersionEntry>((serving.data?.model_versions ?? []).map((e) => [e.version, e]));
  const actions = [setAlias, deleteAlias, stage];
  const failed = actions.find((m) => m.isError)?.error;
  // one message at a time: the outcome of the latest action, not a stale error of an earlier one
  const fresh = () => actions.forEach((m) => m.reset());

  const body = () => {
    if (versions.isPending) return <p className="loading">Loading versions…</p>;
    if (versions.isError) return <QueryError what="The model versions" error={versions.error} />;
    const list = versions.data.model_versions;
    if (list.length === 0) {
      return (
        <p className="empty">
          No versions yet. <Link to={`/models?register&name=${encodeURIComponent(model)}`}>Register one</Link> (upload a
          model file), or create one with MLflow (<code>model-versions/create</code>).
        </p>
      );
    }
    return (
      <>
        {versions.data.next_page_token && (
          <p className="muted small">Showing the {VERSIONS_SHOWN} newest versions; older ones are left out.</p>
        )}
        <ScrollBox label="Versions">
          <table>
            <thead>
              <tr>
                {/* serving and Promote first: what a phone shows without scrolling */}
                <th scope="col">Version</th>
                <th scope="col">Serving</th>
                <th scope="col">Actions</th>
                <th scope="col">Stage</th>
                <th scope="col">Aliases</th>
                <th scope="col">Runtime</th>
                <th scope="col">Source and run</th>
                <th scope="col">Created and status</th>
              </tr>
            </thead>
            <tbody>
              {list.map((v) => (
                <VersionRow
                  key={v.version}
                  version={v}
                  entry={byVersion.get(v.version)}
                  champion={props.deployment?.config.champion ?? null}
                  busy={setAlias.isPending || deleteAlias.isPending || stage.isPending}
                  onStage={(s, archiveExisting) => {
                    fresh();
                    stage.mutate({ version: v.version, stage: s, archiveExisting });
                  }}
                  onRemoveAlias={(a) => {
                    fresh();
                    deleteAlias.mutate(a);
                  }}
                  onPromote={() => {
                    setPromoted(null);
                    setPromote(v.version);
                    requestAnimationFrame(() => confirmRef.current?.focus());
                  }}
                />
              ))}
            </tbody>
          </table>
        </ScrollBox>
        <AliasForm
          versions={list.map((v) => v.version)}
          pending={setAlias.isPending}
          onSet={(alias, version, done) => {
            fresh();
            setAlias.mutate({ alias, version }, { onSuccess: done });
          }}
        />
      </>
    );
  };

  return (
    <Panel title="Versions" testId="versions">
      {serving.isError && <QueryError what="The serving state of the versions" error={serving.error} />}
      {promote && (
        <PromoteConfirm
          ref={confirmRef}
          model={model}
          version={promote}
          deployment={props.deployment}
          onDone={(state) => {
            setPromote(null);
            if (!state) return;
            setPromoted({ text: `v${state.config.champion} is the champion now (revision ${state.revision}).`, revision: state.revision });
          }}
        />
      )}
      {promoted && props.deployment?.revision === promoted.revision && (
        <p className="notice" role="status">
          {promoted.text}
        </p>
      )}
      {body()}
      {failed && (
        <p role="alert" className="error">
          The change was not made. {errorDetail(failed)}
        </p>
      )}
    </Panel>
  );
}
