import type { ModelVersionEntry } from '@foodlens/contracts';
import { Link } from 'react-router';
import { dateTime } from '../../lib/format';
import type { MlflowRegisteredModel } from './api';
import { ServingSummary } from './ServingSummary';
import { TagList } from './TagList';

/** The model's heading and registry facts: description, tags, aliases, serving, times. */
export function ModelSummary(props: { model: MlflowRegisteredModel; entries: readonly ModelVersionEntry[] }) {
  const m = props.model;
  return (
    <section className="card panel" aria-labelledby="model-title">
      <div className="panel-head">
        <h1 id="model-title">{m.name}</h1>
        <Link to={`/models?register&name=${encodeURIComponent(m.name)}`}>Register a new version</Link>
      </div>
      <p>{m.description || <span className="muted">No description (set one with MLflow: registered-models/update).</span>}</p>
      <dl className="facts">
        <dt>Deployed</dt>
        <dd>
          <ServingSummary entries={props.entries} />
        </dd>
        <dt>Aliases</dt>
        <dd>
          {m.aliases.length > 0 ? m.aliases.map((a) => `${a.alias} → v${a.version}`).join(', ') : <span className="muted">none</span>}
        </dd>
        <dt>Tags</dt>
        <dd>
          <TagList tags={m.tags} />
        </dd>
        <dt>Created</dt>
        <dd>{dateTime(m.creation_timestamp)}</dd>
        <dt>Last update</dt>
        <dd>{dateTime(m.last_updated_timestamp)}</dd>
      </dl>
    </section>
  );
}
