import { Link, useRouteError } from 'react-router';

/** Shown when a page throws while rendering or its chunk fails to load (e.g. after a deploy replaced it). */
export function RouteError() {
  const error = useRouteError();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <main id="content" className="route-error">
      <section className="card">
        <h1>Something went wrong</h1>
        <p role="alert" className="error">
          {message}
        </p>
        <p>
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>{' '}
          or go to <Link to="/analyze">Analyze</Link>.
        </p>
      </section>
    </main>
  );
}
