import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { QueryError } from '../../components/QueryError';
import { DASH, dateTime } from '../../lib/format';
import type { Experiment } from './api';

/** The experiment's own fields above its runs (GET /api/2.0/mlflow/experiments/get), as one wrapping line of facts. */
export function ExperimentSummary(props: { query: UseQueryResult<Experiment> }) {
  const { query } = props;
  if (query.isPending) return <p className="loading">Loading the experiment…</p>;
  if (query.isError) return <QueryError what="The experiment" error={query.error} />;
  const e = query.data;
  const tags = e.tags.filter((t) => !t.key.startsWith('mlflow.'));
  const facts: [string, ReactNode][] = [
    ['ID', e.experiment_id],
    ['Artifact location', <code>{e.artifact_location}</code>],
    ['Lifecycle', e.lifecycle_stage === 'deleted' ? <span className="badge warning">deleted</span> : 'active'],
    ['Created', e.creation_time === undefined ? DASH : dateTime(e.creation_time)],
    ['Last update', e.last_update_time === undefined ? DASH : dateTime(e.last_update_time)],
  ];
  if (tags.length > 0) facts.push(['Tags', tags.map((t) => `${t.key}=${t.value}`).join(', ')]);
  return (
    <dl className="inline-facts" data-testid="experiment-summary">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
