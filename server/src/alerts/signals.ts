// Reads the value of a rule's signal, per scope, from what the monitoring endpoints read (rollups, feedback, drift
// references, dropped-log counts), so an alert and the dashboard never disagree. One evaluation pass shares a cache:
// rules on the same scope and window cost one read.
import { DriftQuery, type AlertRuleInput, type DriftReport } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { checkDrift } from '../monitoring/drift-monitor/drift.service.js';
import { listReferences } from '../monitoring/drift-monitor/reference.repository.js';
import { summarisePerformance } from '../monitoring/performance/performance-series.js';
import { summariseConfidence } from '../monitoring/rollups/confidence-summary.js';
import { parseDuration } from '@foodlens/contracts';
import { sumDrops } from './log-drops.js';

export interface SignalReading {
  /** '' for the rule's own scope; `model/version` for a drift rule's versions (see instanceKey) */
  key: string;
  model: string | null;
  version: string | null;
  /** null: no data (no requests, fewer than min_requests, no drift reference, feature not evaluated) */
  value: number | null;
}

export interface SignalContext {
  database: Database;
  /** model versions with a role in a deployment (drift rules read each one that has a reference) */
  servedVersions: () => Array<{ name: string; version: string }>;
  now: number;
  /** per evaluation pass */
  cache: Map<string, Promise<unknown>>;
}

export function instanceKey(model: string, version: string): string {
  return `${encodeURIComponent(model)}/${encodeURIComponent(version)}`;
}

export async function readSignal(rule: AlertRuleInput, ctx: SignalContext): Promise<SignalReading[]> {
  const windowMs = parseDuration(rule.window)!;
  const from = ctx.now - windowMs;
  const own = (value: number | null): SignalReading[] => [{ key: '', model: rule.model, version: rule.version, value }];
  switch (rule.signal) {
    case 'dataset_drift':
    case 'feature_drift':
      return readDrift(rule, ctx, from);
    case 'log_drops':
      return own(await cached(ctx, `drops:${from}`, () => sumDrops(ctx.database.db, from, ctx.now)));
    case 'low_confidence_share': {
      const c = await cached(ctx, `confidence:${scopeKey(rule)}:${from}:${rule.confidence_threshold}`, () =>
        summariseConfidence(
          ctx.database,
          { ...scope(rule, from, ctx.now), bins: 50, quantiles: [0.5], threshold: rule.confidence_threshold },
          ctx.now,
        ),
      );
      return own(c.count >= Math.max(1, rule.min_requests) ? c.below_threshold.share : null);
    }
    default: {
      // feedback (realised accuracy, the estimate's calibration) is read only by the signals that use it
      const accuracy = rule.signal === 'realised_accuracy' || rule.signal === 'estimated_accuracy';
      const p = await cached(ctx, `performance:${scopeKey(rule)}:${from}:${accuracy}`, () =>
        summarisePerformance(ctx.database, { ...scope(rule, from, ctx.now), resolution: undefined }, { now: ctx.now, accuracy }),
      );
      const s = p.summary;
      if (rule.signal === 'realised_accuracy') {
        return own(s.realised_accuracy.labelled >= Math.max(1, rule.min_requests) ? s.realised_accuracy.value : null);
      }
      if (rule.signal === 'request_volume') return own(s.requests >= rule.min_requests ? s.requests : null);
      if (s.requests < Math.max(1, rule.min_requests)) return own(null);
      const value = {
        error_rate: s.error_rate,
        latency_p95: s.latency_p95_ms,
        mean_confidence: s.mean_confidence,
        estimated_accuracy: s.estimated_accuracy.value,
      }[rule.signal];
      return own(value);
    }
  }
}

/** One reading per served version in the rule's scope that has a drift reference. */
async function readDrift(rule: AlertRuleInput, ctx: SignalContext, from: number): Promise<SignalReading[]> {
  const versions = ctx
    .servedVersions()
    .filter((v) => (rule.model === null || v.name === rule.model) && (rule.version === null || v.version === rule.version));
  // a rule naming a version that is not served still reads it: drift of a retired version is a valid question
  if (rule.model !== null && rule.version !== null && versions.length === 0) versions.push({ name: rule.model, version: rule.version });
  // which versions have a reference, read once per pass without the summaries (checkDrift reads those it needs)
  const refs = await cached(ctx, 'drift-references', async () => new Set((await listReferences(ctx.database.db)).map((r) => `${r.model}\u0000${r.version}`)));
  const readings: SignalReading[] = [];
  for (const { name, version } of versions) {
    if (!refs.has(`${name}\u0000${version}`)) continue;
    const report = await cached(ctx, `drift:${name}\u0000${version}\u0000${rule.variant}:${from}`, () =>
      checkDrift(ctx.database, DriftQuery.parse({ model: name, version, variant: rule.variant, from, to: ctx.now }), ctx.now),
    );
    readings.push({ key: instanceKey(name, version), model: name, version, value: driftValue(rule, report) });
  }
  return readings;
}

function driftValue(rule: AlertRuleInput, report: DriftReport): number | null {
  if (report.current.rows < Math.max(1, rule.min_requests)) return null;
  if (rule.signal === 'dataset_drift') return report.dataset.evaluated > 0 ? report.dataset.share : null;
  const f = report.features.find((x) => x.name === rule.feature);
  if (!f || f.status !== 'ok') return null;
  return f.p_value ?? f.distance;
}

function scope(rule: AlertRuleInput, from: number, to: number) {
  return { from, to, window: undefined, model: rule.model ?? undefined, version: rule.version ?? undefined, variant: rule.variant };
}

function scopeKey(rule: AlertRuleInput): string {
  return `${rule.model}\u0000${rule.version}\u0000${rule.variant}`;
}

function cached<T>(ctx: SignalContext, key: string, read: () => Promise<T>): Promise<T> {
  let p = ctx.cache.get(key) as Promise<T> | undefined;
  if (!p) ctx.cache.set(key, (p = read()));
  return p;
}
