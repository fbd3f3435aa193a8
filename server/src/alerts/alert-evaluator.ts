// One evaluation pass: every enabled rule's signal is read per scope, stepped through the state machine, and the new
// state written with its event and queued notifications. A rule whose read fails keeps its state (a failed read is
// not "no data") and the pass goes on with the next rule.
import { parseDuration, type WebhookTarget } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { initialSnapshot, step, type AlertSnapshot, type NotificationKind } from './alert-state-machine.js';
import { listInstances, writeInstances, type InstanceWrite, type StoredInstance } from './instances.repository.js';
import { deliveriesFor, isMuted } from './notification.js';
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
  const planned: Array<{ write: InstanceWrite; changed: boolean; severity: string }> = [];

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
      planned.push({ severity: rule.spec.severity, ...planInstance(deps, rule, known.get(reading.key) ?? null, reading, now) });
    }
  }
  // one transaction for the pass: one commit (fsync) instead of one per scope
  const written = await writeInstances(deps.database.db, planned.map((p) => p.write));
  planned.forEach((p, i) => {
    if (!written[i]) return void summary.conflicts++;
    summary.transitions += p.changed ? 1 : 0;
    summary.notifications += p.write.deliveries.length;
    if (p.write.snapshot.state === 'pending' || p.write.snapshot.state === 'firing') countActive(summary, p.write.snapshot.state, p.severity);
  });
  return summary;
}

/** The step of one scope and what to write for it (state, event, deliveries). */
function planInstance(
  deps: EvaluatorDeps,
  rule: StoredRule,
  stored: StoredInstance | null,
  reading: SignalReading,
  now: number,
): { write: InstanceWrite; changed: boolean } {
  const spec = rule.spec;
  const prev = stored?.snapshot ?? initialSnapshot(now);
  const t = step(prev, reading.value, spec.comparator, spec.threshold, {
    forMs: parseDuration(spec.for)!,
    renotifyMs: parseDuration(spec.renotify)!,
    noData: spec.no_data,
  }, now);
  const targets = spec.targets.length > 0 ? spec.targets : deps.defaultTargets;
  const { next, notify } = notification(t.next, t.notify, prev, { muted: isMuted(spec, now), targets: targets.length }, now);
  const deliveries = notify
    ? deliveriesFor(
        {
          ruleId: rule.id, rule: spec, key: reading.key, model: reading.model, version: reading.version, kind: notify,
          state: next.state, value: reading.value, activeSince: notify === 'resolved' ? prev.activeSince : next.activeSince,
          now, publicUrl: deps.publicUrl,
        },
        targets,
      )
    : [];
  const write: InstanceWrite = {
    ruleId: rule.id,
    key: reading.key,
    model: reading.model,
    version: reading.version,
    expectedRevision: stored?.revision ?? null,
    snapshot: next,
    value: reading.value,
    now,
    event: t.changed || notify ? { from: prev.state, to: next.state, threshold: spec.threshold, notified: deliveries.length > 0 } : undefined,
    deliveries,
  };
  return { write, changed: t.changed };
}

/**
 * What is actually sent, given the mute and the targets. lastNotifiedAt records only notifications sent, so: a firing
 * nobody was told of is told once someone can be (the mute ended, a target was added); a repeat held back by a mute
 * comes once the mute ends; a resolution is sent for a firing that was notified, muted or not (it ends an incident
 * someone was paged for), and never for one nobody heard of.
 */
function notification(
  next: AlertSnapshot,
  notify: NotificationKind | null,
  prev: AlertSnapshot,
  audience: { muted: boolean; targets: number },
  now: number,
): { next: AlertSnapshot; notify: NotificationKind | null } {
  if (notify === 'resolved') return { next, notify: prev.lastNotifiedAt !== null && audience.targets > 0 ? 'resolved' : null };
  const canNotify = !audience.muted && audience.targets > 0;
  if (!canNotify) {
    return notify === null ? { next, notify } : { next: { ...next, lastNotifiedAt: notify === 'firing' ? null : prev.lastNotifiedAt }, notify: null };
  }
  if (notify === null && next.state === 'firing' && next.lastNotifiedAt === null) return { next: { ...next, lastNotifiedAt: now }, notify: 'firing' };
  return { next, notify };
}

function countActive(summary: EvaluationSummary, state: 'pending' | 'firing', severity: string): void {
  const entry = summary.active.find((a) => a.state === state && a.severity === severity);
  if (entry) entry.count++;
  else summary.active.push({ state, severity, count: 1 });
}
