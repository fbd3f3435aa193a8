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
