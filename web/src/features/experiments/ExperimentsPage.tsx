// /experiments: every tracked experiment, filtered with MLflow's grammar, by lifecycle, a page at a time.
import { QueryError } from '../../components/QueryError';
import './experiments.css';
import { ExperimentsTable } from './ExperimentsTable';
import { FilterForm, isRefusedFilter } from './FilterForm';
import { LifecycleFilter } from './LifecycleFilter';
import { LogRunHelp } from './LogRunHelp';
import { isNarrowed, NoMatch } from './NoMatch';
import { Pager } from './Pager';
import { useExperimentList } from './queries';
import { usePageTokens } from './usePageTokens';
import { useUrlState } from './url-state';

export function ExperimentsPage() {
  const url = useUrlState();
  const filter = url.params.get('filter') ?? '';
  const pager = usePageTokens(`${filter}\n${url.view}\n${url.pageSize}`);
  const q = useExperimentList({ filter: filter || undefined, view: url.view, maxResults: url.pageSize, pageToken: pager.token });
  const refusal = isRefusedFilter(q.error) ? q.error : null;

  let body;
  if (q.isPending) body = <p className="loading">Loading experiments…</p>;
  else if (refusal) body = null; // shown at the filter box
  else if (q.isError) body = <QueryError what="Experiments" error={q.error} />;
  else if (q.data.experiments.length === 0) {
    body = isNarrowed(filter, url.view, pager.page) ? (
      <NoMatch what="experiments" filter={filter} view={url.view} />
    ) : (
      <LogRunHelp lead="No experiments yet." />
    );
  } else body = <ExperimentsTable experiments={q.data.experiments} />;

  return (
    <div className="experiments">
      <h1>Experiments</h1>
      <section className="card panel" aria-label="Experiment list">
        <div className="exp-toolbar">
          <FilterForm
            label="Filter experiments"
            value={filter}
            example="name LIKE 'food-%'"
            refusal={refusal}
            onApply={(f) => url.set({ filter: f })}
          />
          <LifecycleFilter name="experiment-view" value={url.view} onChange={(v) => url.set({ view: url.viewParam(v) })} />
        </div>
        {body}
        {q.data && !refusal && (
          <Pager
            what="experiments"
            page={pager.page}
            pageSize={url.pageSize}
            shown={q.data.experiments.length}
            nextToken={q.data.next_page_token}
            onNext={pager.next}
            onPrevious={pager.previous}
            onPageSize={(s) => url.set({ size: String(s) })}
            busy={q.isFetching}
          />
        )}
      </section>
    </div>
  );
}
