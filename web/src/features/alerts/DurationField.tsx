import { useState } from 'react';
import { checkDuration, durationWords, type DurationBounds } from './duration';
import { Field } from './Field';

/**
 * A duration as text ("5m"), checked with the contract's parseDuration when the field is left, and read back in words
 * while it is valid, so "90" (no unit) or "2w" is caught before saving.
 */
export function DurationField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  bounds: DurationBounds;
  /** what the duration does, before its value in words */
  hint: string;
  /** words for zero, when zero means something ("never") */
  zero?: string;
  error?: string;
}) {
  const [touched, setTouched] = useState(false);
  const check = checkDuration(props.value, props.bounds);
  const words = 'ms' in check ? (check.ms === 0 && props.zero ? props.zero : durationWords(check.ms)) : null;
  const error = props.error ?? (touched && 'error' in check ? check.error : undefined);
  return (
    <Field id={props.id} label={props.label} hint={`${props.hint}${words ? `: ${words}` : ''}`} error={error}>
      {(control) => (
        <input
          {...control}
          type="text"
          inputMode="text"
          autoComplete="off"
          spellCheck={false}
          size={8}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          onBlur={() => setTouched(true)}
        />
      )}
    </Field>
  );
}
