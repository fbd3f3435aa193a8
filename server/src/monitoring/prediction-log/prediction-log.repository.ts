// Prediction log SQL: the fast batch insert used by the writer, and newest-first cursor paging for the API.
import type { Database } from '../../db/connection.js';
import { bulkInsert } from '../../db/dialect.js';
import { decodeCursor, encodeCursor } from './prediction-cursor.js';
import { fromPredictionRow, PREDICTION_INSERT, toPredictionRow } from './prediction-row.js';
import type { PredictionRecord } from './types.js';

export { InvalidCursorError } from './prediction-cursor.js';

/** Writes the records in one transaction. Records whose id is already stored are skipped (retries are safe). */
export async function insertPredictions(database: Database, records: readonly PredictionRecord[]): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map(toPredictionRow);
  await database.db.transaction().execute((trx) => bulkInsert(database, trx, PREDICTION_INSERT, rows));
}

export interface ListPredictionsOptions {
  /** page size, clamped to 1..MAX_PAGE_SIZE (default 50); the API validates it before this */
  limit?: number;
  /** nextCursor of the previous page; absent for the newest page */
  cursor?: string | null;
}

export interface PredictionPage {
  items: PredictionRecord[];
  /** null on the last page */
  nextCursor: string | null;
}

export const MAX_PAGE_SIZE = 1000;

/** Newest first. Throws InvalidCursorError for a malformed cursor. */
export async function listPredictions(database: Database, opts: ListPredictionsOptions = {}): Promise<PredictionPage> {
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(opts.limit ?? 50) || 1));
  const before = opts.cursor ? decodeCursor(opts.cursor) : null;
  let query = database.db.selectFrom('predictions').selectAll().orderBy('id', 'desc').limit(limit + 1);
  if (before !== null) query = query.where('id', '<', before);
  const rows = await query.execute();
  const items = rows.slice(0, limit).map(fromPredictionRow);
  const nextCursor = rows.length > limit ? encodeCursor(items[items.length - 1]!.id) : null;
  return { items, nextCursor };
}
