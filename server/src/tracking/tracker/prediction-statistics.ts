// get_prediction_statistics: what the prediction log says about serving, for the dashboard and /api/v1/mlops/metrics.
// Predictions are read from the prediction log (one row each), never from tracking runs: logging a run per
// prediction, as the original tracker did, would bury real runs and cost a transaction per request.
import { Kysely } from 'kysely';
import type { Database } from '../../db/connection.js';
import type { Tables } from '../../db/tables.js';
import { InvalidParameter } from '../../util/errors.js';
import {
  DAY_MS,
  selectCountsByDay,
  selectCountsByErrorClass,
  selectCountsByFood,
  selectPredictionTotals,
  selectTopUsers,
  type PredictionFilter,
} from './prediction-statistics.repository.js';

export type { PredictionFilter };

export const DEFAULT_TOP_USERS = 10;
export const MAX_TOP_USERS = 1000;

export interface PredictionStatisticsQuery extends PredictionFilter {
  /** how many users `topUsers` lists (default 10, at most 1000) */
  topUsers?: number;
}

export interface PredictionStatistics {
  /** every logged prediction in the filter, successful and failed */
  totalPredictions: number;
  successful: number;
  failed: number;
  /** failed / total; null when there are no predictions */
  errorRate: number | null;
  /** successful predictions that found no known food */
  unrecognised: number;
  /** mean confidence of the top food over predictions that found one; null when none did */
  averageConfidence: number | null;
  /** distinct non-null user ids */
  uniqueUsers: number;
  /** distinct foods predicted */
  uniqueFoods: number;
  /** most predicted first, ties by name */
  byFood: Array<{ food: string; count: number }>;
  /** most frequent first, ties by name */
  byErrorClass: Array<{ errorClass: string; count: number }>;
  /** UTC days with at least one prediction, oldest first; `date` is YYYY-MM-DD */
  byDay: Array<{ date: string; total: number; failed: number }>;
  topUsers: Array<{ userId: string; count: number }>;
}

/**
 * Aggregates the prediction log within the filter: `from` inclusive, `to` exclusive (epoch ms); a model filter
 * leaves out requests that failed before a model was chosen (unreadable uploads), which have no model.
 * The statements run one after another without a shared snapshot, so predictions logged meanwhile may show in a
 * later figure and not an earlier one.
 */
export async function getPredictionStatistics(
  store: Database | Kysely<Tables>,
  query: PredictionStatisticsQuery = {},
): Promise<PredictionStatistics> {
  const db = store instanceof Kysely ? store : store.db;
  const topUsers = query.topUsers ?? DEFAULT_TOP_USERS;
  if (!Number.isInteger(topUsers) || topUsers < 0 || topUsers > MAX_TOP_USERS) {
    throw new InvalidParameter(`top_users must be an integer from 0 to ${MAX_TOP_USERS}`);
  }
  for (const [name, v] of [['from', query.from], ['to', query.to]] as const) {
    if (v !== undefined && !Number.isSafeInteger(v)) throw new InvalidParameter(`${name} must be epoch milliseconds`);
  }
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw new InvalidParameter('from must not be after to');
  }
  const filter: PredictionFilter = {
    from: query.from,
    to: query.to,
    modelName: query.modelName,
    modelVersion: query.modelVersion,
  };
  const totals = await selectPredictionTotals(db, filter);
  const byFood = sortByCountThenName(await selectCountsByFood(db, filter), (r) => r.food);
  const byErrorClass = sortByCountThenName(await selectCountsByErrorClass(db, filter), (r) => r.errorClass);
  const byDay = (await selectCountsByDay(db, filter)).map((r) => ({ date: utcDate(r.day), total: r.total, failed: r.failed }));
  const users = topUsers === 0 ? [] : await selectTopUsers(db, filter, topUsers);
  return {
    totalPredictions: totals.total,
    successful: totals.total - totals.failed,
    failed: totals.failed,
    errorRate: totals.total === 0 ? null : totals.failed / totals.total,
    unrecognised: totals.unrecognised,
    averageConfidence: totals.avgConfidence,
    uniqueUsers: totals.uniqueUsers,
    uniqueFoods: totals.uniqueFoods,
    byFood,
    byErrorClass,
    byDay,
    topUsers: users,
  };
}

/** YYYY-MM-DD of a UTC day number (days since 1970-01-01). */
export function utcDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

// Sorted here rather than in SQL so the order is bytewise on both databases (PostgreSQL would use its locale).
function sortByCountThenName<T extends { count: number }>(rows: T[], name: (r: T) => string): T[] {
  return rows.sort((a, b) => b.count - a.count || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}
