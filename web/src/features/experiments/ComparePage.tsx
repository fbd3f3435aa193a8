// /experiments/compare?runs=a,b,c: 2–5 runs side by side, then each metric's history with one line per run.
import { useMemo } from 'react';
import { Link } from 'react-router';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { ShowAll } from '../../components/ShowMore';
import { Breadcrumbs } from './Breadcrumbs';
import { COMPARE_MAX, COMPARE_MIN } from './CompareBar';
import { CompareTable } from './CompareTable';
import './experiments.css';
import { runLabel } from './format';
import { OverlaidMetricChart } from './OverlaidMetricChart';
import { useComparison, useExperiment } from './queries';
import { useUrlState } from './url-state';

const CHARTS_AT_FIRST = 12;

/** Run names as column headers and legend entries; a name two runs share gets the start of the run id. */
function uniqueLabels(runs: { run_id: string; run_name: string }[]): string[] {
  const names = runs.map(runLabel);
  return names.map((n, i) => (names.indexOf(n) !== names.lastIndexOf(n) ? `${n} · ${runs[i]!.run_id.slice(0, 8)}` : n));
}

export function ComparePage() {
  const url = useUrlState();
  const runsParam = url.params.get('runs') ?? '';
  const ids = useMemo(() => [...new Set(runsParam.split(',').map((s) => s.trim()).filter((s) => s !== ''))], [runsParam]);
  const valid = ids.length >= COMPARE_MIN && ids.length <= COMPARE_MAX;
  const q = useComparison(valid ? ids : []);
  const onlyDiffs = url.params.get('diff') === '1';
  const labels = useMemo(() => (q.data ? uniqueLabels(q.data.runs) : []), [q.data]);
  const chartRuns = useMemo(() => (q.data ? q.data.runs.map((r, i) => ({ id: r.run_id, label: labels[i]! })) : []), [q.data, labels]);

  let body;
  if (!valid) {
    body = (
      <p className="empty">
        Compare takes {COMPARE_MIN} to {COMPARE_MAX} runs; this link names {ids.length}. Pick them with the checkboxes on an{' '}
        <Link to="/experiments">experiment&apos;s runs</Link>.
      </p>
    );
  } else if (q.isPending) body = <p className="loading">Loading the comparison…</p>;
  else if (q.isError) body = <QueryError what="The comparison" error={q.error} />;
  else {
    const metricKeys = q.data.metrics.map((m) => m.key);
    body = (
      <>
        <Panel
          title="Side by side"
          testId="compare"
          aside={
            <label className="check">
              <input type="checkbox" checked={onlyDiffs} onChange={(e) => url.set({ diff: e.target.checked ? '1' : undefined })} />
              Only differences
            </label>
          }
        >
          <CompareTable comparison={q.data} labels={labels} onlyDiffs={onlyDiffs} />
        </Panel>
        <Panel title="Metric histories" testId="compare-charts">
          {metricKeys.length === 0 ? (
            <p className="empty">None of these runs logged a metric.</p>
          ) : (
            <ShowAll
              items={metricKeys}
              initial={CHARTS_AT_FIRST}
              what="metric charts"
              className="chart-grid"
              render={(k) => <OverlaidMetricChart key={k} metricKey={k} runs={chartRuns} />}
            />
          )}
        </Panel>
      </>
    );
  }

  // The runs usually share an experiment: link back to it.
  const experimentId = q.data?.runs[0]?.experiment_id;
  const sameExperiment = experimentId !== undefined && q.data!.runs.every((r) => r.experiment_id === experimentId);
  const experiment = useExperiment(sameExperiment ? experimentId : undefined);
  return (
    <div className="experiments">
      <Breadcrumbs
        trail={[
          { label: 'Experiments', to: '/experiments' },
          ...(sameExperiment ? [{ label: experiment.data?.name ?? `experiment ${experimentId}`, to: `/experiments/${encodeURIComponent(experimentId)}` }] : []),
          { label: 'Compare runs' },
        ]}
      />
      <h1>Compare {valid ? `${ids.length} runs` : 'runs'}</h1>
      {body}
    </div>
  );
}
