import type { DeploymentState } from '@foodlens/contracts';
import { count, dateTime } from '../../lib/format';

/** "v1 challenger 30%, 2 in flight"; a version without a role is finishing its requests before it is unloaded. */
function describeLoaded(v: DeploymentState['versions'][number]): string {
  const roles = v.roles.length > 0 ? v.roles.join(', ') : 'finishing requests';
  return `v${v.version} ${roles}${v.loaded ? '' : ' (loading)'}${v.in_flight > 0 ? `, ${v.in_flight} in flight` : ''}`;
}

/** What serves now: revision, champion, the loaded versions with their roles, shadow runs. */
export function DeploymentStatus(props: { state: DeploymentState }) {
  const s = props.state;
  return (
    <dl className="facts" data-testid="deployment-status">
      <dt>Champion</dt>
      <dd data-testid="deployment-champion">v{s.config.champion}</dd>
      <dt>Challengers</dt>
      <dd>
        {s.config.challengers.length > 0
          ? s.config.challengers.map((c) => `v${c.version} (${c.weight}% of users)`).join(', ')
          : 'none'}
      </dd>
      <dt>Shadow</dt>
      <dd>{s.config.shadow ? `v${s.config.shadow.version} on ${Math.round(s.config.shadow.sample_rate * 100)}% of requests` : 'off'}</dd>
      <dt>Revision</dt>
      <dd>
        {s.revision}, since {dateTime(s.updated_time)}
      </dd>
      <dt>Versions in memory</dt>
      <dd>
        {s.versions.length === 0 ? 'none' : s.versions.map(describeLoaded).join(' · ')}
      </dd>
      {s.config.shadow && (
        <>
          <dt>Shadow runs</dt>
          <dd>
            {count(s.shadow_runs.started)} started, {count(s.shadow_runs.skipped)} skipped, {count(s.shadow_runs.failed)} failed
          </dd>
        </>
      )}
    </dl>
  );
}
