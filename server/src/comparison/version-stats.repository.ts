// SQL behind the version comparison. Volume, errors, confidence, latency and foods come from the prediction-log
// rollups (O(buckets x versions), whatever the traffic; latency percentiles within one histogram bin, like every
// monitoring quantile); realised accuracy and shadow agreement pair predictions with their feedback or their shadow
// runs, so they read raw rows of the window: the feedback's and the shadow runs', a few percent of the log.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { dialectOf } from '../db/dialect.js';
import type { Tables } from '../db/tables.js';
import { addCountsInto } from '../monitoring/performance/performance-series.js';
import { histogramQuantile, LATENCY_BINS, latencyBinEdges } from '../monitoring/rollups/histogram-bins.js';
import { planRange, type RangePlan } from '../monitoring/rollups/range-plan.js';
import { scoped } from '../monitoring/rollups/rollup-read.repository.js';
import { DEFAULT_MINUTE_RETENTION_MS, HOUR_MS, MINUTE_MS } from '../monitoring/rollups/time-buckets.js';

export interface VersionWindow {
  model: string;
  versions: readonly string[];
  /** epoch ms, inclusive (rounded up to the minute within the last 48 h, else to the hour, like every monitoring range) */
  from?: number;
  /** epoch ms, exclusive (rounded likewise) */
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
  /** counts over the fixed latency bins, successful predictions */
  latencyHist: number[];
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

const IS_SHADOW = sql`p.variant = 'shadow' and p.shadow_of is not null`;

/** The shadow runs' rows, through their partial index (migration 0008). SQLite's planner, without statistics, may
 * prefer the full (model, version, time) index, which walks every prediction of the version: named explicitly there. */
function shadowRuns(db: Kysely<Tables>): RawBuilder<unknown> {
  return dialectOf(db) === 'sqlite' ? sql`predictions p indexed by predictions_shadow_runs_idx` : sql`predictions p`;
}

/** The window as rollup buckets; no bounds means all time. */
function plan(w: VersionWindow, now = Date.now()): RangePlan {
  return planRange(w.from ?? 0, w.to ?? now + MINUTE_MS, { minutesSince: now - DEFAULT_MINUTE_RETENTION_MS + HOUR_MS });
}

export async function selectVersionTotals(db: Kysely<Tables>, w: VersionWindow): Promise<VersionTotals[]> {
  const p = plan(w);
  if (p.segments.length === 0) return [];
  const rows = await scoped(
    db.selectFrom('prediction_rollups').select(['model_version', 'variant', 'requests', 'errors', 'confidence_count', 'confidence_sum', 'latency_hist']),
    p,
    { model: w.model, versions: w.versions },
  ).execute();
  const totals = new Map<string, VersionTotals & { confidenceCount: number; confidenceSum: number }>();
  for (const r of rows) {
    let t = totals.get(r.model_version);
    if (!t) {
      t = { version: r.model_version, requests: 0, served: 0, shadow: 0, errors: 0, ok: 0, meanConfidence: null, latencyHist: new Array<number>(LATENCY_BINS).fill(0), confidenceCount: 0, confidenceSum: 0 };
      totals.set(r.model_version, t);
    }
    const requests = Number(r.requests);
    t.requests += requests;
    if (r.variant === 'shadow') t.shadow += requests;
    else t.served += requests;
    t.errors += Number(r.errors);
    t.ok += requests - Number(r.errors);
    t.confidenceCount += Number(r.confidence_count);
    t.confidenceSum += Number(r.confidence_sum);
    addCountsInto(t.latencyHist, r.latency_hist);
  }
  return [...totals.values()].map(({ confidenceCount, confidenceSum, ...t }) => ({ ...t, meanConfidence: confidenceCount > 0 ? confidenceSum / confidenceCount : null }));
}

/** A latency quantile of the version's successful predictions, from its histogram (within one bin, about 9%). */
export function latencyQuantile(t: Pick<VersionTotals, 'latencyHist'> | undefined, q: number): number | null {
  return t ? histogramQuantile(t.latencyHist, q, latencyBinEdges) : null;
}

export async function selectFoodCounts(
  db: Kysely<Tables>,
  w: VersionWindow,
  limit: number,
): Promise<{ version: string; food: string | null; count: number }[]> {
  const p = plan(w);
  if (p.segments.length === 0) return [];
  const rows = await scoped(
    db.selectFrom('prediction_rollup_foods').select((eb) => ['model_version', 'food_name', eb.fn.sum<number>('count').as('n')]),
    p,
    { model: w.model, versions: w.versions },
  )
    .groupBy(['model_version', 'food_name'])
    .execute();
  // Ranked per version in the application: at most a few hundred (version, food) groups. '' is "nothing recognised".
  const byVersion = new Map<string, { version: string; food: string | null; count: number }[]>();
  for (const r of rows) {
    const list = byVersion.get(r.model_version) ?? [];
    list.push({ version: r.model_version, food: r.food_name === '' ? null : r.food_name, count: Number(r.n) });
    byVersion.set(r.model_version, list);
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
  // served predictions: the feedback rows carry their prediction's model, version, variant and time (migration 0006)
  const served = await sql<{ version: string; labelled: number | string; correct: number | string | null }>`
    select f.model_version as version, count(*) as labelled, sum(f.correct) as correct
    from prediction_feedback f
    where ${inFeedbackWindow(w)} and (f.variant is null or f.variant <> 'shadow')
    group by f.model_version`.execute(db);
  const shadow = await sql<{ version: string; labelled: number | string; correct: number | string | null }>`
    select p.model_version as version, count(*) as labelled,
           sum(case when coalesce(p.food_name, '') = coalesce(case when f.correct = 1 then s.food_name else f.label end, '')
                    then 1 else 0 end) as correct
    from ${shadowRuns(db)}
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

function inFeedbackWindow(w: VersionWindow): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`f.prediction_created_at is not null`, sql`f.model_name = ${w.model}`];
  parts.push(sql`f.model_version in (${sql.join(w.versions.map((v) => sql`${v}`))})`);
  if (w.from !== undefined) parts.push(sql`f.prediction_created_at >= ${w.from}`);
  if (w.to !== undefined) parts.push(sql`f.prediction_created_at < ${w.to}`);
  return sql.join(parts, sql` and `);
}

/** Top-1 agreement between served predictions and their shadow runs, for shadow versions among those compared. */
export async function selectShadowAgreement(
  db: Kysely<Tables>,
  w: VersionWindow,
): Promise<{ primary: string; shadow: string; pairs: number; agreed: number }[]> {
  const { rows } = await sql<{ primary_version: string; shadow_version: string; pairs: number | string; agreed: number | string | null }>`
    select s.model_version as primary_version, p.model_version as shadow_version, count(*) as pairs,
           sum(case when coalesce(p.food_name, '') = coalesce(s.food_name, '') then 1 else 0 end) as agreed
    from ${shadowRuns(db)} join predictions s on s.id = p.shadow_of
    where ${inWindow('p', w)} and ${IS_SHADOW} and p.status = 'ok' and s.status = 'ok' and s.model_name = ${w.model}
    group by s.model_version, p.model_version`.execute(db);
  return rows.map((r) => ({ primary: r.primary_version, shadow: r.shadow_version, pairs: Number(r.pairs), agreed: Number(r.agreed ?? 0) }));
}
