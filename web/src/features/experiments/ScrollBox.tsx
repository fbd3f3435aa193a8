import type { ReactNode } from 'react';

/**
 * A wide table's own horizontal scroller (the page never scrolls sideways). It takes focus, labelled, so keyboard users
 * can scroll it too when nothing inside it is focusable.
 */
export function ScrollBox(props: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={props.label} tabIndex={0}>
      {props.children}
    </div>
  );
}
