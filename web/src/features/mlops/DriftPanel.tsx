import type { DriftReport, FeatureDriftReport } from '@foodlens/contracts';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { ScrollBox } from '../../components/ScrollBox';
import { ApiError } from '../../lib/api';
import { count, score } from '../../lib/format';
import { useDashboard } from './dashboard-context';
import { DistributionBars } from './DistributionBars';
import { useDrift, useDriftReferences, useModelVersions } from './queries';

/** GET /api/v1/mlops/monitoring/drift's own defaults, mirrored so the panel asks about the version the report would be of. */
const DRIFT_DEFAULT_MODEL = 'food-detector';
const CHAMPION_ALIAS = 'champion';

/**
 * GET /api/v1/mlops/monitoring/drift: each feature's test against the version's stored reference. The drift endpoint
 * answers 404 for a version without a reference (and the browser logs every 404), so the panel first resolves the
 * version the way the endpoint does (the filter's, else the model's registry `champion` alias, which the model-version
 * list reports) and asks GET .../drift/references whether it has one; the report is fetched, for that explicit
 * version, only when it does.
 */
export function DriftPanel() {
  const { filters } = useDashboard();
  const model = filters.model ?? DRIFT_DEFAULT_MODEL;
  const versions = useModelVersions();
  const needChampion = filters.version === undefined;
  const champion = versions.data?.model_versions.find((v) => v.name === model && v.aliases.includes(CHAMPION_ALIAS))?.version;
  const version = filters.version ?? champion;
  const references = useDriftReferences(model);
  const hasReference = version !== undefined && references.data?.references.some((r) => r.version === version) === true;
  const query = useDrift(model, version, hasReference);

  let body;
  if (needChampion && versions.isError) body = <QueryError what="The model version list (to find the champion)" error={versions.error} />;
  else if (references.isError) body = <QueryError what="The drift references" error={references.error} />;
  else if ((needChampion && versions.isPending) || references.isPending) body = <p>Loading…</p>;
  else if (version === undefined) body = <NoChampion model={model} />;
  else if (!hasReference) body = <NoReference model={model} version={version} />;
  else if (query.isError)
    // the reference was deleted after the list was read: the same empty state until the next refresh
    body =
      query.error instanceof ApiError && query.error.reason === 'no_reference' ? (
        <NoReference model={model} version={version} />
      ) : (
        <QueryError what="The drift report" error={query.error} />
      );
  else if (query.data) body = <DriftTable report={query.data} />;
  else body = <p>Loading…</p>;

  return (
    <Panel title="Data drift" testId="drift" aside={<Legend />}>
      {body}
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

function NoChampion({ model }: { model: string }) {
  return (
    <p className="empty" data-testid="drift-no-champion">
      {model} has no champion version, so there is no default version to check for drift: choose a version in the Model
      version filter above.
    </p>
  );
}

function NoReference({ model, version }: { model: string; version: string }) {
  const body = JSON.stringify({ model, version, source: { type: 'first', n: 1000 } });
  return (
    <div className="empty" data-testid="drift-no-reference">
      <p>There is no drift reference for {model} version {version} yet.</p>
      <p>
        Drift compares recent predictions with a reference summary of the same model version: set one, for instance from
        its first 1000 predictions:
      </p>
      {/* focusable, so it can be scrolled with the keyboard where it is wider than a phone */}
      <pre tabIndex={0} aria-label="Command that sets a drift reference">
        <code>{`curl -X PUT ${location.origin}/api/v1/mlops/monitoring/drift/reference \\\n  -H 'content-type: application/json' \\\n  -d '${body}'`}</code>
      </pre>
      <p className="small">
        A time window of its predictions (<code>{'"source":{"type":"window","from":…,"to":…}'}</code>) or the images of an
        evaluation run (<code>{'"source":{"type":"evaluation","run_id":…}'}</code>) work too.
      </p>
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
      <ScrollBox label="Drift by feature">
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
      </ScrollBox>
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
