import type { SortDir } from './columns';

/**
 * A column header that sorts on the server when clicked (order_by); aria-sort tells screen readers the current order.
 * Clicking the sorted column flips its direction.
 */
export function SortHeader(props: {
  id: string;
  label: string;
  sort: { id: string; dir: SortDir } | null;
  onSort: (id: string) => void;
  className?: string;
}) {
  const active = props.sort?.id === props.id ? props.sort.dir : null;
  return (
    <th scope="col" className={props.className} aria-sort={active === 'asc' ? 'ascending' : active === 'desc' ? 'descending' : undefined}>
      <button type="button" className="sort-button" onClick={() => props.onSort(props.id)}>
        {props.label}
        <span aria-hidden="true" className={`sort-mark${active ? ' active' : ''}`}>
          {active === 'asc' ? '▲' : active === 'desc' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}
