import { Link } from 'react-router';
import { Panel } from '../../components/Panel';
import { DASH, dateTime } from '../../lib/format';
import type { Experiment, RunDetail } from './api';
import { runDuration } from './format';
import { RunStatus } from './RunStatus';

/** Status, times, source, user and lifecycle. Source and user fall back to the tags MLflow clients set. */
export function RunOverview(props: { run: RunDetail; experiment: Experiment | undefined }) {
  const { run } = props;
  const source = run.tags['mlflow.source.name'];
  const sourceType = run.tags['mlflow.source.type'];
  const commit = run.tags['mlflow.source.git.commit'];
  return (
    <Panel title="Overview" testId="run-overview">
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <RunStatus status={run.status} />
        </dd>
        <dt>Started</dt>
        <dd>{run.start_time === null ? DASH : dateTime(run.start_time)}</dd>
        <dt>Ended</dt>
        <dd>{run.end_time === null ? DASH : dateTime(run.end_time)}</dd>
        <dt>Duration</dt>
        <dd>{runDuration(run)}</dd>
        <dt>Source</dt>
        <dd>
          {source ? (
            <>
              <code>{source}</code>
              {sourceType && ` (${sourceType.toLowerCase()})`}
              {commit && ` at ${commit.slice(0, 10)}`}
            </>
          ) : (
            DASH
          )}
        </dd>
        <dt>User</dt>
        <dd>{run.user_id ?? run.tags['mlflow.user'] ?? DASH}</dd>
        <dt>Lifecycle</dt>
        <dd>{run.lifecycle_stage === 'deleted' ? <span className="badge warning">deleted</span> : 'active'}</dd>
        <dt>Experiment</dt>
        <dd>
          <Link to={`/experiments/${encodeURIComponent(run.experiment_id)}`}>{props.experiment?.name ?? run.experiment_id}</Link>
        </dd>
        <dt>Run ID</dt>
        <dd>
          <code>{run.run_id}</code>
        </dd>
        <dt>Artifact URI</dt>
        <dd>
          <code>{run.artifact_uri}</code>
        </dd>
      </dl>
    </Panel>
  );
}
