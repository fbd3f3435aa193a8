import { Link } from 'react-router';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { ShowMore } from '../../components/ShowMore';
import { useState } from 'react';
import { useRules } from './queries';
import { RuleCard } from './RuleCard';

const PAGE = 20;

/** GET /api/v1/mlops/alerts/rules: every rule with its state, and the way to add one. */
export function RulesPanel({ refetchInterval }: { refetchInterval: number | false }) {
  const query = useRules(refetchInterval);
  const [shown, setShown] = useState(PAGE);
  const rules = query.data?.rules ?? [];
  return (
    <Panel
      title="Rules"
      testId="rules"
      aside={
        <span className="panel-actions">
          {query.data && <span className="muted small">{rules.length} rules</span>}
          <Link className="button-link" to="/alerts/rules/new">
            New rule
          </Link>
        </span>
      }
    >
      {query.isPending && <p>Loading…</p>}
      {query.isError && <QueryError what="The alert rules" error={query.error} />}
      {query.data && rules.length === 0 && (
        <p className="empty">
          No alert rules: the four built-in ones were deleted. Add one with <Link to="/alerts/rules/new">New rule</Link> (or{' '}
          <code>POST /api/v1/mlops/alerts/rules</code>, see the README's Alerts section).
        </p>
      )}
      {rules.length > 0 && (
        <ul className="rule-list">
          {rules.slice(0, shown).map((r) => (
            <RuleCard key={r.id} rule={r} />
          ))}
        </ul>
      )}
      <ShowMore shown={Math.min(shown, rules.length)} more={rules.length > shown} noun="rules" onMore={() => setShown(shown + PAGE)} total={rules.length} />
    </Panel>
  );
}
