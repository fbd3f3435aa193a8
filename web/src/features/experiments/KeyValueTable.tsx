import type { ReactNode } from 'react';
import { Panel } from '../../components/Panel';
import { ScrollBox } from '../../components/ScrollBox';

/** Params or tags of a run: key and full value (values can be long, so they wrap here instead of widening the page). */
export function KeyValueTable(props: { title: string; testId: string; rows: Record<string, string>; empty: ReactNode }) {
  // User keys first, then MLflow's own (mlflow.*), each alphabetically.
  const keys = Object.keys(props.rows).sort(
    (a, b) => Number(a.startsWith('mlflow.')) - Number(b.startsWith('mlflow.')) || a.localeCompare(b),
  );
  return (
    <Panel title={props.title} testId={props.testId} aside={<span className="muted small">{keys.length}</span>}>
      {keys.length === 0 ? (
        <p className="empty">{props.empty}</p>
      ) : (
        <ScrollBox label={`${props.title} table`}>
          <table className="kv">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{props.rows[k]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
    </Panel>
  );
}
