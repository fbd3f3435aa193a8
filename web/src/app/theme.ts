// Light/dark theme: follows prefers-color-scheme until the user picks one, which is kept in localStorage. index.html
// applies a stored choice before the first paint; the colours themselves are CSS variables in styles.css.
import { useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';
const KEY = 'foodlens-theme';
const dark = () => window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<() => void>();

function stored(): Theme | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null; // storage disabled: follow the system
  }
}

function current(): Theme {
  return stored() ?? (dark().matches ? 'dark' : 'light');
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  const mq = dark();
  mq.addEventListener('change', onChange);
  return () => {
    listeners.delete(onChange);
    mq.removeEventListener('change', onChange);
  };
}

export function setTheme(theme: Theme): void {
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // not persisted, still applied for this page
  }
  document.documentElement.dataset.theme = theme;
  for (const l of listeners) l();
}

/** The theme in effect; re-renders when the user or the system changes it. */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, current, () => 'light');
}

/** A CSS variable's value in the current theme, for canvas and SVG charts that cannot use var(). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
