import { parseDuration, type AlertRule } from '@foodlens/contracts';
import { dateTime } from '../../lib/format';
import { durationWords } from './duration';
import { RuleActions } from './RuleActions';
import { COMPARATOR_TEXT, scopeText, SIGNALS, signalValue } from './signals';
import { SeverityBadge, StateBadge } from './StateBadge';

/** "> 50.0% over 5m, for 2m (at least 20 requests)": the rule's condition as it reads. */
function conditionText(r: AlertRule): string {
  const forMs = parseDuration(r.for) ?? 0;
  const parts = [`${r.comparator} ${signalValue(r.signal, r.threshold)} over ${r.window}`, forMs > 0 ? `for ${r.for}` : 'at once'];
  if (r.min_requests > 0) parts.push(`at least ${r.min_requests.toLocaleString('en-US')} request${r.min_requests === 1 ? '' : 's'}`);
  if (r.signal === 'low_confidence_share') parts.push(`low below ${signalValue('mean_confidence', r.confidence_threshold)}`);
  if (r.no_data !== 'ok') parts.push(`no data: ${r.no_data}`);
  return parts.join(', ');
}

function notifiesText(r: AlertRule): string {
  const repeat = parseDuration(r.renotify) ? `, again every ${durationWords(parseDuration(r.renotify)!)} while firing` : '';
  if (r.targets.length === 0) return `the server's default webhooks (FOODLENS_ALERT_WEBHOOKS)${repeat}`;
  const hosts = r.targets.map((t) => (URL.canParse(t.url) ? new URL(t.url).host : t.url));
  return `${r.targets.length} webhook${r.targets.length === 1 ? '' : 's'} (${hosts.join(', ')})${repeat}`;
}

/** One rule: what it watches, its condition and scope, its state, and what can be done with it. */
export function RuleCard({ rule }: { rule: AlertRule }) {
  const signal = SIGNALS[rule.signal];
  return (
    <li className={`rule ${rule.enabled ? '' : 'disabled'}`} data-testid={`rule-${rule.id}`}>
      <div className="rule-head">
        <h3>{rule.name}</h3>
        <StateBadge state={rule.state} />
        <SeverityBadge severity={rule.severity} />
        {rule.muted && rule.muted_until !== null && <span className="badge muted-badge">muted until {dateTime(rule.muted_until)}</span>}
        {!rule.enabled && <span className="badge disabled-badge">disabled</span>}
        {rule.builtin && <span className="tag">built-in</span>}
      </div>
      {rule.description && <p className="muted small rule-description">{rule.description}</p>}
      <dl className="rule-facts">
        <dt>Signal</dt>
        <dd title={signal.explanation}>
          {signal.label} <code>{rule.signal}</code>
          {rule.feature && (
            <>
              {' '}
              of <code>{rule.feature}</code>
            </>
          )}
        </dd>
        <dt>Condition</dt>
        <dd>
          <span className="sr-only">{COMPARATOR_TEXT[rule.comparator]} </span>
          {conditionText(rule)}
        </dd>
        <dt>Scope</dt>
        <dd>
          {scopeText(rule.model, rule.version)} · {rule.variant} predictions
          {rule.instances.length > 1 && ` · ${rule.instances.length} versions evaluated`}
        </dd>
        <dt>Notifies</dt>
        <dd>{notifiesText(rule)}</dd>
      </dl>
      <RuleActions rule={rule} />
    </li>
  );
}
