import type { MlopsExperiment } from '@foodlens/contracts';
import { Link } from 'react-router';
import { ScrollBox } from '../../components/ScrollBox';
import { DASH, dateTime } from '../../lib/format';
import { ExperimentRunCount } from './ExperimentRunCount';

export function ExperimentsTable(props: { experiments: MlopsExperiment[] }) {
  return (
    <ScrollBox label="Experiments table">
      <table data-testid="experiments-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">ID</th>
            <th scope="col">Runs</th>
            <th scope="col">Last update</th>
            <th scope="col">Artifact location</th>
            <th scope="col">Lifecycle</th>
          </tr>
        </thead>
        <tbody>
          {props.experiments.map((e) => (
            <tr key={e.experiment_id}>
              <th scope="row">
                <Link to={`/experiments/${encodeURIComponent(e.experiment_id)}`}>{e.name}</Link>
              </th>
              <td>{e.experiment_id}</td>
              <td className="num">
                <ExperimentRunCount experimentId={e.experiment_id} deleted={e.lifecycle_stage === 'deleted'} />
              </td>
              <td>{e.last_update_time === null ? DASH : dateTime(e.last_update_time)}</td>
              <td>
                <code>{e.artifact_location}</code>
              </td>
              <td>{e.lifecycle_stage === 'deleted' ? <span className="badge warning">deleted</span> : 'active'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
