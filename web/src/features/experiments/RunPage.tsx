// /experiments/runs/:runId: one run whole: overview, params, tags, metrics with their histories, artifacts, datasets.
import { useParams } from 'react-router';
import { QueryError } from '../../components/QueryError';
import { ArtifactsBrowser } from './ArtifactsBrowser';
import { Breadcrumbs } from './Breadcrumbs';
import { DatasetInputs } from './DatasetInputs';
import './experiments.css';
import { runLabel } from './format';
import { KeyValueTable } from './KeyValueTable';
import { useExperiment, useRun } from './queries';
import { RunMetrics } from './RunMetrics';
import { RunOverview } from './RunOverview';

export function RunPage() {
  const { runId } = useParams();
  const q = useRun(runId);
  const experiment = useExperiment(q.data?.experiment_id);

  if (q.isPending) return <p className="loading">Loading the run…</p>;
  if (q.isError) {
    return (
      <div className="experiments">
        <Breadcrumbs trail={[{ label: 'Experiments', to: '/experiments' }, { label: `run ${runId}` }]} />
        <h1>Run {runId}</h1>
        <QueryError what="The run" error={q.error} />
      </div>
    );
  }
  const run = q.data;
  const name = runLabel(run);
  return (
    <div className="experiments">
      <Breadcrumbs
        trail={[
          { label: 'Experiments', to: '/experiments' },
          { label: experiment.data?.name ?? `experiment ${run.experiment_id}`, to: `/experiments/${encodeURIComponent(run.experiment_id)}` },
          { label: name },
        ]}
      />
      <h1>{name}</h1>
      <div className="grid-2">
        <RunOverview run={run} experiment={experiment.data} />
        <KeyValueTable
          title="Params"
          testId="run-params"
          rows={run.params}
          empty={
            <>
              No params. Log them with <code>mlflow.log_params(&#123;&quot;lr&quot;: 0.01&#125;)</code>.
            </>
          }
        />
      </div>
      <RunMetrics runId={run.run_id} runName={name} metrics={run.metrics} />
      <ArtifactsBrowser run={run} />
      <div className="grid-2">
        <KeyValueTable title="Tags" testId="run-tags" rows={run.tags} empty="No tags." />
        {run.datasets.length > 0 && <DatasetInputs datasets={run.datasets} />}
      </div>
    </div>
  );
}
