import type { ReactNode } from 'react';

/** A page not built yet: says so in one sentence and points at the API that already serves its data. */
export function ComingSoon(props: { title: string; children: ReactNode }) {
  return (
    <section className="card">
      <h1>{props.title}</h1>
      <p>{props.children}</p>
    </section>
  );
}
