// In front of the pages: once the server has said it wants a token this tab does not have, the pages are taken away
// (so they send no more requests bound to fail) and the token dialog is offered instead. While that answer is awaited
// the pages render as usual: most servers want no token, and they should not wait a round trip for the question.
import type { ReactNode } from 'react';
import { useAuth } from './AuthProvider';

export function AuthGate(props: { children: ReactNode }) {
  const auth = useAuth();
  if (auth.status !== 'needs-token') return <>{props.children}</>;
  return (
    <section className="card token-needed" aria-labelledby="token-needed-title">
      <h1 id="token-needed-title">Access token needed</h1>
      <p>This FoodLens server answers only requests that carry an access token.</p>
      <button type="button" onClick={auth.openDialog}>
        Enter a token
      </button>
    </section>
  );
}

/** The top bar's part: the role of the token in use and sign out, or sign in; nothing when no token is needed. */
export function AuthStatus() {
  const auth = useAuth();
  if (auth.status === 'signed-in' && auth.who?.role) {
    const who = auth.who.name ? `${auth.who.name} (${auth.who.role})` : auth.who.role;
    return (
      <span className="auth-status">
        <span className="muted small auth-who" data-testid="auth-role">
          <span className="sr-only">Signed in as </span>
          {who}
        </span>
        <button type="button" className="secondary compact" onClick={auth.signOut}>
          Sign out
        </button>
      </span>
    );
  }
  if (auth.status === 'needs-token' || auth.status === 'expired') {
    return (
      <button type="button" className="secondary compact" onClick={auth.openDialog}>
        Sign in
      </button>
    );
  }
  return null;
}
