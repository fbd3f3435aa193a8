import type { ViewType } from './api';

/** Whether an empty page is the filter's, the lifecycle's or the paging's doing rather than an empty list. */
export const isNarrowed = (filter: string, view: ViewType, page: number) => filter !== '' || view !== 'ACTIVE_ONLY' || page > 1;

/** An empty page of a narrowed list: what narrowed it, and what to change. */
export function NoMatch(props: { what: string; filter: string; view: ViewType }) {
  return (
    <p className="empty">
      No {props.view === 'DELETED_ONLY' ? 'deleted ' : ''}
      {props.what} match
      {props.filter ? (
        <>
          {' '}
          <code>{props.filter}</code>
        </>
      ) : (
        ' this view'
      )}
      . Change the filter or the lifecycle.
    </p>
  );
}
