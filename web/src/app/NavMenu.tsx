// The main navigation: a row of links on wide screens; below 720px a menu button that opens them as a list.
import { useEffect, useState } from 'react';
import { NavLink, useLocation } from 'react-router';

const LINKS = [
  { to: '/analyze', label: 'Analyze' },
  { to: '/mlops', label: 'MLOps' },
  { to: '/experiments', label: 'Experiments' },
  { to: '/models', label: 'Models' },
  { to: '/alerts', label: 'Alerts' },
];

export function NavMenu() {
  const { pathname } = useLocation();
  // The path the menu was opened on: navigating anywhere else closes it, with no effect to keep in sync.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const close = () => setOpenOn(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        close();
        document.getElementById('menu-button')?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <>
      <button
        id="menu-button"
        type="button"
        className="icon-button menu-button"
        aria-expanded={open}
        aria-controls="main-nav"
        aria-label="Menu"
        onClick={() => setOpenOn(open ? null : pathname)}
      >
        <span className="hamburger" aria-hidden="true" />
      </button>
      <nav id="main-nav" className={open ? 'open' : undefined} aria-label="Main">
        {LINKS.map((l) => (
          <NavLink key={l.to} to={l.to} onClick={close}>
            {l.label}
          </NavLink>
        ))}
      </nav>
    </>
  );
}
