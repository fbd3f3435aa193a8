import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

/**
 * "Rule … saved.": what the rule form says when it brings the user back here. It arrives as router state, is put into
 * the live region after mount (so screen readers announce it) and is cleared from the history entry (so a reload or
 * going back does not show it again).
 */
export function SavedNotice() {
  const location = useLocation();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<string | null>(null);
  const sent = (location.state as { notice?: unknown } | null)?.notice;
  useEffect(() => {
    if (typeof sent !== 'string') return;
    setNotice(sent);
    void navigate({ pathname: location.pathname, search: location.search }, { replace: true, state: null, preventScrollReset: true });
  }, [sent, navigate, location.pathname, location.search]);
  return (
    <p role="status" className="notice">
      {notice}
    </p>
  );
}
