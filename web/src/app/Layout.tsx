import { useQuery } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { getHealth } from '../lib/api';
import { AuthGate, AuthStatus } from './auth/AuthGate';
import { AuthProvider } from './auth/AuthProvider';
import { NavMenu } from './NavMenu';
import { ThemeToggle } from './ThemeToggle';

export function Layout() {
  const health = useQuery({ queryKey: ['health'], queryFn: getHealth, refetchInterval: 15_000 });
  const h = health.data;
  return (
    <AuthProvider>
      <div className="shell">
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <header className="topbar">
          <span className="brand">
            <span className="logo" aria-hidden="true" />
            FoodLens
          </span>
          <NavMenu />
          <span className={`status ${h?.status ?? 'unknown'}`} title={h ? `model ${h.model.name}/${h.model.version}` : ''}>
            {h ? `${h.status} · ${h.model.name} v${h.model.version}` : health.isError ? 'server unreachable' : '…'}
          </span>
          <AuthStatus />
          <ThemeToggle />
        </header>
        <main id="content" tabIndex={-1}>
          {/* the pages wait while the server wants a token this tab does not have (app/auth) */}
          <AuthGate>
            {/* Pages are separate chunks (router.tsx): this shows while one loads. */}
            <Suspense fallback={<p className="loading">Loading…</p>}>
              <Outlet />
            </Suspense>
          </AuthGate>
        </main>
      </div>
    </AuthProvider>
  );
}
