// The two ways a long list is capped: pages asked for one at a time (ShowMore), or a list at hand shown in part until
// the user asks for all of it (ShowAll).
import { type ReactNode, useState } from 'react';

/** The visible count of a capped list, and a button for the next page when there is one. */
export function ShowMore(props: { shown: number; more: boolean; noun: string; onMore: () => void; total?: number }) {
  if (!props.more) return null;
  return (
    <p className="show-more muted small">
      {props.total === undefined
        ? `Showing the first ${props.shown} ${props.noun}; there are more.`
        : `Showing ${props.shown} of ${props.total} ${props.noun}.`}{' '}
      <button type="button" className="secondary" onClick={props.onMore}>
        Show more {props.noun}
      </button>
    </p>
  );
}

/** Renders the first `initial` items and a button for the rest, saying how many there are. */
export function ShowAll<T>(props: { items: T[]; initial: number; what: string; render: (item: T) => ReactNode; className?: string }) {
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
