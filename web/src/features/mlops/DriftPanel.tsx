import type { DriftReport, FeatureDriftReport } from '@foodlens/contracts';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { ApiError } from '../../lib/api';
import { count, score } from '../../lib/format';
import { DistributionBars } from './DistributionBars';
import { useDrift } from './queries';

/** GET /api/v1/mlops/monitoring/drift: each feature's test against the version's stored reference. */
export function DriftPanel() {
  const query = useDrift();
  return (
    <Panel title="Data drift" testId="drift" aside={<Legend />}>
      {query.isPending && <p>Loading…</p>}
      {query.isError &&
        (query.error instanceof ApiError && query.error.reason === 'no_reference' ? (
          <NoReference message={query.error.message} />
        ) : (
          <QueryError what="The drift report" error={query.error} />
        ))}
      {query.data && <DriftTable report={query.data} />}
    </Panel>
  );
}

function Legend() {
  return (
    <span className="legend small">
      <span className="swatch ref" aria-hidden="true" /> reference <span className="swatch cur" aria-hidden="true" /> current
    </span>
  );
}

function NoReference({ message }: { message: string }) {
  // The server's message names the model and version; the example shows the simplest reference to set.
  const match = /for (.+) version (\d+)/.exec(message);
  const body = JSON.stringify({ model: match?.[1] ?? 'food-detector', version: match?.[2] ?? '1', source: { type: 'first', n: 1000 } });
  return (
    <div className="empty" data-testid="drift-no-reference">
      <p>{message.split(':')[0]}.</p>
      <p>
        Drift compares recent predictions with a reference summary of the same model version: set one, for instance from
        its first 1000 predictions (a time window or an evaluation run also work, see below):
      </p>
      <pre>
        <code>{`curl -X PUT ${location.origin}/api/v1/mlops/monitoring/drift/reference \\\n  -H 'content-type: application/json' \\\n  -d '${body}'`}</code>
      </pre>
      <details>
        <summary>The server's full answer</summary>
        <p className="small">{message}</p>
      </details>
    </div>
  );
}

function DriftTable({ report }: { report: DriftReport }) {
  const d = report.dataset;
  return (
    <>
      <p className="muted">
        {report.model} v{report.version} · reference: {report.reference.description} ({count(report.reference.rows)} rows) ·
        current: {count(report.current.rows)} predictions ·{' '}
        <strong className={d.drifted ? 'error' : undefined}>
          {d.drifted_features} of {d.evaluated} features drifted: dataset {d.drifted ? 'drifted' : 'not drifted'}
        </strong>{' '}
        (drifts at {Math.round(d.drift_share * 100)}%)
      </p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Test</th>
              <th scope="col">Score</th>
              <th scope="col">Threshold</th>
              <th scope="col">Drifted</th>
              <th scope="col">Reference vs current</th>
            </tr>
          </thead>
          <tbody>
            {report.features.map((f) => (
              <FeatureRow key={f.name} f={f} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function FeatureRow({ f }: { f: FeatureDriftReport }) {
  // p-value tests drift when the score is low, distances when it is high: say which one the number is.
  const scoreText =
    f.status === 'not_enough_data'
      ? 'not enough data'
      : f.p_value !== null
        ? `p = ${score(f.p_value)}`
        : f.distance !== null
          ? `distance ${score(f.distance)}`
          : `statistic ${score(f.statistic)}`;
  return (
    <tr>
      <th scope="row">{f.name}</th>
      <td>{f.test ?? '—'}</td>
      <td title={f.reason}>
        {scoreText}
        {f.approximate && <span className="muted" title="computed from histograms"> ≈</span>}
      </td>
      <td>{score(f.threshold)}</td>
      <td>
        <span className={`badge ${f.drifted ? 'bad' : 'good'}`}>{f.drifted ? 'yes' : 'no'}</span>
      </td>
      <td>{f.distribution ? <DistributionBars feature={f.name} distribution={f.distribution} /> : '—'}</td>
    </tr>
  );
}
