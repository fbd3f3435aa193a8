// The token dialog: a modal <dialog> (the browser traps focus in it and gives it back on close) with one labelled
// password field. The token is checked with GET /api/v1/auth/whoami before it is kept.
import type { WhoAmI } from '@foodlens/contracts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, checkToken } from '../../lib/api';
import { storeToken } from '../../lib/auth-token';

export function TokenDialog(props: { open: boolean; refused: boolean; onSignedIn(who: WhoAmI): void; onDismiss(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (props.open && !d.open) {
      setError(null);
      d.showModal();
      input.current?.focus();
    } else if (!props.open && d.open) {
      d.close();
    }
  }, [props.open]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const token = input.current?.value.trim() ?? '';
    if (token === '') {
      setError('Enter the token first.');
      input.current?.focus();
      return;
    }
    setChecking(true);
    try {
      const who = await checkToken(token);
      storeToken(token);
      if (input.current) input.current.value = '';
      setError(null);
      props.onSignedIn(who);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'The server refused this token. Check it and try again.'
          : `The token could not be checked: ${(err as Error).message}`,
      );
      input.current?.select();
      input.current?.focus();
    } finally {
      setChecking(false);
    }
  }

  return (
    <dialog ref={dialog} className="token-dialog" aria-labelledby="token-title" aria-describedby="token-help" onClose={props.onDismiss}>
      <form onSubmit={submit} noValidate>
        <h2 id="token-title">Access token</h2>
        <p id="token-help">
          {props.refused ? 'The server no longer accepts the token this tab had. ' : 'This FoodLens server needs an access token. '}
          Ask its administrator for one. It is kept in this browser tab only, until the tab is closed.
        </p>
        <label htmlFor="token-input">Token</label>
        <input
          id="token-input"
          ref={input}
          type="password"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error !== null}
          aria-describedby={error ? 'token-error' : undefined}
        />
        {error && (
          <p id="token-error" role="alert" className="error">
            {error}
          </p>
        )}
        <div className="token-actions">
          <button type="submit" disabled={checking} aria-busy={checking}>
            {checking ? 'Checking…' : 'Use this token'}
          </button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
