import { Link } from 'react-router';

/** Where this page sits: Experiments › experiment › run. The last crumb is the current page. */
export function Breadcrumbs(props: { trail: { label: string; to?: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumbs">
      <ol>
        {props.trail.map((c, i) => (
          <li key={i}>
            {c.to ? (
              <Link to={c.to}>{c.label}</Link>
            ) : (
              <span aria-current={i === props.trail.length - 1 ? 'page' : undefined}>{c.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
