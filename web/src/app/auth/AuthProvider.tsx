// Whether this server wants a token (GET /api/v1/auth/whoami), the token dialog, and what the shell needs of both: the
// gate in front of the pages (AuthGate) and the role with sign in / sign out in the top bar (AuthStatus).
import type { WhoAmI } from '@foodlens/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, getWhoAmI } from '../../lib/api';
import { forgetToken, onUnauthorised } from '../../lib/auth-token';
import { TokenDialog } from './TokenDialog';

export const WHOAMI_KEY = ['auth', 'whoami'] as const;

export interface AuthState {
  /**
   * loading: the first answer is awaited (the pages render meanwhile, so an open server costs no extra round trip);
   * open: no token needed; needs-token: none (or a refused one), the pages wait; signed-in; expired: the server refused
   * the token later on, the pages stay while the dialog asks again
   */
  status: 'loading' | 'open' | 'needs-token' | 'signed-in' | 'expired';
  who: WhoAmI | null;
  /** the server refused the token this tab had */
  refused: boolean;
  openDialog(): void;
  signOut(): void;
}

const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

export function AuthProvider(props: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const whoami = useQuery({ queryKey: WHOAMI_KEY, queryFn: getWhoAmI, staleTime: Infinity, retry: false });
  const [refused, setRefused] = useState(false);
  const [dialogOpen, setDialogOpen] = useState(false);

  // a call answered 401: with the kept token, the server no longer accepts it (forget it, say so); without one, a token
  // is needed. Either way the dialog asks.
  useEffect(
    () =>
      onUnauthorised((withToken) => {
        if (withToken) {
          forgetToken();
          setRefused(true);
        }
        setDialogOpen(true);
      }),
    [],
  );

  const startRefused = whoami.error instanceof ApiError && whoami.error.status === 401;
  const who = whoami.data ?? null;
  let status: AuthState['status'];
  if (whoami.isPending) status = 'loading';
  else if (startRefused || (who?.auth_required && who.role === null)) status = 'needs-token';
  // whoami failing otherwise (server unreachable): the pages say so themselves
  else if (!who || !who.auth_required) status = 'open';
  else status = refused ? 'expired' : 'signed-in';

  // the gate opens the dialog by itself when a token is needed at start
  useEffect(() => {
    if (status === 'needs-token') setDialogOpen(true);
  }, [status]);

  const signedIn = useCallback(
    (answer: WhoAmI) => {
      queryClient.setQueryData(WHOAMI_KEY, answer);
      setRefused(false);
      setDialogOpen(false);
      // what failed for want of a token is asked again
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== WHOAMI_KEY[0] });
    },
    [queryClient],
  );

  const state = useMemo<AuthState>(
    () => ({
      status,
      who,
      refused: refused || startRefused,
      openDialog: () => setDialogOpen(true),
      signOut: () => {
        forgetToken();
        setRefused(false);
        queryClient.setQueryData(WHOAMI_KEY, (old: WhoAmI | undefined) => (old ? { ...old, role: null, name: null } : old));
        // nothing read with the old token stays on screen
        queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== WHOAMI_KEY[0] });
      },
    }),
    [status, who, refused, startRefused, queryClient],
  );

  return (
    <AuthContext.Provider value={state}>
      {props.children}
      <TokenDialog open={dialogOpen} refused={refused || startRefused} onSignedIn={signedIn} onDismiss={() => setDialogOpen(false)} />
    </AuthContext.Provider>
  );
}
