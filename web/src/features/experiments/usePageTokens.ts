import { useState } from 'react';

/**
 * Page tokens of a paged list: the API only goes forward (next_page_token), so the tokens of the pages seen are kept
 * to go back. Any change of `scope` (filter, sort, page size, ...) starts again at page 1, without an effect.
 */
export function usePageTokens(scope: string) {
  const [state, setState] = useState<{ scope: string; stack: string[] }>({ scope, stack: [] });
  const stack = state.scope === scope ? state.stack : [];
  return {
    /** 1-based */
    page: stack.length + 1,
    token: stack.at(-1),
    next: (token: string) => setState({ scope, stack: [...stack, token] }),
    previous: () => setState({ scope, stack: stack.slice(0, -1) }),
  };
}
