import type { ReactNode } from 'react';

/** A table that scrolls sideways in its own box on narrow screens; focusable and named so keyboard users can scroll
 * it too (axe: scrollable-region-focusable). */
export function TableScroll(props: { label: string; children: ReactNode; busy?: boolean }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={props.label} aria-busy={props.busy}>
      {props.children}
    </div>
  );
}
