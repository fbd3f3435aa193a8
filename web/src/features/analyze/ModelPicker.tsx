import type { UseQueryResult } from '@tanstack/react-query';
import { errorDetail } from '../../components/QueryError';
import type { DeployedModel } from './api';

/**
 * Which deployed model answers, shown only when there is a choice (more than one model deployed). '' is the server's
 * default, the first model listed.
 */
export function ModelPicker(props: { models: UseQueryResult<DeployedModel[]>; value: string; onChange: (model: string) => void }) {
  const { models } = props;
  if (models.isError) {
    return (
      <p className="muted small" role="status">
        The deployed models could not be listed ({errorDetail(models.error)}): the default model answers.
      </p>
    );
  }
  const list = models.data ?? [];
  if (list.length < 2) return null;
  return (
    <div className="field model-picker">
      <label htmlFor="analyze-model">Model</label>
      <select id="analyze-model" name="model" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {list.map((m, i) => (
          <option key={m.name} value={i === 0 ? '' : m.name} disabled={!m.loaded}>
            {m.name} · champion v{m.version}
            {i === 0 ? ' (default)' : ''}
            {m.loaded ? '' : ' (loading…)'}
          </option>
        ))}
      </select>
    </div>
  );
}
