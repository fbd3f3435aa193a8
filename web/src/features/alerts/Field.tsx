import type { ReactNode } from 'react';

/** What the control inside a Field spreads on itself: its id, and the hint and error that describe it. */
export interface FieldControl {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/**
 * A labelled form control with its hint and its error beside it; the control gets aria-describedby/aria-invalid so a
 * screen reader reads the error with the field.
 */
export function Field(props: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  /** a soft warning: the value is accepted but probably not meant */
  warning?: string;
  className?: string;
  children: (control: FieldControl) => ReactNode;
}) {
  const { id, error, hint, warning } = props;
  const described = [hint && `${id}-hint`, warning && `${id}-warning`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className={`form-field ${props.className ?? ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, 'aria-describedby': described || undefined, 'aria-invalid': error ? true : undefined })}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {warning && (
        <span id={`${id}-warning`} className="warning">
          {warning}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
