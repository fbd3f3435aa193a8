import { type ReactNode, useState } from 'react';

/** Renders the first `initial` items and a button for the rest, saying how many there are. */
export function ShowMore<T>(props: { items: T[]; initial: number; what: string; render: (item: T) => ReactNode; className?: string }) {
  const [all, setAll] = useState(false);
  const shown = all ? props.items : props.items.slice(0, props.initial);
  return (
    <>
      <div className={props.className}>{shown.map(props.render)}</div>
      {props.items.length > props.initial && (
        <button type="button" className="secondary" onClick={() => setAll(!all)}>
          {all ? `Show the first ${props.initial} ${props.what}` : `Show all ${props.items.length} ${props.what}`}
        </button>
      )}
    </>
  );
}
