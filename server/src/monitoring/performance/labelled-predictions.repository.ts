// Labelled predictions for realised accuracy and the calibration pairs. Served predictions are read from the
// feedback table alone: each feedback row carries its prediction's time, model, version, variant and confidence
// (migration 0006), and a covering index answers the range with the key filters. Shadow runs are scored against
// the served prediction's ground truth, so they are found from its feedback through the partial shadow_of index on
// the raw log: shadow scoring reaches back only as far as raw rows are kept (30 days by default).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Tables } from '../../db/tables.js';
import type { RollupFilter } from '../rollups/rollup-read.repository.js';
import { HOUR_MS } from '../rollups/time-buckets.js';
import { emptyLabelled, pushLabelled, type LabelledPredictions } from './labelled-columns.js';

export type { LabelledPredictions };

/** Key filters on the row `alias` (rollups store unknown model/version/variant as '', raw and feedback rows null). */
function keyFilter(alias: string, filter: RollupFilter): RawBuilder<unknown>[] {
  const col = (c: string) => sql.ref(`${alias}.${c}`);
  const out: RawBuilder<unknown>[] = [];
  if (filter.model !== undefined) out.push(sql`${col('model_name')} = ${filter.model}`);
  if (filter.version !== undefined) out.push(sql`${col('model_version')} = ${filter.version}`);
  if (filter.variants !== undefined) {
    const named = filter.variants.filter((v) => v !== '');
    const parts: RawBuilder<unknown>[] = [];
    if (named.length) parts.push(sql`${col('variant')} in (${sql.join(named)})`);
    if (filter.variants.includes('')) parts.push(sql`${col('variant')} is null`);
    out.push(parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`1 = 0`);
  }
  return out;
}

interface Row {
  created_at: number | string;
  confidence: number | string | null;
  correct: number | string | boolean;
}

function toColumns(rows: readonly Row[]): LabelledPredictions {
  const out = emptyLabelled(rows.length);
  for (const r of rows) {
    pushLabelled(out, Number(r.created_at), r.confidence === null ? null : Number(r.confidence), Number(r.correct) === 1 || r.correct === true);
  }
  return out;
}

/** Served (non-shadow) predictions created in [from, to) matching the filter that have feedback: scored by it. */
async function selectServed(db: Kysely<Tables>, from: number, to: number, filter: RollupFilter): Promise<Row[]> {
  const where = sql.join([sql`f.prediction_created_at >= ${from}`, sql`f.prediction_created_at < ${to}`, ...keyFilter('f', filter)], sql` and `);
  const { rows } = await sql<Row>`
    select f.prediction_created_at as created_at, f.confidence, f.correct from prediction_feedback f where ${where}`.execute(db);
  return rows;
}

/** A shadow run is logged just after the prediction it shadows (at most its pending wait); this bounds the search. */
const SHADOW_LAG_MS = HOUR_MS;

/**
 * Shadow runs created in [from, to) matching the filter, scored against the ground truth of the served prediction
 * they shadowed (as the version comparison does): the served answer when its feedback confirmed it, else the label
 * given; "wrong" without a label leaves the truth unknown, so such a shadow is not scored.
 */
async function selectShadow(db: Kysely<Tables>, from: number, to: number, filter: RollupFilter): Promise<Row[]> {
  const where = sql.join([sql`p.created_at >= ${from}`, sql`p.created_at < ${to}`, sql`p.status = 'ok'`, ...keyFilter('p', filter)], sql` and `);
  const truth = sql`coalesce(case when f.correct = 1 then f.food_name else f.label end, '')`;
  const { rows } = await sql<Row>`
    select p.created_at, p.confidence, case when coalesce(p.food_name, '') = ${truth} then 1 else 0 end as correct
    from prediction_feedback f join predictions p on p.shadow_of = f.prediction_id
    where f.prediction_created_at >= ${from - SHADOW_LAG_MS} and f.prediction_created_at < ${to}
      and (f.correct = 1 or f.label is not null) and ${where}`.execute(db);
  return rows;
}

/**
 * Labelled predictions created in [from, to) matching the filter, in parts (see labelled-columns.ts); shadow runs
 * only when the filter includes them.
 */
export async function selectLabelledPredictions(db: Kysely<Tables>, from: number, to: number, filter: RollupFilter): Promise<LabelledPredictions[]> {
  if (to <= from) return [];
  const wantsShadow = filter.variants === undefined || filter.variants.includes('shadow');
  const wantsServed = filter.variants === undefined || filter.variants.some((v) => v !== 'shadow');
  const [served, shadow] = await Promise.all([
    wantsServed ? selectServed(db, from, to, filter).then(toColumns) : null,
    wantsShadow ? selectShadow(db, from, to, filter).then(toColumns) : null,
  ]);
  return [served, shadow].filter((p): p is LabelledPredictions => p !== null);
}
