import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{pathname}</code>. Try <Link to="/analyze">Analyze</Link> or the{' '}
        <Link to="/mlops">MLOps dashboard</Link>.
      </p>
    </section>
  );
}
