import { type ReactNode, useId } from 'react';

/** A titled card; the title names the region for screen readers. */
export function Panel(props: { title: string; className?: string; testId?: string; aside?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section className={`card panel ${props.className ?? ''}`} aria-labelledby={id} data-testid={props.testId}>
      <div className="panel-head">
        <h2 id={id}>{props.title}</h2>
        {props.aside}
      </div>
      {props.children}
    </section>
  );
}
