import { HeadersEditor } from './HeadersEditor';
import { Field } from './Field';
import { newTarget, type FieldsProps, type TargetRow } from './form-values';

/** Up to 10 webhooks (the contract's limit), each with its body format and extra headers. */
const MAX_TARGETS = 10;

export function TargetsEditor({ values, set, errors, id }: FieldsProps) {
  const targets = values.targets;
  const update = (i: number, patch: Partial<TargetRow>) => set({ targets: targets.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  return (
    <div className="targets wide">
      <h3 className="form-subhead">Webhooks</h3>
      {targets.length === 0 && (
        <p className="hint">
          None: notifications go to the server's default webhooks (<code>FOODLENS_ALERT_WEBHOOKS</code>), if it has any.
        </p>
      )}
      {errors.targets && <p className="field-error">{errors.targets}</p>}
      <ol className="target-list">
        {targets.map((t, i) => (
          <li key={t.key} className="target">
            <fieldset>
              <legend>Webhook {i + 1}</legend>
              <Field id={`${id}-target-${t.key}-url`} label="URL" error={errors[`targets.${i}.url`]} className="wide">
                {(c) => (
                  <input
                    {...c}
                    type="url"
                    inputMode="url"
                    placeholder="https://hooks.example.com/…"
                    value={t.url}
                    onChange={(e) => update(i, { url: e.target.value })}
                  />
                )}
              </Field>
              <Field
                id={`${id}-target-${t.key}-format`}
                label="Format"
                hint={t.format === 'json' ? "FoodLens's JSON notification" : 'A Slack incoming-webhook message'}
                error={errors[`targets.${i}.format`]}
              >
                {(c) => (
                  <select {...c} value={t.format} onChange={(e) => update(i, { format: e.target.value as TargetRow['format'] })}>
                    <option value="json">json</option>
                    <option value="slack">slack</option>
                  </select>
                )}
              </Field>
              <HeadersEditor
                id={`${id}-target-${t.key}`}
                target={i + 1}
                headers={t.headers}
                onChange={(headers) => update(i, { headers })}
                error={errors[`targets.${i}.headers`]}
              />
              <button type="button" className="secondary" onClick={() => set({ targets: targets.filter((_, j) => j !== i) })}>
                Remove webhook {i + 1}
              </button>
            </fieldset>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="secondary"
        disabled={targets.length >= MAX_TARGETS}
        onClick={() => set({ targets: [...targets, newTarget()] })}
      >
        Add webhook
      </button>
      {targets.length >= MAX_TARGETS && <span className="hint"> At most {MAX_TARGETS} webhooks.</span>}
    </div>
  );
}
