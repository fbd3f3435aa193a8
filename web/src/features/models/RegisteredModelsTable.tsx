import type { ModelVersionEntry } from '@foodlens/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { QueryError } from '../../components/QueryError';
import { ScrollBox } from '../../components/ScrollBox';
import { dateTime } from '../../lib/format';
import type { MlflowRegisteredModel } from './api';
import { NoModels } from './NoModels';
import { MODELS_PAGE_SIZE, useRegisteredModels, useServingVersions } from './queries';
import { ServingSummary } from './ServingSummary';
import { TagList } from './TagList';

/** One page of registered-models/search, with each model's serving state from GET /api/v1/mlops/model-versions. */
export function RegisteredModelsTable(props: { filter: string | undefined; onClear: () => void }) {
  // page tokens of the pages visited so far: the first page has none
  const [tokens, setTokens] = useState<Array<string | undefined>>([undefined]);
  const page = tokens.length - 1;
  const search = useRegisteredModels(props.filter, tokens[page]);
  const serving = useServingVersions();
  const byModel = new Map<string, ModelVersionEntry[]>();
  for (const v of serving.data?.model_versions ?? []) byModel.set(v.name, [...(byModel.get(v.name) ?? []), v]);

  if (search.isPending) return <p className="loading">Loading models…</p>;
  if (search.isError) return <QueryError what="The registered models" error={search.error} />;
  const models = search.data.registered_models;
  const next = search.data.next_page_token;
  if (models.length === 0 && page === 0) return <NoModels filter={props.filter} onClear={props.onClear} />;
  const first = page * MODELS_PAGE_SIZE + 1;
  return (
    <>
      {serving.isError && <QueryError what="The serving state (which models are deployed)" error={serving.error} />}
      <ScrollBox label="Registered models">
        <table>
          <thead>
            <tr>
              {/* what a phone shows without scrolling comes first: serving, then the registry's facts */}
              <th scope="col">Model</th>
              <th scope="col">Deployed</th>
              <th scope="col">Aliases</th>
              <th scope="col">Latest versions</th>
              <th scope="col">Description</th>
              <th scope="col">Tags</th>
              <th scope="col">Last update</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <ModelRow key={m.name} model={m} serving={serving.data ? (byModel.get(m.name) ?? []) : null} />
            ))}
          </tbody>
        </table>
      </ScrollBox>
      <div className="pager" aria-live="polite">
        <span>
          {models.length === 0 ? 'No more models' : `Models ${first}–${first + models.length - 1}`}
          {next ? ', more on the next page' : ''}
          {search.isFetching && ' · loading…'}
        </span>
        {page > 0 && (
          <button type="button" className="secondary" onClick={() => setTokens(tokens.slice(0, -1))}>
            Previous page
          </button>
        )}
        {next && (
          <button type="button" className="secondary" onClick={() => setTokens([...tokens, next])}>
            Next page
          </button>
        )}
      </div>
    </>
  );
}

function ModelRow(props: { model: MlflowRegisteredModel; serving: ModelVersionEntry[] | null }) {
  const m = props.model;
  const latest = [...m.latest_versions].sort((a, b) => Number(b.version) - Number(a.version));
  return (
    <tr>
      <th scope="row">
        <Link to={`/models/${encodeURIComponent(m.name)}`}>{m.name}</Link>
      </th>
      <td>{props.serving ? <ServingSummary entries={props.serving} /> : <span className="muted">loading…</span>}</td>
      <td>
        <span className="chips">
          {m.aliases.length === 0 && <span className="muted">none</span>}
          {m.aliases.map((a) => (
            <span key={a.alias} className={`chip${a.alias === 'champion' ? ' champion' : ''}`}>
              {a.alias} → v{a.version}
            </span>
          ))}
        </span>
      </td>
      <td>
        <span className="chips">
          {latest.length === 0 && <span className="muted">no versions</span>}
          {latest.map((v) => (
            <span key={v.version} className="chip" title={`latest ${v.current_stage} version`}>
              v{v.version} · {v.current_stage}
            </span>
          ))}
        </span>
      </td>
      <td className="cell-wrap">{m.description || <span className="muted">no description</span>}</td>
      <td>
        <TagList tags={m.tags} />
      </td>
      <td>{dateTime(m.last_updated_timestamp)}</td>
    </tr>
  );
}
