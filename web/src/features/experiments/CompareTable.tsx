import type { MlopsRunComparison } from '@foodlens/contracts';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ScrollBox } from '../../components/ScrollBox';
import { DASH, dateTime } from '../../lib/format';
import { metricValue } from './format';

interface Row {
  key: string;
  cells: ReactNode[];
  differs: boolean;
  /** index of the best run for a metric */
  best?: number;
}

const allSame = (values: readonly unknown[]) => values.every((v) => v === values[0]);

/**
 * Runs side by side (GET /api/v1/mlops/runs/compare): run fields, params and latest metrics aligned by key. Rows whose
 * values differ are highlighted and marked in words; `onlyDiffs` hides the others.
 */
export function CompareTable(props: { comparison: MlopsRunComparison; labels: string[]; onlyDiffs: boolean }) {
  const { comparison: c } = props;
  const info: Row[] = [
    {
      key: 'Experiment',
      cells: c.runs.map((r) => <Link to={`/experiments/${encodeURIComponent(r.experiment_id)}`}>{r.experiment_id}</Link>),
      differs: !allSame(c.runs.map((r) => r.experiment_id)),
    },
    { key: 'Status', cells: c.runs.map((r) => r.status.toLowerCase()), differs: !allSame(c.runs.map((r) => r.status)) },
    {
      key: 'Started',
      cells: c.runs.map((r) => (r.start_time === null ? DASH : dateTime(r.start_time))),
      differs: !allSame(c.runs.map((r) => r.start_time)),
    },
    { key: 'Model', cells: c.runs.map((r) => r.model ?? DASH), differs: !allSame(c.runs.map((r) => r.model)) },
  ];
  const params: Row[] = c.params.map((p) => ({ key: p.key, cells: p.values.map((v) => v ?? DASH), differs: p.differs }));
  const metrics: Row[] = c.metrics.map((m) => {
    const best = m.best_run_id === null ? -1 : c.runs.findIndex((r) => r.run_id === m.best_run_id);
    return {
      key: m.key,
      cells: m.values.map((v) => metricValue(v)),
      differs: !allSame(m.values),
      best: best >= 0 ? best : undefined,
    };
  });
  const columns = c.runs.length + 1;
  const section = (title: string, rows: Row[], what: string) => {
    const shown = props.onlyDiffs ? rows.filter((r) => r.differs) : rows;
    return (
      <tbody>
        <tr className="section-row">
          <th scope="colgroup" colSpan={columns}>
            {title} <span className="muted small">({rows.filter((r) => r.differs).length} of {rows.length} differ)</span>
          </th>
        </tr>
        {shown.length === 0 && (
          <tr>
            <td colSpan={columns} className="muted">
              {rows.length === 0 ? `No ${what}.` : `All ${rows.length} ${what} are the same.`}
            </td>
          </tr>
        )}
        {shown.map((r) => (
          <tr key={r.key} className={r.differs ? 'differs' : undefined}>
            <th scope="row">
              {r.key}
              {r.differs && (
                <span className="diff-mark">
                  <span aria-hidden="true"> ≠</span>
                  <span className="sr-only"> (differs)</span>
                </span>
              )}
            </th>
            {r.cells.map((cell, i) => (
              <td key={c.runs[i]!.run_id} className={r.best === i ? 'best' : undefined}>
                {cell}
                {r.best === i && <span className="best-mark"> best</span>}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    );
  };
  return (
    <ScrollBox label="Comparison table">
      <table className="compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">Field</span>
            </th>
            {c.runs.map((r, i) => (
              <th scope="col" key={r.run_id}>
                <Link to={`/experiments/runs/${encodeURIComponent(r.run_id)}`}>{props.labels[i]}</Link>
              </th>
            ))}
          </tr>
        </thead>
        {section('Run', info, 'run fields')}
        {section('Params', params, 'params')}
        {section('Metrics (latest values)', metrics, 'metrics')}
      </table>
    </ScrollBox>
  );
}
