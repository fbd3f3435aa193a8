import { type FormEvent, useId, useState } from 'react';
import { errorDetail } from '../../components/QueryError';
import { ApiError } from '../../lib/api';

/** A 400 is the server refusing the filter itself: shown at the box, with the server's message. */
export function isRefusedFilter(error: Error | null): error is ApiError {
  return error instanceof ApiError && error.status === 400;
}

/**
 * A search box taking MLflow's filter grammar. The server parses it: a malformed filter comes back as its 400 message,
 * shown under the box (`refusal`), so the user sees exactly what the server objected to.
 */
export function FilterForm(props: {
  label: string;
  /** the applied filter ('' = none) */
  value: string;
  onApply: (filter: string) => void;
  example: string;
  refusal: ApiError | null;
}) {
  const id = useId();
  // The draft follows the applied value when it changes elsewhere (Clear, back/forward), without an effect.
  const [draft, setDraft] = useState({ applied: props.value, text: props.value });
  const text = draft.applied === props.value ? draft.text : props.value;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onApply(text.trim());
  };
  return (
    <form className="filter-form" role="search" onSubmit={submit}>
      <label className="field" htmlFor={`${id}-input`}>
        {props.label}
      </label>
      <div className="filter-row">
        <input
          id={`${id}-input`}
          type="text"
          value={text}
          placeholder={props.example}
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          aria-invalid={props.refusal ? true : undefined}
          aria-describedby={`${id}-help${props.refusal ? ` ${id}-error` : ''}`}
          onChange={(e) => setDraft({ applied: props.value, text: e.target.value })}
        />
        <button type="submit">Apply</button>
        {props.value !== '' && (
          <button type="button" className="secondary" onClick={() => props.onApply('')}>
            Clear
          </button>
        )}
      </div>
      <p id={`${id}-help`} className="muted small">
        MLflow search syntax, e.g. <code>{props.example}</code>; clauses join with <code>and</code>.
      </p>
      {props.refusal && (
        <p id={`${id}-error`} role="alert" className="error filter-error">
          The filter was refused. {errorDetail(props.refusal)}
        </p>
      )}
    </form>
  );
}
