import { Panel } from '../../components/Panel';
import { ScrollBox } from '../../components/ScrollBox';
import { DASH } from '../../lib/format';
import type { DatasetInput } from './api';

/** Dataset sources can be long JSON documents: the cell shows their start, the title all of it. */
const SOURCE_CHARS = 300;

/** The datasets the run logged as inputs (mlflow.log_input); context is the input's mlflow.data.context tag. */
export function DatasetInputs(props: { datasets: DatasetInput[] }) {
  return (
    <Panel title="Dataset inputs" testId="run-datasets" aside={<span className="muted small">{props.datasets.length}</span>}>
      <ScrollBox label="Dataset inputs table">
        <table className="kv">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Context</th>
              <th scope="col">Digest</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {props.datasets.map((d, i) => (
              <tr key={`${d.name}-${d.digest}-${i}`}>
                <th scope="row">{d.name}</th>
                <td>{d.context ?? DASH}</td>
                <td>
                  <code>{d.digest}</code>
                </td>
                <td>
                  <span className="muted">{d.sourceType}</span> <code title={d.source.length > SOURCE_CHARS ? d.source : undefined}>
                    {d.source.length > SOURCE_CHARS ? `${d.source.slice(0, SOURCE_CHARS)}…` : d.source}
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </Panel>
  );
}
