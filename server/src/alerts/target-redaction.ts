// Webhook URLs and headers are secrets (a Slack incoming-webhook URL is a credential, headers often carry one): only
// callers who may change rules (admin, or everyone when authentication is off) read them whole; others see where a
// notification goes (scheme and host) but not the secret part.
import type { AlertRule, Delivery, WebhookTarget } from '@foodlens/contracts';

export const REDACTED = '[redacted]';

/** `https://hooks.slack.com/services/T0/B0/xyz` -> `https://hooks.slack.com/[redacted]`; an unparsable URL -> `[redacted]`. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return REDACTED;
  const u = new URL(url);
  const secret = u.pathname.length > 1 || u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '';
  return `${u.protocol}//${u.host}/${secret ? REDACTED : ''}`;
}

export function redactTarget(t: WebhookTarget): WebhookTarget {
  return { ...t, url: redactUrl(t.url), headers: Object.fromEntries(Object.keys(t.headers).map((k) => [k, REDACTED])) };
}

export function redactRule(rule: AlertRule): AlertRule {
  return { ...rule, targets: rule.targets.map(redactTarget) };
}

export function redactDelivery(d: Delivery): Delivery {
  return { ...d, url: redactUrl(d.url) };
}
