import { AlertSeverity } from '@foodlens/contracts';
import { DurationField } from './DurationField';
import { Field } from './Field';
import { DURATION_BOUNDS, type FieldsProps } from './form-values';
import { TargetsEditor } from './TargetsEditor';

/** Who hears about it and how loudly: severity, repeats, muting, and the webhooks. */
export function NotifyFields(props: FieldsProps) {
  const { values, set, errors, id } = props;
  return (
    <fieldset className="form-section">
      <legend>Notifications</legend>
      <Field id={`${id}-severity`} label="Severity" error={errors.severity}>
        {(c) => (
          <select {...c} value={values.severity} onChange={(e) => set({ severity: e.target.value as FieldsProps['values']['severity'] })}>
            {AlertSeverity.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        )}
      </Field>
      <DurationField
        id={`${id}-renotify`}
        label="Renotify"
        hint="While firing, notify again every"
        zero="never (0s)"
        bounds={DURATION_BOUNDS.renotify}
        value={values.renotify}
        onChange={(v) => set({ renotify: v })}
        error={errors.renotify}
      />
      <Field
        id={`${id}-muted-until`}
        label="Muted until"
        hint="Optional, your local time: until then the rule is evaluated but nobody is notified."
        error={errors.muted_until}
      >
        {(c) => <input {...c} type="datetime-local" value={values.muted_until} onChange={(e) => set({ muted_until: e.target.value })} />}
      </Field>
      <div className="form-field">
        <label className="check">
          <input type="checkbox" checked={values.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Enabled (a disabled rule is not evaluated)
        </label>
      </div>
      <TargetsEditor {...props} />
    </fieldset>
  );
}
