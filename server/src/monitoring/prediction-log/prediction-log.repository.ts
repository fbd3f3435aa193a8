// Prediction log SQL: the fast batch insert used by the writer (with the rollups, in the same transaction), and
// newest-first cursor paging for the API.
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../db/connection.js';
import { bulkInsert, inTextList, pgArrayLiteral } from '../../db/dialect.js';
import type { Tables } from '../../db/tables.js';
import { RollupBatch } from '../rollups/rollup-batch.js';
import { transactionStore, writeRollups } from '../rollups/rollup-write.repository.js';
import { DEFAULT_MINUTE_RETENTION_MS } from '../rollups/time-buckets.js';
import { decodeCursor, encodeCursor } from './prediction-cursor.js';
import { fromPredictionRow, PREDICTION_INSERT, toPredictionRow } from './prediction-row.js';
import type { PredictionRecord } from './types.js';

export { InvalidCursorError } from './prediction-cursor.js';

/**
 * Writes the records and their rollups in one transaction. Records whose id is already stored are skipped, and only
 * the records actually inserted are rolled up, so a retried batch is neither duplicated nor counted twice.
 */
export async function insertPredictions(database: Database, records: readonly PredictionRecord[]): Promise<void> {
  if (records.length === 0) return;
  await database.db.transaction().execute(async (trx) => {
    const inserted = await insertNew(database, trx, records);
    const batch = new RollupBatch({ minuteSince: Date.now() - DEFAULT_MINUTE_RETENTION_MS });
    for (const r of inserted) batch.add(r);
    await writeRollups(transactionStore(database, trx), batch);
  });
}

/** Inserts the records, skipping ids already stored; returns the records that were new. */
async function insertNew(database: Database, trx: Kysely<Tables>, records: readonly PredictionRecord[]): Promise<PredictionRecord[]> {
  // Within a batch only the first record of an id counts (the insert skips the others).
  const byId = new Map<string, PredictionRecord>();
  for (const r of records) if (!byId.has(r.id)) byId.set(r.id, r);
  const rows = [...byId.values()].map(toPredictionRow);
  if (database.dialect === 'postgres') {
    // The same statement as bulkInsert's, plus RETURNING: PostgreSQL names the rows it inserted.
    const params = PREDICTION_INSERT.spec.columns.map((_, c) => pgArrayLiteral(rows, c));
    const result = await trx.executeQuery<{ id: string }>(CompiledQuery.raw(`${PREDICTION_INSERT.postgresSql} returning "id"`, params));
    return result.rows.map((r) => byId.get(r.id)!);
  }
  // SQLite: look for stored ids first. Fresh ids (UUIDv7, newer than anything stored) fail the one-seek range probe,
  // so the per-id lookup only runs for batches that may overlap stored rows (retries).
  const ids = [...byId.keys()];
  let existing = new Set<string>();
  const [lo, hi] = ids.reduce<[string, string]>(([a, b], id) => [id < a ? id : a, id > b ? id : b], [ids[0]!, ids[0]!]);
  const probe = await trx.selectFrom('predictions').select('id').where('id', '>=', lo).where('id', '<=', hi).limit(1).executeTakeFirst();
  if (probe !== undefined) {
    const found = await trx.selectFrom('predictions').select('id').where(inTextList(trx, 'id', ids)).execute();
    existing = new Set(found.map((r) => r.id));
  }
  await bulkInsert(database, trx, PREDICTION_INSERT, rows);
  return existing.size === 0 ? [...byId.values()] : [...byId.values()].filter((r) => !existing.has(r.id));
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
