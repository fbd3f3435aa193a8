// What one serving-metrics tick reads: per model version, the predictions logged in a time window. Requests that
// failed before a model was chosen (unreadable uploads, no model loaded) carry no model in the log; the caller
// says which served version they are charged to.
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { quantile } from '../evaluation/quantiles.js';

export interface ServingWindowStats {
  modelName: string;
  modelVersion: string;
  requests: number;
  failed: number;
  /** mean top-food confidence of successful predictions that found a food; null when none did */
  meanConfidence: number | null;
  /** p95 (numpy "linear") of whole-request latency over successful predictions; null without any */
  p95LatencyMs: number | null;
}

export const versionKey = (name: string, version: string): string => `${name}/${version}`;

/**
 * Aggregates [from, to) per model version. `unattributedTo` receives the requests logged without a model; with
 * null they are left out. Latency quantiles need the values, so the latencies of successful predictions in the
 * window are read (one number per request; a minute at 1000 requests/s is 60,000 doubles).
 */
export async function servingWindowStats(
  db: Kysely<Tables>,
  from: number,
  to: number,
  unattributedTo: { name: string; version: string } | null,
): Promise<Map<string, ServingWindowStats>> {
  const rows = await db
    .selectFrom('predictions')
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .select((eb) => [
      'model_name',
      'model_version',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number | null>(eb.case().when('status', '=', 'error').then(1).else(0).end()).as('failed'),
      eb.fn.sum<number | null>('confidence').as('confidence_sum'),
      eb.fn.count<number>('confidence').as('confidence_n'),
    ])
    .groupBy(['model_name', 'model_version'])
    .execute();
  const latencies = await db
    .selectFrom('predictions')
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .where('status', '=', 'ok')
    .select(['model_name', 'model_version', 'latency_ms'])
    .execute();

  const acc = new Map<string, { name: string; version: string; n: number; failed: number; confSum: number; confN: number; lat: number[] }>();
  const slot = (name: string | null, version: string | null) => {
    const owner = name !== null && version !== null ? { name, version } : unattributedTo;
    if (!owner) return null;
    const key = versionKey(owner.name, owner.version);
    let s = acc.get(key);
    if (!s) acc.set(key, (s = { name: owner.name, version: owner.version, n: 0, failed: 0, confSum: 0, confN: 0, lat: [] }));
    return s;
  };
  for (const r of rows) {
    const s = slot(r.model_name, r.model_version);
    if (!s) continue;
    s.n += Number(r.n);
    s.failed += Number(r.failed ?? 0);
    s.confSum += Number(r.confidence_sum ?? 0);
    s.confN += Number(r.confidence_n);
  }
  for (const r of latencies) slot(r.model_name, r.model_version)?.lat.push(r.latency_ms);

  const out = new Map<string, ServingWindowStats>();
  for (const [key, s] of acc) {
    out.set(key, {
      modelName: s.name,
      modelVersion: s.version,
      requests: s.n,
      failed: s.failed,
      meanConfidence: s.confN === 0 ? null : s.confSum / s.confN,
      p95LatencyMs: s.lat.length === 0 ? null : quantile(s.lat, 0.95),
    });
  }
  return out;
}
