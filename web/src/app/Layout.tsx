import { useQuery } from '@tanstack/react-query';
import { NavLink, Outlet } from 'react-router';
import { getHealth } from '../lib/api';

export function Layout() {
  const health = useQuery({ queryKey: ['health'], queryFn: getHealth, refetchInterval: 15_000 });
  const h = health.data;
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">
          <span className="logo" aria-hidden="true" />
          FoodLens
        </span>
        <nav>
          <NavLink to="/" end>
            Analyze
          </NavLink>
        </nav>
        <span className={`status ${h?.status ?? 'unknown'}`} title={h ? `model ${h.model.name}/${h.model.version}` : ''}>
          {h ? `${h.status} · ${h.model.name} v${h.model.version}` : health.isError ? 'server unreachable' : '…'}
        </span>
      </header>
      <main>
        <Outlet />
      </main>
    </div>
  );
}
