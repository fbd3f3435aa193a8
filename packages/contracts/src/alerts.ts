// /api/v1/mlops/alerts: rules on monitored signals, their evaluated state per scope (an alert), the state history and
// the webhook delivery log. Durations are strings like "90s", "5m", "2h", "1d" (kept as given, parsed by
// parseDuration on both sides).
import { z } from 'zod';
import { instant } from './mlops.js';
import { MonitoringVariant } from './monitoring.js';
import { DriftFeatureName } from './monitoring-drift.js';

export const ALERT_SIGNALS = [
  'dataset_drift',
  'feature_drift',
  'error_rate',
  'latency_p95',
  'mean_confidence',
  'low_confidence_share',
  'estimated_accuracy',
  'realised_accuracy',
  'log_drops',
  'request_volume',
] as const;
/**
 * What a rule watches, over its window:
 * - dataset_drift: share of drifted features (0..1, Evidently's dataset drift at drift_share 0.5), per served version
 *   with a drift reference;
 * - feature_drift: one feature's drift score, the test's p-value (ks, chisquare, z: drifted when low) or distance
 *   (wasserstein, jensenshannon: drifted when high), per served version with a reference;
 * - error_rate: failed / all requests; latency_p95: ms, of successful predictions; mean_confidence; low_confidence_share:
 *   share of predictions below confidence_threshold; estimated_accuracy (CBPE); realised_accuracy (from feedback);
 *   request_volume: requests in the window; these from the prediction-log rollups over the rule's scope;
 * - log_drops: prediction-log records dropped by any instance (queue full) in the window.
 */
export const AlertSignal = z.enum(ALERT_SIGNALS);
export type AlertSignal = z.infer<typeof AlertSignal>;

export const AlertComparator = z.enum(['>', '>=', '<', '<=']);
export type AlertComparator = z.infer<typeof AlertComparator>;

export const AlertSeverity = z.enum(['info', 'warning', 'critical']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

/** ok -> pending (condition holds, `for` not yet elapsed) -> firing -> resolved (held, then stopped holding). */
export const AlertStateName = z.enum(['ok', 'pending', 'firing', 'resolved']);
export type AlertStateName = z.infer<typeof AlertStateName>;

/** What a rule does when its signal has no value (no requests, too few requests, no drift reference). */
export const NoDataPolicy = z.enum(['ok', 'keep', 'alerting']);
export type NoDataPolicy = z.infer<typeof NoDataPolicy>;

const DURATION_UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d{1,7})(s|m|h|d)$/;

/** "90s" -> 90000; null for anything else. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text);
  return m ? Number(m[1]) * DURATION_UNIT_MS[m[2] as keyof typeof DURATION_UNIT_MS] : null;
}

const duration = (min: number, max: number, what: string) =>
  z.string().refine(
    (s) => {
      const ms = parseDuration(s);
      return ms !== null && ms >= min && ms <= max;
    },
    { message: `${what}: a duration like 90s, 5m, 2h or 1d, from ${min / 1000}s to ${max / 86_400_000}d` },
  );

/** Windows are read from minute rollups, so at least a minute; drift reads at most 30 days like the dashboard. */
export const ALERT_MIN_WINDOW_MS = 60_000;
export const ALERT_MAX_WINDOW_MS = 30 * 86_400_000;

export const WebhookTarget = z.object({
  type: z.literal('webhook'),
  url: z
    .string()
    .max(2000)
    .refine((u) => URL.canParse(u) && ['http:', 'https:'].includes(new URL(u).protocol), { message: 'an http(s) URL' }),
  /** json: FoodLens's own body (AlertNotification); slack: a Slack-compatible incoming-webhook body */
  format: z.enum(['json', 'slack']).default('json'),
  /** extra request headers, e.g. an Authorization for the receiver */
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'a header name'), z.string().max(4000))
    .refine((h) => Object.keys(h).length <= 20, { message: 'at most 20 headers' })
    .default({}),
});
export type WebhookTarget = z.infer<typeof WebhookTarget>;

const ruleFields = {
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).default(''),
    signal: AlertSignal,
    /** feature_drift only: which feature */
    feature: DriftFeatureName.nullable().default(null),
    /** null: every model (drift signals: every served model version with a reference) */
    model: z.string().min(1).max(500).nullable().default(null),
    /** null: every version of the model */
    version: z.string().min(1).max(100).nullable().default(null),
    variant: MonitoringVariant.default('served'),
    comparator: AlertComparator,
    threshold: z.number().finite(),
    /** how far back the signal is read, ending at the evaluation (minute rollups: rounded up to whole minutes) */
    window: duration(ALERT_MIN_WINDOW_MS, ALERT_MAX_WINDOW_MS, 'window').default('5m'),
    /** how long the condition must hold before the alert fires (0s: at once) */
    for: duration(0, 7 * 86_400_000, 'for').default('0s'),
    /** while firing, notify again this often (0s: never) */
    renotify: duration(0, 30 * 86_400_000, 'renotify').default('4h'),
    /** fewer requests than this in the window count as no data (one failed request is no error rate); low_confidence_share
     * counts predictions with a confidence, realised_accuracy labelled predictions, drift signals successful predictions */
    min_requests: z.number().int().min(0).max(1_000_000_000).default(0),
    /** low_confidence_share only: predictions below this confidence count as low */
    confidence_threshold: z.number().min(0).max(1).default(0.5),
    no_data: NoDataPolicy.default('ok'),
    severity: AlertSeverity.default('warning'),
    enabled: z.boolean().default(true),
    /** until then the rule is evaluated and its state kept, but nobody is notified; an alert still firing when the mute
     * ends is notified then, and a resolution is sent only for a firing that was notified */
    muted_until: instant.nullable().default(null),
    /** empty: the server's default webhooks (FOODLENS_ALERT_WEBHOOKS), if any */
    targets: z.array(WebhookTarget).max(10).default([]),
};

/** Strict: a misspelt field is an error, not a silently ignored default. */
export const AlertRuleInput = z
  .strictObject(ruleFields)
  .refine((r) => (r.signal === 'feature_drift') === (r.feature !== null), {
    message: 'feature is required by feature_drift and allowed only there',
    path: ['feature'],
  })
  .refine((r) => r.version === null || r.model !== null, { message: 'version needs model', path: ['version'] });
export type AlertRuleInput = z.infer<typeof AlertRuleInput>;
/** The body a client sends (defaults not yet applied). */
export type AlertRuleBody = z.input<typeof AlertRuleInput>;

export const AlertRuleId = z.object({ id: z.string().min(1).max(100) });

/** PATCH: any fields of AlertRuleInput; merged into the stored rule, then validated as a whole. */
export const AlertRulePatch = z.record(z.string(), z.unknown());

export const AlertEvaluation = z.object({
  /** null when another instance holds the evaluator lease */
  evaluated: z
    .object({
      rules: z.number().int(),
      instances: z.number().int(),
      transitions: z.number().int(),
      notifications: z.number().int(),
      failed_rules: z.number().int(),
    })
    .nullable(),
});
export type AlertEvaluation = z.infer<typeof AlertEvaluation>;

/** One evaluated scope of a rule: the rule's own scope, or (drift signals) one served model version. */
export const AlertInstance = z.object({
  /** rule id and key, unique */
  id: z.string(),
  rule_id: z.string(),
  /** '' for the rule's own scope; `model/version` (URI-encoded parts) for a drift rule's versions */
  key: z.string(),
  model: z.string().nullable(),
  version: z.string().nullable(),
  state: AlertStateName,
  /** the signal at the last evaluation; null without data */
  value: z.number().nullable(),
  /** when the current state was entered, epoch ms */
  since: z.number(),
  /** when the condition started to hold (pending and firing), epoch ms */
  active_since: z.number().nullable(),
  last_evaluated_at: z.number(),
  last_notified_at: z.number().nullable(),
});
export type AlertInstance = z.infer<typeof AlertInstance>;

export const AlertRule = z.object({
  id: z.string(),
  /** the rule as stored, defaults applied */
  ...ruleFields,
  muted_until: z.number().nullable(),
  /** one of the rules created at first start (drift, error rate, latency, dropped logs), or null */
  builtin: z.string().nullable(),
  created_at: z.number(),
  updated_at: z.number(),
  /** the worst state of its instances */
  state: AlertStateName,
  muted: z.boolean(),
  instances: z.array(AlertInstance),
});
export type AlertRule = z.infer<typeof AlertRule>;

export const AlertRuleList = z.object({ rules: z.array(AlertRule) });
export type AlertRuleList = z.infer<typeof AlertRuleList>;

/** A state change of an instance. */
export const AlertEvent = z.object({
  id: z.string(),
  at: z.number(),
  from: AlertStateName,
  to: AlertStateName,
  value: z.number().nullable(),
  threshold: z.number(),
  /** a notification was queued for it (firing, resolved and repeats, unless muted or without targets) */
  notified: z.boolean(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;

export const Alert = AlertInstance.extend({
  rule_name: z.string(),
  signal: AlertSignal,
  feature: DriftFeatureName.nullable(),
  severity: AlertSeverity,
  comparator: AlertComparator,
  threshold: z.number(),
  window: z.string(),
  muted: z.boolean(),
  /** newest first, at most `history` events */
  history: z.array(AlertEvent),
});
export type Alert = z.infer<typeof Alert>;

export const AlertListQuery = z.object({
  /** current: pending and firing; recent: also every instance with a state change since `since`; all: every instance */
  scope: z.enum(['current', 'recent', 'all']).default('recent'),
  /** for scope=recent, default 7 days ago */
  since: instant.optional(),
  rule_id: z.string().min(1).max(100).optional(),
  history: z.coerce.number().int().min(0).max(200).default(20),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AlertListQuery = z.infer<typeof AlertListQuery>;

export const AlertEvaluatorStatus = z.object({
  interval_ms: z.number(),
  /** the instance holding the evaluator lease (only it evaluates and delivers), null when none holds it */
  holder: z.string().nullable(),
  this_instance: z.string(),
  is_evaluator: z.boolean(),
  /** this instance's last evaluation */
  last_evaluation_at: z.number().nullable(),
  last_duration_ms: z.number().nullable(),
  last_error: z.string().nullable(),
  evaluations: z.number().int(),
  pending_deliveries: z.number().int(),
  failed_deliveries: z.number().int(),
});
export type AlertEvaluatorStatus = z.infer<typeof AlertEvaluatorStatus>;

export const AlertList = z.object({
  firing: z.number().int(),
  pending: z.number().int(),
  evaluator: AlertEvaluatorStatus,
  alerts: z.array(Alert),
});
export type AlertList = z.infer<typeof AlertList>;

export const NotificationKind = z.enum(['firing', 'resolved', 'repeat', 'test']);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** The JSON body a `json` webhook receives. */
export const AlertNotification = z.object({
  /** unique per notification; also the X-FoodLens-Delivery header, for receivers that de-duplicate retries */
  id: z.string(),
  kind: NotificationKind,
  /** the state the alert is in */
  state: AlertStateName,
  severity: AlertSeverity,
  summary: z.string(),
  rule: z.object({ id: z.string(), name: z.string(), signal: AlertSignal, feature: DriftFeatureName.nullable(), window: z.string(), for: z.string() }),
  alert: z.object({ id: z.string(), model: z.string().nullable(), version: z.string().nullable(), active_since: z.number().nullable() }),
  value: z.number().nullable(),
  comparator: AlertComparator,
  threshold: z.number(),
  /** when the state changed, ISO 8601 */
  at: z.string(),
  links: z.object({ alert: z.string(), rule: z.string(), dashboard: z.string() }),
});
export type AlertNotification = z.infer<typeof AlertNotification>;

export const DeliveryStatus = z.enum(['pending', 'delivered', 'failed', 'cancelled']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const DeliveryAttempt = z.object({
  attempt: z.number().int(),
  at: z.number(),
  /** HTTP status, null when no answer (refused, timeout) */
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const Delivery = z.object({
  id: z.string(),
  rule_id: z.string(),
  alert_id: z.string(),
  kind: NotificationKind,
  url: z.string(),
  format: z.enum(['json', 'slack']),
  status: DeliveryStatus,
  attempts: z.number().int(),
  created_at: z.number(),
  next_attempt_at: z.number().nullable(),
  delivered_at: z.number().nullable(),
  last_error: z.string().nullable(),
  attempt_log: z.array(DeliveryAttempt),
});
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryListQuery = z.object({
  rule_id: z.string().min(1).max(100).optional(),
  status: DeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type DeliveryListQuery = z.infer<typeof DeliveryListQuery>;

export const DeliveryList = z.object({ deliveries: z.array(Delivery) });
export type DeliveryList = z.infer<typeof DeliveryList>;
