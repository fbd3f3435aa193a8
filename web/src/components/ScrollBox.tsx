import type { ReactNode } from 'react';

/**
 * A wide table's own horizontal scroller (the page never scrolls sideways). Focusable and named, so keyboard users can
 * scroll it when nothing inside takes focus (axe: scrollable-region-focusable).
 */
export function ScrollBox(props: { label: string; children: ReactNode; busy?: boolean }) {
  return (
    <div className="table-scroll" role="region" aria-label={props.label} tabIndex={0} aria-busy={props.busy}>
      {props.children}
    </div>
  );
}
