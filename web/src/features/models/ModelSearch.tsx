import { useId, useState } from 'react';
import { filterString } from './api';

/** A plain word searches names (case-insensitive); text with a comparison is sent as an MLflow filter as it is. */
export function searchFilter(q: string): string | undefined {
  const text = q.trim();
  if (!text) return undefined;
  if (/\s(=|!=|like|ilike)\s/i.test(text)) return text;
  return `name ILIKE ${filterString(`%${text}%`)}`;
}

export function ModelSearch(props: { value: string; filter: string | undefined; onSearch: (q: string) => void }) {
  const id = useId();
  const [text, setText] = useState(props.value);
  return (
    <form
      role="search"
      className="search-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSearch(text.trim());
      }}
    >
      <div className="field">
        <label htmlFor={id}>Search models</label>
        <input
          id={id}
          type="search"
          value={text}
          placeholder="food, or an MLflow filter: tags.team = 'vision'"
          aria-describedby={`${id}-hint`}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <button type="submit">Search</button>
      {props.value && (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setText('');
            props.onSearch('');
          }}
        >
          Clear
        </button>
      )}
      <p id={`${id}-hint`} className="hint">
        {props.filter ? (
          <>
            Filter sent to <code>registered-models/search</code>: <code>{props.filter}</code>
          </>
        ) : (
          'A word matches model names; MLflow filters (name, tags.<key>; = != LIKE ILIKE) are used as written.'
        )}
      </p>
    </form>
  );
}
