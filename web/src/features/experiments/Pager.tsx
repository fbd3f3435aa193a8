import { PAGE_SIZES } from './url-state';

/**
 * Previous / next over a token-paged list, with the rows shown and a page-size choice. The API gives no total, so the
 * count is "rows a–b" plus whether more follow.
 */
export function Pager(props: {
  what: string;
  page: number;
  pageSize: number;
  shown: number;
  nextToken: string | null;
  onNext: (token: string) => void;
  onPrevious: () => void;
  onPageSize: (size: number) => void;
  busy: boolean;
}) {
  const first = (props.page - 1) * props.pageSize + 1;
  const range = props.shown === 0 ? `no ${props.what}` : `${props.what} ${first}–${first + props.shown - 1}`;
  return (
    <nav className="pager" aria-label={`Pages of ${props.what}`}>
      <span className="muted small" aria-live="polite">
        Page {props.page} · {range}
        {props.nextToken ? ' · more on the next page' : props.page > 1 || props.shown > 0 ? ' · last page' : ''}
        {props.busy && ' · loading…'}
      </span>
      <label className="field inline">
        Rows per page
        <select value={props.pageSize} onChange={(e) => props.onPageSize(Number(e.target.value))}>
          {PAGE_SIZES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="secondary" disabled={props.page === 1} onClick={props.onPrevious}>
        Previous page
      </button>
      <button type="button" className="secondary" disabled={!props.nextToken} onClick={() => props.nextToken && props.onNext(props.nextToken)}>
        Next page
      </button>
    </nav>
  );
}
