import type { MlopsRun } from '@foodlens/contracts';
import { Link } from 'react-router';
import { ScrollBox } from '../../components/ScrollBox';
import { DASH, dateTime } from '../../lib/format';
import type { DataColumn, SortDir } from './columns';
import { metricValue, runDuration, runLabel } from './format';
import { RunStatus } from './RunStatus';
import { SortHeader } from './SortHeader';

/** One page of an experiment's runs, with a checkbox per run for Compare and the chosen params and metrics as columns. */
export function RunsTable(props: {
  runs: MlopsRun[];
  columns: DataColumn[];
  sort: { id: string; dir: SortDir } | null;
  onSort: (id: string) => void;
  selected: ReadonlySet<string>;
  onSelect: (run: MlopsRun, on: boolean) => void;
}) {
  const header = (id: string, label: string, className?: string) => (
    <SortHeader id={id} label={label} sort={props.sort} onSort={props.onSort} className={className} />
  );
  return (
    <ScrollBox label="Runs table">
      <table className="runs-table" data-testid="runs-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">Select for comparison</span>
            </th>
            {header('run_name', 'Run')}
            {header('status', 'Status')}
            {header('start_time', 'Started')}
            <th scope="col" title="The API orders by stored fields only; duration is end − start">
              Duration
            </th>
            {header('user_id', 'User')}
            {props.columns.map((c) =>
              header(c.id, c.key, c.entity === 'metrics' ? 'num metric-col' : 'param-col'),
            )}
          </tr>
        </thead>
        <tbody>
          {props.runs.map((run) => {
            const name = runLabel(run);
            const checked = props.selected.has(run.run_id);
            return (
              <tr key={run.run_id} className={checked ? 'selected' : undefined}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${name}`}
                    checked={checked}
                    onChange={(e) => props.onSelect(run, e.target.checked)}
                  />
                </td>
                <th scope="row">
                  <Link to={`/experiments/runs/${encodeURIComponent(run.run_id)}`}>{name}</Link>
                  {run.lifecycle_stage === 'deleted' && <span className="badge warning deleted-mark">deleted</span>}
                </th>
                <td>
                  <RunStatus status={run.status} />
                </td>
                <td>{run.start_time === null ? DASH : dateTime(run.start_time)}</td>
                <td>{runDuration(run)}</td>
                <td>{run.user_id ?? DASH}</td>
                {props.columns.map((c) => {
                  if (c.entity === 'params') {
                    const v = run.params[c.key];
                    return (
                      <td key={c.id} className="param" title={v}>
                        {v ?? DASH}
                      </td>
                    );
                  }
                  const m = run.metrics[c.key];
                  return (
                    <td key={c.id} className="num" title={m ? `${m.value ?? 'NaN'} at step ${m.step}` : undefined}>
                      {metricValue(m?.value)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollBox>
  );
}
