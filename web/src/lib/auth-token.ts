// The access token the web app sends as "Authorization: Bearer" when the server requires one (docs/security.md).
// It is kept in sessionStorage, not localStorage: it lasts while this tab is open and is gone when the tab closes, so a
// token typed on a shared machine does not stay on its disk for the next person; the cost is asking again in a new tab.
const KEY = 'foodlens.token';

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    // storage disabled by the browser: the token then lasts until the page reloads
    return null;
  }
}

let memory: string | null = null;

export function storedToken(): string | null {
  return storage()?.getItem(KEY) ?? memory;
}

export function storeToken(token: string): void {
  memory = token;
  storage()?.setItem(KEY, token);
}

export function forgetToken(): void {
  memory = null;
  storage()?.removeItem(KEY);
}

/** `withToken`: the refused request carried the kept token (it is no longer valid), rather than none. */
type Listener = (withToken: boolean) => void;
const listeners = new Set<Listener>();

/** Called when the server refuses the token the app sent (or the lack of one): the token dialog listens. */
export function onUnauthorised(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function reportUnauthorised(withToken: boolean): void {
  for (const listener of listeners) listener(withToken);
}
