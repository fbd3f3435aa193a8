import { columnId, type DataColumn } from './columns';

/**
 * Which params and metrics show as columns. Offers the keys seen in the runs on screen plus any already chosen
 * (a chosen key may be absent from this page).
 */
export function ColumnPicker(props: {
  metricKeys: string[];
  paramKeys: string[];
  chosen: DataColumn[];
  onChange: (ids: string[]) => void;
  onReset: () => void;
}) {
  const chosenIds = props.chosen.map((c) => c.id);
  const withChosen = (entity: DataColumn['entity'], keys: string[]) => [
    ...keys,
    ...props.chosen.filter((c) => c.entity === entity && !keys.includes(c.key)).map((c) => c.key),
  ];
  const toggle = (id: string, on: boolean) => props.onChange(on ? [...chosenIds, id] : chosenIds.filter((c) => c !== id));
  const group = (entity: DataColumn['entity'], title: string, keys: string[]) => (
    <fieldset>
      <legend>{title}</legend>
      {keys.length === 0 ? (
        <p className="muted small">none in these runs</p>
      ) : (
        keys.map((key) => {
          const id = columnId(entity, key);
          return (
            <label key={id} className="check">
              <input type="checkbox" checked={chosenIds.includes(id)} onChange={(e) => toggle(id, e.target.checked)} />
              {key}
            </label>
          );
        })
      )}
    </fieldset>
  );
  return (
    <details className="column-picker">
      <summary>
        Columns <span className="muted">({props.chosen.length} chosen)</span>
      </summary>
      <div className="column-picker-body">
        {group('metrics', 'Metrics', withChosen('metrics', props.metricKeys))}
        {group('params', 'Params', withChosen('params', props.paramKeys))}
        <button type="button" className="secondary" onClick={props.onReset}>
          Default columns
        </button>
      </div>
    </details>
  );
}
