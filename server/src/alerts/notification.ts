// What a notification says: the AlertNotification body (webhook.ts turns it into JSON or Slack format) and the
// deliveries to queue for it, one per target.
import type { AlertNotification, AlertRuleInput, AlertStateName, NotificationKind, WebhookTarget } from '@foodlens/contracts';
import { uuidv7 } from '../util/ids.js';
import type { NewDelivery } from './deliveries.repository.js';

export interface NotificationContext {
  ruleId: string;
  rule: AlertRuleInput;
  key: string;
  model: string | null;
  version: string | null;
  kind: NotificationKind;
  state: AlertStateName;
  value: number | null;
  activeSince: number | null;
  now: number;
  /** where links point, e.g. http://127.0.0.1:8000 */
  publicUrl: string;
}

export function isMuted(rule: Pick<AlertRuleInput, 'muted_until'>, now: number): boolean {
  return rule.muted_until !== null && rule.muted_until > now;
}

export function alertId(ruleId: string, key: string): string {
  return key === '' ? ruleId : `${ruleId}:${key}`;
}

export function buildNotification(c: NotificationContext, id = uuidv7(c.now)): AlertNotification {
  const r = c.rule;
  const base = c.publicUrl.replace(/\/+$/, '');
  return {
    id,
    kind: c.kind,
    state: c.state,
    severity: r.severity,
    summary: summary(c),
    rule: { id: c.ruleId, name: r.name, signal: r.signal, feature: r.feature, window: r.window, for: r.for },
    alert: { id: alertId(c.ruleId, c.key), model: c.model, version: c.version, active_since: c.activeSince },
    value: c.value,
    comparator: r.comparator,
    threshold: r.threshold,
    at: new Date(c.now).toISOString(),
    links: {
      alert: `${base}/api/v1/mlops/alerts?rule_id=${encodeURIComponent(c.ruleId)}`,
      rule: `${base}/api/v1/mlops/alerts/rules/${encodeURIComponent(c.ruleId)}`,
      dashboard: `${base}/alerts`,
    },
  };
}

/** One delivery per target (whether to notify at all is the evaluator's decision). */
export function deliveriesFor(c: NotificationContext, targets: readonly WebhookTarget[]): NewDelivery[] {
  return targets.map((t) => {
    const id = uuidv7(c.now);
    return { id, ruleId: c.ruleId, key: c.key, kind: c.kind, url: t.url, format: t.format, headers: t.headers, payload: buildNotification(c, id), createdAt: c.now };
  });
}

/** "[FIRING] Error rate: error_rate = 0.8 > 0.05 over 5m (food-detector v1)" */
function summary(c: NotificationContext): string {
  const r = c.rule;
  const what = r.signal === 'feature_drift' ? `${r.feature} drift score` : r.signal;
  const scope = c.model === null ? 'all models' : c.version === null ? c.model : `${c.model} v${c.version}`;
  const value = c.value === null ? 'no data' : formatValue(c.value);
  const tag = c.kind === 'resolved' ? 'RESOLVED' : c.kind === 'test' ? 'TEST' : 'FIRING';
  return `[${tag}] ${r.name}: ${what} = ${value} (threshold ${r.comparator} ${formatValue(r.threshold)}) over ${r.window}, ${scope}`;
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3);
}
