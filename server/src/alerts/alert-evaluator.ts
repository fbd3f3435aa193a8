// One evaluation pass: every enabled rule's signal is read per scope, stepped through the state machine, and the new
// state written with its event and queued notifications. A rule whose read fails keeps its state (a failed read is
// not "no data") and the pass goes on with the next rule.
import { parseDuration, type AlertStateName, type WebhookTarget } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { initialSnapshot, step } from './alert-state-machine.js';
import { listInstances, writeInstance, type StoredInstance } from './instances.repository.js';
import { deliveriesFor } from './notification.js';
import { listRules, type StoredRule } from './rules.repository.js';
import { readSignal, type SignalReading } from './signals.js';

export interface EvaluatorDeps {
  database: Database;
  servedVersions: () => Array<{ name: string; version: string }>;
  /** used by rules without targets of their own */
  defaultTargets: readonly WebhookTarget[];
  publicUrl: string;
  logger: { warn(obj: object, msg: string): void };
}

export interface EvaluationSummary {
  rules: number;
  instances: number;
  /** state changes */
  transitions: number;
  /** deliveries queued */
  notifications: number;
  /** rules whose signal could not be read */
  failedRules: number;
  /** writes lost to a concurrent evaluator (should stay 0 with the lease) */
  conflicts: number;
  /** pending and firing scopes after the pass, by severity */
  active: Array<{ state: 'pending' | 'firing'; severity: string; count: number }>;
}

export async function evaluateRules(deps: EvaluatorDeps, now = Date.now()): Promise<EvaluationSummary> {
  const summary: EvaluationSummary = { rules: 0, instances: 0, transitions: 0, notifications: 0, failedRules: 0, conflicts: 0, active: [] };
  const [rules, instances] = await Promise.all([listRules(deps.database.db), listInstances(deps.database.db)]);
  const byRule = new Map<string, StoredInstance[]>();
  for (const i of instances) byRule.set(i.ruleId, [...(byRule.get(i.ruleId) ?? []), i]);
  const ctx = { database: deps.database, servedVersions: deps.servedVersions, now, cache: new Map<string, Promise<unknown>>() };

  for (const rule of rules) {
    if (!rule.spec.enabled) continue;
    summary.rules++;
    let readings: SignalReading[];
    try {
      readings = await readSignal(rule.spec, ctx);
    } catch (err) {
      summary.failedRules++;
      deps.logger.warn({ err, rule: rule.id }, 'alert rule signal could not be read; state kept until the next evaluation');
      continue;
    }
    const known = new Map((byRule.get(rule.id) ?? []).map((i) => [i.key, i]));
    // scopes that were alerting but are gone (a drift version no longer served) get "no data", so they can resolve
    for (const [key, i] of known) {
      if (i.snapshot.state !== 'ok' && !readings.some((r) => r.key === key)) readings.push({ key, model: i.model, version: i.version, value: null });
    }
    for (const reading of readings) {
      summary.instances++;
      const outcome = await evaluateInstance(deps, rule, known.get(reading.key) ?? null, reading, now);
      if (outcome === 'conflict') summary.conflicts++;
      else {
        summary.transitions += outcome.changed ? 1 : 0;
        summary.notifications += outcome.notifications;
        if (outcome.state === 'pending' || outcome.state === 'firing') countActive(summary, outcome.state, rule.spec.severity);
      }
    }
  }
  return summary;
}

async function evaluateInstance(
  deps: EvaluatorDeps,
  rule: StoredRule,
  stored: StoredInstance | null,
  reading: SignalReading,
  now: number,
): Promise<{ changed: boolean; notifications: number; state: AlertStateName } | 'conflict'> {
  const spec = rule.spec;
  const prev = stored?.snapshot ?? initialSnapshot(now);
  const t = step(prev, reading.value, spec.comparator, spec.threshold, {
    forMs: parseDuration(spec.for)!,
    renotifyMs: parseDuration(spec.renotify)!,
    noData: spec.no_data,
  }, now);
  const deliveries = t.notify
    ? deliveriesFor(
        {
          ruleId: rule.id, rule: spec, key: reading.key, model: reading.model, version: reading.version, kind: t.notify,
          state: t.next.state, value: reading.value, activeSince: t.notify === 'resolved' ? prev.activeSince : t.next.activeSince,
          now, publicUrl: deps.publicUrl,
        },
        spec.targets.length > 0 ? spec.targets : deps.defaultTargets,
      )
    : [];
  const written = await writeInstance(deps.database.db, {
    ruleId: rule.id,
    key: reading.key,
    model: reading.model,
    version: reading.version,
    expectedRevision: stored?.revision ?? null,
    snapshot: t.next,
    value: reading.value,
    now,
    event: t.changed || t.notify ? { from: prev.state, to: t.next.state, threshold: spec.threshold, notified: deliveries.length > 0 } : undefined,
    deliveries,
  });
  return written ? { changed: t.changed, notifications: deliveries.length, state: t.next.state } : 'conflict';
}

function countActive(summary: EvaluationSummary, state: 'pending' | 'firing', severity: string): void {
  const entry = summary.active.find((a) => a.state === state && a.severity === severity);
  if (entry) entry.count++;
  else summary.active.push({ state, severity, count: 1 });
}
