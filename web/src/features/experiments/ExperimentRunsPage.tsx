// /experiments/:experimentId: the experiment's runs, filtered and sorted on the server, with chosen params and metrics
// as columns, and a selection of runs to compare.
import type { MlopsRun } from '@foodlens/contracts';
import { useState } from 'react';
import { useParams } from 'react-router';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { Breadcrumbs } from './Breadcrumbs';
import { ColumnPicker } from './ColumnPicker';
import {
  DEFAULT_METRIC_COLUMNS,
  columnId,
  firstDirection,
  keysSeen,
  orderClause,
  parseDataColumn,
  type DataColumn,
  type SortDir,
} from './columns';
import { CompareBar } from './CompareBar';
import { ExperimentSummary } from './ExperimentSummary';
import './experiments.css';
import { runLabel } from './format';
import { FilterForm, isRefusedFilter } from './FilterForm';
import { LifecycleFilter } from './LifecycleFilter';
import { LogRunHelp } from './LogRunHelp';
import { isNarrowed, NoMatch } from './NoMatch';
import { Pager } from './Pager';
import { useExperiment, useRuns } from './queries';
import { RunsTable } from './RunsTable';
import { usePageTokens } from './usePageTokens';
import { useUrlState } from './url-state';

/** What the table shows before a column header is clicked: the server's default order. */
const DEFAULT_SORT = { id: 'start_time', dir: 'desc' as SortDir };

export function ExperimentRunsPage() {
  const { experimentId = '' } = useParams();
  // A fresh selection per experiment.
  return <ExperimentRuns key={experimentId} experimentId={experimentId} />;
}

function ExperimentRuns(props: { experimentId: string }) {
  const { experimentId } = props;
  const url = useUrlState();
  const experiment = useExperiment(experimentId);
  const filter = url.params.get('filter') ?? '';
  const sortId = url.params.get('sort');
  const sort = sortId && orderClause(sortId, 'asc') ? { id: sortId, dir: (url.params.get('dir') === 'asc' ? 'asc' : 'desc') as SortDir } : null;
  const pager = usePageTokens([filter, sort?.id, sort?.dir, url.view, url.pageSize].join('\n'));
  const q = useRuns({
    experimentId,
    filter: filter || undefined,
    orderBy: sort ? orderClause(sort.id, sort.dir) : undefined,
    view: url.view,
    maxResults: url.pageSize,
    pageToken: pager.token,
  });
  const [selected, setSelected] = useState<ReadonlyMap<string, string>>(new Map());
  const refusal = isRefusedFilter(q.error) ? q.error : null;
  const runs = refusal ? [] : (q.data?.runs ?? []);

  const metricKeys = keysSeen(runs, 'metrics');
  const paramKeys = keysSeen(runs, 'params');
  const colsParam = url.params.get('cols');
  const columns: DataColumn[] =
    colsParam === null
      ? metricKeys.slice(0, DEFAULT_METRIC_COLUMNS).map((k) => ({ entity: 'metrics', key: k, id: columnId('metrics', k) }))
      : [...new Set(colsParam.split(','))].flatMap((id) => parseDataColumn(id) ?? []);

  const onSort = (id: string) => {
    const current = sort ?? DEFAULT_SORT;
    const dir = current.id === id ? (current.dir === 'asc' ? 'desc' : 'asc') : firstDirection(id);
    url.set({ sort: id, dir });
  };
  const onSelect = (run: MlopsRun, on: boolean) => {
    const next = new Map(selected);
    if (on) next.set(run.run_id, runLabel(run));
    else next.delete(run.run_id);
    setSelected(next);
  };

  const name = experiment.data?.name ?? `experiment ${experimentId}`;
  let body;
  if (q.isPending) body = <p className="loading">Loading runs…</p>;
  else if (refusal) body = null; // shown at the filter box
  else if (q.isError) body = <QueryError what="Runs" error={q.error} />;
  else if (runs.length === 0) {
    body = isNarrowed(filter, url.view, pager.page) ? (
      <NoMatch what="runs" filter={filter} view={url.view} />
    ) : experiment.data?.lifecycle_stage === 'deleted' ? (
      <p className="empty">This experiment is deleted, and so are its runs: choose Deleted or All under Lifecycle to list them.</p>
    ) : (
      <LogRunHelp lead="This experiment has no runs yet." experimentId={experimentId} />
    );
  } else {
    body = (
      <RunsTable
        runs={runs}
        columns={columns}
        sort={sort ?? DEFAULT_SORT}
        onSort={onSort}
        selected={new Set(selected.keys())}
        onSelect={onSelect}
      />
    );
  }

  return (
    <div className="experiments">
      <Breadcrumbs trail={[{ label: 'Experiments', to: '/experiments' }, { label: name }]} />
      <h1>{name}</h1>
      <ExperimentSummary query={experiment} />
      {/* The runs endpoint answers an empty list for an unknown id: without the experiment there is nothing to list. */}
      {!experiment.isError && (
        <Panel title="Runs" testId="runs">
          <div className="exp-toolbar">
            <FilterForm
              label="Filter runs"
              value={filter}
              example="metrics.accuracy > 0.8 and params.model = 'centernet'"
              refusal={refusal}
              onApply={(f) => url.set({ filter: f })}
            />
            <LifecycleFilter name="run-view" value={url.view} onChange={(v) => url.set({ view: url.viewParam(v) })} />
          </div>
          <div className="exp-toolbar">
            <ColumnPicker
              metricKeys={metricKeys}
              paramKeys={paramKeys}
              chosen={columns}
              onChange={(ids) => url.set({ cols: [...new Set(ids)].join(',') || 'none' })}
              onReset={() => url.set({ cols: undefined })}
            />
            <CompareBar selected={[...selected].map(([id, n]) => ({ id, name: n }))} onClear={() => setSelected(new Map())} />
          </div>
          {body}
          {q.data && !refusal && (
            <Pager
              what="runs"
              page={pager.page}
              pageSize={url.pageSize}
              shown={runs.length}
              nextToken={q.data.next_page_token}
              onNext={pager.next}
              onPrevious={pager.previous}
              onPageSize={(s) => url.set({ size: String(s) })}
              busy={q.isFetching}
            />
          )}
        </Panel>
      )}
    </div>
  );
}
