import { AlertComparator, NoDataPolicy } from '@foodlens/contracts';
import { DurationField } from './DurationField';
import { Field } from './Field';
import { DURATION_BOUNDS, type FieldsProps } from './form-values';
import { COMPARATOR_TEXT, isDriftSignal, NO_DATA_TEXT, SIGNALS, UNIT_TEXT } from './signals';

/** When the rule holds: comparator and threshold in the signal's unit, over a window, for a time. */
export function ConditionFields({ values, set, errors, id }: FieldsProps) {
  const unit = SIGNALS[values.signal].unit;
  const threshold = Number(values.threshold);
  // accepted by the server, but a ratio above 1 or below 0 can never be crossed the way it reads
  const warning =
    unit === 'ratio' && values.threshold.trim() !== '' && Number.isFinite(threshold) && (threshold < 0 || threshold > 1)
      ? `a ratio is from 0 to 1: did you mean ${threshold / 100}?`
      : undefined;
  const minRequestsHint =
    values.signal === 'realised_accuracy'
      ? 'Fewer labelled predictions than this in the window count as no data.'
      : isDriftSignal(values.signal)
        ? 'Fewer successful predictions than this in the window count as no data.'
        : 'Fewer requests than this in the window count as no data (one failed request is no error rate).';
  return (
    <fieldset className="form-section">
      <legend>When it holds</legend>
      <Field id={`${id}-comparator`} label="Comparator" error={errors.comparator}>
        {(c) => (
          <select {...c} value={values.comparator} onChange={(e) => set({ comparator: e.target.value as FieldsProps['values']['comparator'] })}>
            {AlertComparator.options.map((op) => (
              <option key={op} value={op}>
                {op} ({COMPARATOR_TEXT[op]})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${id}-threshold`} label="Threshold" hint={`In ${UNIT_TEXT[unit]}.`} warning={warning} error={errors.threshold}>
        {(c) => (
          <input
            {...c}
            type="number"
            step="any"
            inputMode="decimal"
            required
            value={values.threshold}
            onChange={(e) => set({ threshold: e.target.value })}
          />
        )}
      </Field>
      <DurationField
        id={`${id}-window`}
        label="Window"
        hint="How far back the signal is read"
        bounds={DURATION_BOUNDS.window}
        value={values.window}
        onChange={(v) => set({ window: v })}
        error={errors.window}
      />
      <DurationField
        id={`${id}-for`}
        label="For"
        hint="How long it must hold before firing"
        zero="at once"
        bounds={DURATION_BOUNDS.for}
        value={values.for}
        onChange={(v) => set({ for: v })}
        error={errors.for}
      />
      <Field id={`${id}-min-requests`} label="Minimum requests" hint={minRequestsHint} error={errors.min_requests}>
        {(c) => (
          <input
            {...c}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={values.min_requests}
            onChange={(e) => set({ min_requests: e.target.value })}
          />
        )}
      </Field>
      {values.signal === 'low_confidence_share' && (
        <Field
          id={`${id}-confidence-threshold`}
          label="Confidence threshold"
          hint="Predictions below this confidence (0 to 1) count as low."
          error={errors.confidence_threshold}
        >
          {(c) => (
            <input
              {...c}
              type="number"
              min={0}
              max={1}
              step="any"
              inputMode="decimal"
              value={values.confidence_threshold}
              onChange={(e) => set({ confidence_threshold: e.target.value })}
            />
          )}
        </Field>
      )}
      <Field
        id={`${id}-no-data`}
        label="Without data"
        hint={`${NO_DATA_TEXT[values.no_data]} (no data: no requests, too few, or no drift reference).`}
        error={errors.no_data}
      >
        {(c) => (
          <select {...c} value={values.no_data} onChange={(e) => set({ no_data: e.target.value as FieldsProps['values']['no_data'] })}>
            {NoDataPolicy.options.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        )}
      </Field>
    </fieldset>
  );
}
