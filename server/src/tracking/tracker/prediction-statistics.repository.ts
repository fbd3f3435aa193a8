// SQL behind get_prediction_statistics: aggregates over the prediction log's raw rows, portable across SQLite and
// PostgreSQL. Uses the created_at and (model_name, model_version, created_at) indexes for the filters; a scan of the
// filtered rows is O(rows) until the monitoring rollups exist, which is why every query takes the same filter.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Tables } from '../../db/tables.js';

export interface PredictionFilter {
  /** epoch ms, inclusive */
  from?: number;
  /** epoch ms, exclusive */
  to?: number;
  modelName?: string;
  modelVersion?: string;
}

export const DAY_MS = 86_400_000;

type PredictionsQuery = SelectQueryBuilder<Tables, 'predictions', object>;

function filtered(db: Kysely<Tables>, f: PredictionFilter): PredictionsQuery {
  return db
    .selectFrom('predictions')
    .$if(f.from !== undefined, (q) => q.where('created_at', '>=', f.from!))
    .$if(f.to !== undefined, (q) => q.where('created_at', '<', f.to!))
    .$if(f.modelName !== undefined, (q) => q.where('model_name', '=', f.modelName!))
    .$if(f.modelVersion !== undefined, (q) => q.where('model_version', '=', f.modelVersion!));
}

export interface PredictionTotalsRow {
  total: number;
  failed: number;
  unrecognised: number;
  avgConfidence: number | null;
  uniqueUsers: number;
  uniqueFoods: number;
}

export async function selectPredictionTotals(db: Kysely<Tables>, f: PredictionFilter): Promise<PredictionTotalsRow> {
  const row = await filtered(db, f)
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number | null>(eb.case().when('status', '=', 'error').then(1).else(0).end()).as('failed'),
      eb.fn
        .sum<number | null>(eb.case().when(eb.and([eb('status', '=', 'ok'), eb('food_name', 'is', null)])).then(1).else(0).end())
        .as('unrecognised'),
      // avg() skips NULLs: failed and unrecognised predictions carry no confidence.
      eb.fn.avg<number | null>('confidence').as('avg_confidence'),
      // count(distinct col) skips NULLs: anonymous predictions are not a user.
      eb.fn.count<number>('user_id').distinct().as('unique_users'),
      eb.fn.count<number>('food_name').distinct().as('unique_foods'),
    ])
    .executeTakeFirstOrThrow();
  return {
    total: Number(row.total),
    // sum() over no rows is NULL on both databases
    failed: Number(row.failed ?? 0),
    unrecognised: Number(row.unrecognised ?? 0),
    avgConfidence: row.avg_confidence === null ? null : Number(row.avg_confidence),
    uniqueUsers: Number(row.unique_users),
    uniqueFoods: Number(row.unique_foods),
  };
}

export async function selectCountsByFood(db: Kysely<Tables>, f: PredictionFilter): Promise<Array<{ food: string; count: number }>> {
  const rows = await filtered(db, f)
    .where('food_name', 'is not', null)
    .select((eb) => ['food_name', eb.fn.countAll<number>().as('n')])
    .groupBy('food_name')
    .execute();
  return rows.map((r) => ({ food: r.food_name!, count: Number(r.n) }));
}

export async function selectCountsByErrorClass(
  db: Kysely<Tables>,
  f: PredictionFilter,
): Promise<Array<{ errorClass: string; count: number }>> {
  const rows = await filtered(db, f)
    .where('status', '=', 'error')
    .select((eb) => ['error_class', eb.fn.countAll<number>().as('n')])
    .groupBy('error_class')
    .execute();
  return rows.map((r) => ({ errorClass: r.error_class ?? 'unknown', count: Number(r.n) }));
}

// Integer division of epoch ms by the day length is the UTC day number on both databases. Written as literal SQL
// (no bound parameter) so PostgreSQL sees the same expression in SELECT and GROUP BY.
const utcDay = sql<number>`cast(created_at / 86400000 as integer)`;

export async function selectCountsByDay(
  db: Kysely<Tables>,
  f: PredictionFilter,
): Promise<Array<{ day: number; total: number; failed: number }>> {
  const rows = await filtered(db, f)
    .select((eb) => [
      utcDay.as('day'),
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number | null>(eb.case().when('status', '=', 'error').then(1).else(0).end()).as('failed'),
    ])
    .groupBy(utcDay)
    .orderBy(utcDay)
    .execute();
  return rows.map((r) => ({ day: Number(r.day), total: Number(r.n), failed: Number(r.failed ?? 0) }));
}

/** The `limit` users with most predictions; anonymous predictions are left out. */
export async function selectTopUsers(
  db: Kysely<Tables>,
  f: PredictionFilter,
  limit: number,
): Promise<Array<{ userId: string; count: number }>> {
  const rows = await filtered(db, f)
    .where('user_id', 'is not', null)
    .select((eb) => ['user_id', eb.fn.countAll<number>().as('n')])
    .groupBy('user_id')
    // Ties are broken by the id in the database's collation; which of two tied users makes the cut at `limit`
    // may differ between SQLite (bytewise) and a PostgreSQL with a locale collation.
    .orderBy('n', 'desc')
    .orderBy('user_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ userId: r.user_id!, count: Number(r.n) }));
}
