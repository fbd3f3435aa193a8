// SQL behind the version comparison: aggregates over the prediction log's raw rows for one model's versions in a time
// window. Portable across SQLite and PostgreSQL; every query filters on (model_name, model_version, created_at), the
// prediction log's index. O(rows in the window) until the monitoring rollups serve these figures.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Tables } from '../db/tables.js';

export interface VersionWindow {
  model: string;
  versions: readonly string[];
  /** epoch ms, inclusive */
  from?: number;
  /** epoch ms, exclusive */
  to?: number;
}

export interface VersionTotals {
  version: string;
  requests: number;
  served: number;
  shadow: number;
  errors: number;
  meanConfidence: number | null;
  /** successful predictions, the population of the latency percentiles and food shares */
  ok: number;
}

/** rows of `alias` in the window for the model (versions filtered by the caller's IN list) */
function inWindow(alias: string, w: VersionWindow): RawBuilder<unknown> {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const parts: RawBuilder<unknown>[] = [sql`${col('model_name')} = ${w.model}`];
  parts.push(sql`${col('model_version')} in (${sql.join(w.versions.map((v) => sql`${v}`))})`);
  if (w.from !== undefined) parts.push(sql`${col('created_at')} >= ${w.from}`);
  if (w.to !== undefined) parts.push(sql`${col('created_at')} < ${w.to}`);
  return sql.join(parts, sql` and `);
}

const IS_SHADOW = sql`p.variant = 'shadow'`;
const NOT_SHADOW = sql`(p.variant is null or p.variant <> 'shadow')`;

export async function selectVersionTotals(db: Kysely<Tables>, w: VersionWindow): Promise<VersionTotals[]> {
  const { rows } = await sql<{
    version: string;
    requests: number | string;
    shadow: number | string | null;
    errors: number | string | null;
    ok: number | string | null;
    mean_confidence: number | string | null;
  }>`
    select p.model_version as version,
           count(*) as requests,
           sum(case when ${IS_SHADOW} then 1 else 0 end) as shadow,
           sum(case when p.status = 'error' then 1 else 0 end) as errors,
           sum(case when p.status = 'ok' then 1 else 0 end) as ok,
           avg(case when p.status = 'ok' then p.confidence end) as mean_confidence
    from predictions p
    where ${inWindow('p', w)}
    group by p.model_version`.execute(db);
  return rows.map((r) => {
    const requests = Number(r.requests);
    const shadow = Number(r.shadow ?? 0);
    return {
      version: r.version,
      requests,
      served: requests - shadow,
      shadow,
      errors: Number(r.errors ?? 0),
      ok: Number(r.ok ?? 0),
      meanConfidence: r.mean_confidence === null ? null : Number(r.mean_confidence),
    };
  });
}

/**
 * Nearest-rank percentile (the smallest value with at least q of the values at or below it) of the latency of the
 * version's successful predictions: one ORDER BY ... OFFSET per percentile, no rows shipped to the application.
 */
export async function selectLatencyPercentile(db: Kysely<Tables>, w: VersionWindow, version: string, okCount: number, q: number): Promise<number | null> {
  if (okCount === 0) return null;
  const offset = Math.max(0, Math.ceil(q * okCount) - 1);
  const { rows } = await sql<{ latency_ms: number | string }>`
    select p.latency_ms from predictions p
    where ${inWindow('p', { ...w, versions: [version] })} and p.status = 'ok'
    order by p.latency_ms
    limit 1 offset ${offset}`.execute(db);
  return rows[0] ? Number(rows[0].latency_ms) : null;
}

export async function selectFoodCounts(
  db: Kysely<Tables>,
  w: VersionWindow,
  limit: number,
): Promise<{ version: string; food: string | null; count: number }[]> {
  // Ranked per version in the application: the window holds at most a few hundred (version, food) groups.
  const { rows } = await sql<{ version: string; food: string | null; n: number | string }>`
    select p.model_version as version, p.food_name as food, count(*) as n
    from predictions p
    where ${inWindow('p', w)} and p.status = 'ok'
    group by p.model_version, p.food_name`.execute(db);
  const byVersion = new Map<string, { version: string; food: string | null; count: number }[]>();
  for (const r of rows) {
    const list = byVersion.get(r.version) ?? [];
    list.push({ version: r.version, food: r.food, count: Number(r.n) });
    byVersion.set(r.version, list);
  }
  return [...byVersion.values()].flatMap((list) =>
    list.sort((a, b) => b.count - a.count || String(a.food).localeCompare(String(b.food))).slice(0, limit),
  );
}

/**
 * Realised accuracy per version. A served prediction is scored by its own feedback. A shadow run is scored against the
 * ground truth of the prediction it shadowed: that prediction's answer when the feedback confirmed it, else the label
 * the user gave (feedback "wrong" without a label leaves the truth unknown, so the shadow is not scored).
 */
export async function selectRealisedAccuracy(
  db: Kysely<Tables>,
  w: VersionWindow,
): Promise<{ version: string; labelled: number; correct: number }[]> {
  const served = await sql<{ version: string; labelled: number | string; correct: number | string | null }>`
    select p.model_version as version, count(*) as labelled, sum(f.correct) as correct
    from predictions p join prediction_feedback f on f.prediction_id = p.id
    where ${inWindow('p', w)} and ${NOT_SHADOW}
    group by p.model_version`.execute(db);
  const shadow = await sql<{ version: string; labelled: number | string; correct: number | string | null }>`
    select p.model_version as version, count(*) as labelled,
           sum(case when coalesce(p.food_name, '') = coalesce(case when f.correct = 1 then s.food_name else f.label end, '')
                    then 1 else 0 end) as correct
    from predictions p
      join predictions s on s.id = p.shadow_of
      join prediction_feedback f on f.prediction_id = s.id
    where ${inWindow('p', w)} and ${IS_SHADOW} and p.status = 'ok' and (f.correct = 1 or f.label is not null)
    group by p.model_version`.execute(db);
  const totals = new Map<string, { version: string; labelled: number; correct: number }>();
  for (const r of [...served.rows, ...shadow.rows]) {
    const t = totals.get(r.version) ?? { version: r.version, labelled: 0, correct: 0 };
    t.labelled += Number(r.labelled);
    t.correct += Number(r.correct ?? 0);
    totals.set(r.version, t);
  }
  return [...totals.values()];
}

/** Top-1 agreement between served predictions and their shadow runs, for shadow versions among those compared. */
export async function selectShadowAgreement(
  db: Kysely<Tables>,
  w: VersionWindow,
): Promise<{ primary: string; shadow: string; pairs: number; agreed: number }[]> {
  const { rows } = await sql<{ primary_version: string; shadow_version: string; pairs: number | string; agreed: number | string | null }>`
    select s.model_version as primary_version, p.model_version as shadow_version, count(*) as pairs,
           sum(case when coalesce(p.food_name, '') = coalesce(s.food_name, '') then 1 else 0 end) as agreed
    from predictions p join predictions s on s.id = p.shadow_of
    where ${inWindow('p', w)} and ${IS_SHADOW} and p.status = 'ok' and s.status = 'ok' and s.model_name = ${w.model}
    group by s.model_version, p.model_version`.execute(db);
  return rows.map((r) => ({ primary: r.primary_version, shadow: r.shadow_version, pairs: Number(r.pairs), agreed: Number(r.agreed ?? 0) }));
}
