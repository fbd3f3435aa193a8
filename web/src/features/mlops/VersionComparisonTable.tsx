import type { ModelVersionEntry } from '@foodlens/contracts';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { ScrollBox } from '../../components/ScrollBox';
import { count, DASH, ms, percent } from '../../lib/format';
import { useDashboard } from './dashboard-context';
import { NoPredictions } from './NoPredictions';
import { useModelVersions, useVersionComparison } from './queries';

const DEFAULT_MODEL = 'food-detector';
/** The compare endpoint takes at most 10 versions: the newest. */
const MAX_VERSIONS = 10;

/** GET /api/v1/mlops/compare: every registered version of the filtered (or default) model, side by side. */
export function VersionComparisonTable() {
  const { filters } = useDashboard();
  const list = useModelVersions();
  const all = list.data?.model_versions ?? [];
  const model = filters.model ?? (all.some((v) => v.name === DEFAULT_MODEL) ? DEFAULT_MODEL : all[0]?.name);
  const entries = new Map<string, ModelVersionEntry>(all.filter((v) => v.name === model).map((v) => [v.version, v]));
  const versions = [...entries.keys()].sort((a, b) => Number(b) - Number(a)).slice(0, MAX_VERSIONS);
  const query = useVersionComparison(model, versions);
  const data = query.data;
  return (
    <Panel title={`Model versions${model ? `: ${model}` : ''}`} testId="version-comparison">
      {list.isPending && <p>Loading…</p>}
      {list.isError && <QueryError what="The model version list" error={list.error} />}
      {list.data && versions.length === 0 && <p className="empty">No registered versions{model ? ` of ${model}` : ''}.</p>}
      {query.isError && <QueryError what="The version comparison" error={query.error} />}
      {data && data.versions.every((v) => v.requests === 0) && <NoPredictions />}
      {data && (
        <ScrollBox label="Model versions side by side">
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Serving</th>
                <th scope="col">Requests</th>
                <th scope="col">Errors</th>
                <th scope="col">Mean confidence</th>
                <th scope="col">p50</th>
                <th scope="col">p95</th>
                <th scope="col">Top food</th>
                <th scope="col">Realised accuracy</th>
              </tr>
            </thead>
            <tbody>
              {data.versions.map((v) => {
                const e = entries.get(v.version);
                const roles = [...new Set([...(e?.aliases ?? []), ...(e?.serving.roles ?? [])])];
                const top = v.foods[0];
                return (
                  <tr key={v.version} className={filters.version === v.version ? 'selected' : undefined}>
                    <th scope="row">v{v.version}</th>
                    <td>{roles.length ? roles.join(', ') : e?.serving.loaded ? 'loaded' : 'not serving'}</td>
                    <td>
                      {count(v.requests)}
                      {v.shadow > 0 && <span className="muted"> ({count(v.shadow)} shadow)</span>}
                    </td>
                    <td>{percent(v.error_rate)}</td>
                    <td>{percent(v.mean_confidence)}</td>
                    <td>{ms(v.latency_ms.p50)}</td>
                    <td>{ms(v.latency_ms.p95)}</td>
                    <td>{top ? `${top.food ?? '(no food)'} ${percent(top.share, 0)}` : DASH}</td>
                    <td>
                      {v.realised_accuracy
                        ? `${percent(v.realised_accuracy.accuracy)} of ${count(v.realised_accuracy.labelled)}`
                        : DASH}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {data && data.shadow_agreement.length > 0 && (
        <ul className="muted small">
          {data.shadow_agreement.map((s) => (
            <li key={`${s.primary_version}-${s.shadow_version}`}>
              Shadow v{s.shadow_version} agrees with v{s.primary_version} on {percent(s.rate)} of {count(s.pairs)} predictions
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
