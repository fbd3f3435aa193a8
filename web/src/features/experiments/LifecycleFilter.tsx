import type { ViewType } from './api';
import { VIEWS } from './url-state';

/** Active / deleted / all: MLflow's view_type, for experiments or runs. */
export function LifecycleFilter(props: { name: string; value: ViewType; onChange: (v: ViewType) => void }) {
  return (
    <fieldset className="segmented">
      <legend>Lifecycle</legend>
      {VIEWS.map((v) => (
        <label key={v.value}>
          <input type="radio" name={props.name} value={v.value} checked={props.value === v.value} onChange={() => props.onChange(v.value)} />
          <span>{v.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
