// Rows of the alert and delivery tables that open a detail row below them (history, attempt log).
import { type ReactNode, useState } from 'react';

/** Which rows have their details open, by id. */
export function useOpenRows() {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => {
    const next = new Set(open);
    if (!next.delete(id)) next.add(id);
    setOpen(next);
  };
  return { isOpen: (id: string) => open.has(id), toggle };
}

/** "Show (n)" / "Hide (n)" for the detail row `controls`; `what` names the details for screen readers. */
export function DetailsToggle(props: {
  expanded: boolean;
  controls: string;
  count: number;
  what: ReactNode;
  disabled?: boolean;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      className="secondary small-button"
      aria-expanded={props.expanded}
      aria-controls={props.controls}
      disabled={props.disabled}
      onClick={props.onToggle}
    >
      {props.expanded ? 'Hide' : 'Show'} ({props.count})<span className="sr-only"> {props.what}</span>
    </button>
  );
}

/** The full-width row under an opened row. */
export function DetailRow(props: { id: string; columns: number; children: ReactNode }) {
  return (
    <tr id={props.id} className="detail-row">
      <td colSpan={props.columns}>{props.children}</td>
    </tr>
  );
}
