// What the alert endpoints answer: rules with the state of their scopes, alerts with their history, the delivery log.
// Rule changes go through AlertRuleInput, so a rule stored is a rule the evaluator can run.
import type { Kysely } from 'kysely';
import {
  AlertRuleInput,
  type Alert,
  type AlertEvaluatorStatus,
  type AlertList,
  type AlertListQuery,
  type AlertRule,
  type AlertStateName,
  type Delivery,
  type DeliveryListQuery,
  type WebhookTarget,
} from '@foodlens/contracts';
import type { Tables } from '../db/tables.js';
import { InvalidParameter, NotFound } from '../util/errors.js';
import { insertDeliveries, listDeliveries } from './deliveries.repository.js';
import { instancesChangedSince, listInstances, recentEvents, type StoredInstance } from './instances.repository.js';
import { alertId, deliveriesFor, isMuted } from './notification.js';
import { deleteRule, getRule, insertRule, listRules, updateRule, type StoredRule } from './rules.repository.js';

const STATE_ORDER: Record<AlertStateName, number> = { firing: 3, pending: 2, resolved: 1, ok: 0 };
const RECENT_MS = 7 * 86_400_000;

export interface AlertsServiceDeps {
  db: Kysely<Tables>;
  defaultTargets: readonly WebhookTarget[];
  publicUrl: string;
  evaluatorStatus: () => Promise<AlertEvaluatorStatus>;
}

export function createAlertsService(deps: AlertsServiceDeps) {
  const { db } = deps;

  async function ruleOut(rule: StoredRule, instances?: StoredInstance[], now = Date.now()): Promise<AlertRule> {
    const own = instances ?? (await listInstances(db, rule.id));
    const state = own.reduce<AlertStateName>((worst, i) => (STATE_ORDER[i.snapshot.state] > STATE_ORDER[worst] ? i.snapshot.state : worst), 'ok');
    return {
      id: rule.id,
      ...rule.spec,
      builtin: rule.builtin,
      created_at: rule.createdAt,
      updated_at: rule.updatedAt,
      state,
      muted: isMuted(rule.spec, now),
      instances: own.map(instanceOut),
    };
  }

  async function requireRule(id: string): Promise<StoredRule> {
    const rule = await getRule(db, id);
    if (!rule) throw new NotFound(`alert rule ${id} does not exist`);
    return rule;
  }

  return {
    async listRules(): Promise<AlertRule[]> {
      const [rules, instances] = await Promise.all([listRules(db), listInstances(db)]);
      return Promise.all(rules.map((r) => ruleOut(r, instances.filter((i) => i.ruleId === r.id))));
    },

    async getRule(id: string): Promise<AlertRule> {
      return ruleOut(await requireRule(id));
    },

    async createRule(spec: AlertRuleInput): Promise<AlertRule> {
      return ruleOut(await insertRule(db, spec), []);
    },

    async replaceRule(id: string, spec: AlertRuleInput): Promise<AlertRule> {
      if (!(await updateRule(db, id, spec))) throw new NotFound(`alert rule ${id} does not exist`);
      return ruleOut(await requireRule(id));
    },

    /** Merges the given fields into the stored rule and validates the result as a whole. */
    async patchRule(id: string, patch: Record<string, unknown>): Promise<AlertRule> {
      const rule = await requireRule(id);
      const merged = AlertRuleInput.safeParse({ ...rule.spec, ...patch });
      if (!merged.success) {
        throw new InvalidParameter(merged.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
      }
      await updateRule(db, id, merged.data);
      return ruleOut(await requireRule(id));
    },

    async deleteRule(id: string): Promise<void> {
      if (!(await deleteRule(db, id))) throw new NotFound(`alert rule ${id} does not exist`);
    },

    /** Queues a test notification to each of the rule's targets (muted or not); answers how many. */
    async testRule(id: string, now = Date.now()): Promise<number> {
      const rule = await requireRule(id);
      const targets = rule.spec.targets.length > 0 ? rule.spec.targets : deps.defaultTargets;
      if (targets.length === 0) throw new InvalidParameter(`alert rule ${id} has no targets and no default webhooks are configured (FOODLENS_ALERT_WEBHOOKS)`);
      const deliveries = deliveriesFor(
        {
          ruleId: rule.id, rule: rule.spec, key: '', model: rule.spec.model, version: rule.spec.version,
          kind: 'test', state: 'ok', value: null, activeSince: null, now, publicUrl: deps.publicUrl,
        },
        targets,
      );
      await insertDeliveries(db, deliveries);
      return deliveries.length;
    },

    async listAlerts(q: AlertListQuery, now = Date.now()): Promise<AlertList> {
      const [rules, instances, evaluator] = await Promise.all([listRules(db), listInstances(db, q.rule_id), deps.evaluatorStatus()]);
      const ruleById = new Map(rules.map((r) => [r.id, r]));
      const active = (i: StoredInstance) => (i.snapshot.state === 'pending' || i.snapshot.state === 'firing') && ruleById.get(i.ruleId)?.spec.enabled === true;
      let chosen = instances.filter((i) => ruleById.has(i.ruleId));
      if (q.scope === 'current') chosen = chosen.filter(active);
      else if (q.scope === 'recent') {
        const changed = await instancesChangedSince(db, q.since ?? now - RECENT_MS);
        chosen = chosen.filter((i) => active(i) || changed.has(`${i.ruleId}\u0000${i.key}`));
      }
      chosen.sort((a, b) => STATE_ORDER[b.snapshot.state] - STATE_ORDER[a.snapshot.state] || b.snapshot.since - a.snapshot.since);
      chosen = chosen.slice(0, q.limit);
      const history = await recentEvents(db, chosen.map((i) => ({ ruleId: i.ruleId, key: i.key })), q.history);
      const alerts: Alert[] = chosen.map((i) => {
        const rule = ruleById.get(i.ruleId)!;
        return {
          ...instanceOut(i),
          rule_name: rule.spec.name,
          signal: rule.spec.signal,
          feature: rule.spec.feature,
          severity: rule.spec.severity,
          comparator: rule.spec.comparator,
          threshold: rule.spec.threshold,
          window: rule.spec.window,
          muted: isMuted(rule.spec, now),
          history: (history.get(`${i.ruleId}\u0000${i.key}`) ?? []).map((e) => ({
            id: e.id, at: e.at, from: e.from, to: e.to, value: e.value, threshold: e.threshold, notified: e.notified,
          })),
        };
      });
      const all = instances.filter(active);
      return {
        firing: all.filter((i) => i.snapshot.state === 'firing').length,
        pending: all.filter((i) => i.snapshot.state === 'pending').length,
        evaluator,
        alerts,
      };
    },

    async listDeliveries(q: DeliveryListQuery): Promise<Delivery[]> {
      const rows = await listDeliveries(db, { ruleId: q.rule_id, status: q.status, limit: q.limit });
      return rows.map((d) => ({
        id: d.id,
        rule_id: d.ruleId,
        alert_id: alertId(d.ruleId, d.key),
        kind: d.kind,
        url: d.url,
        format: d.format,
        status: d.status,
        attempts: d.attempts,
        created_at: d.createdAt,
        next_attempt_at: d.nextAttemptAt,
        delivered_at: d.deliveredAt,
        last_error: d.lastError,
        attempt_log: d.attemptLog.map((a) => ({ attempt: a.attempt, at: a.at, status_code: a.statusCode, error: a.error, duration_ms: a.durationMs })),
      }));
    },
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;

function instanceOut(i: StoredInstance) {
  return {
    id: alertId(i.ruleId, i.key),
    rule_id: i.ruleId,
    key: i.key,
    model: i.model,
    version: i.version,
    state: i.snapshot.state,
    value: i.value,
    since: i.snapshot.since,
    active_since: i.snapshot.activeSince,
    last_evaluated_at: i.lastEvaluatedAt,
    last_notified_at: i.snapshot.lastNotifiedAt,
  };
}
