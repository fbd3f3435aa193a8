import { ALERT_SIGNALS, DRIFT_FEATURES, MonitoringVariant } from '@foodlens/contracts';
import { Field } from './Field';
import type { FieldsProps } from './form-values';
import { ModelFields } from './ModelFields';
import { isDriftSignal, SIGNALS, VARIANT_TEXT } from './signals';

/** What the rule watches: its name, the signal (and feature), and the models it covers. */
export function WatchFields({ values, set, errors, id }: FieldsProps) {
  const signal = SIGNALS[values.signal];
  return (
    <fieldset className="form-section">
      <legend>What to watch</legend>
      <Field id={`${id}-name`} label="Name" error={errors.name}>
        {(c) => <input {...c} type="text" value={values.name} maxLength={200} required onChange={(e) => set({ name: e.target.value })} />}
      </Field>
      <Field id={`${id}-description`} label="Description" hint="Optional: what it means when this fires, for whoever is notified." error={errors.description} className="wide">
        {(c) => <textarea {...c} rows={2} maxLength={2000} value={values.description} onChange={(e) => set({ description: e.target.value })} />}
      </Field>
      <Field id={`${id}-signal`} label="Signal" hint={signal.explanation} error={errors.signal} className="wide">
        {(c) => (
          <select {...c} value={values.signal} onChange={(e) => set({ signal: e.target.value as FieldsProps['values']['signal'] })}>
            {ALERT_SIGNALS.map((s) => (
              <option key={s} value={s}>
                {SIGNALS[s].label} ({s})
              </option>
            ))}
          </select>
        )}
      </Field>
      {values.signal === 'feature_drift' && (
        <Field id={`${id}-feature`} label="Feature" hint="The input feature whose drift score is watched." error={errors.feature}>
          {(c) => (
            <select {...c} value={values.feature} onChange={(e) => set({ feature: e.target.value as FieldsProps['values']['feature'] })}>
              <option value="">Choose a feature</option>
              {DRIFT_FEATURES.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <ModelFields values={values} set={set} errors={errors} id={id} />
      <Field
        id={`${id}-variant`}
        label="Predictions"
        hint={`${VARIANT_TEXT[values.variant]}.${isDriftSignal(values.signal) ? ' Drift signals read each served version with a drift reference.' : ''}`}
        error={errors.variant}
      >
        {(c) => (
          <select {...c} value={values.variant} onChange={(e) => set({ variant: e.target.value as FieldsProps['values']['variant'] })}>
            {MonitoringVariant.options.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        )}
      </Field>
    </fieldset>
  );
}
