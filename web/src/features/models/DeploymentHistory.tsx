import type { DeploymentState } from '@foodlens/contracts';
import { useId } from 'react';
import { ScrollBox } from '../../components/ScrollBox';
import { dateTime } from '../../lib/format';
import { describeConfig } from './deployment-draft';

/** The recent revisions the deployment GET answered (newest first), the serving one marked. */
export function DeploymentHistory(props: { state: DeploymentState }) {
  const id = useId();
  const { state } = props;
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>Recent revisions</h3>
      <ScrollBox label="Deployment revisions">
        <table>
          <thead>
            <tr>
              <th scope="col">Revision</th>
              <th scope="col">When</th>
              <th scope="col">Deployment</th>
              <th scope="col">Comment</th>
            </tr>
          </thead>
          <tbody>
            {state.history.map((h) => (
              <tr key={h.revision} className={h.revision === state.revision ? 'selected' : undefined}>
                <th scope="row">
                  {h.revision}
                  {h.revision === state.revision && <span className="muted"> (serving)</span>}
                </th>
                <td>{dateTime(h.created_time)}</td>
                <td>{describeConfig(h.config)}</td>
                <td className="cell-wrap">{h.comment ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {state.history.length > 0 && state.history[state.history.length - 1]!.revision > 1 && (
        <p className="muted small">The {state.history.length} newest revisions; older ones are kept on the server.</p>
      )}
    </section>
  );
}
