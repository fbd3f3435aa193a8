// How registry functions reach the store: an open Database, or a Kysely instance or transaction on it (so a caller
// can add its own rows, e.g. a model_version_servables row, in the same transaction).
import { Kysely } from 'kysely';
import type { Database } from '../db/connection.js';
import type { Tables } from '../db/tables.js';

export type RegistryDb = Database | Kysely<Tables>;

export function kysely(db: RegistryDb): Kysely<Tables> {
  return db instanceof Kysely ? db : db.db;
}

/**
 * Runs `fn` in a transaction: the caller's, when `db` already is one, or a new one. `committed` tells whether the
 * work is committed once this returns (false inside a caller's transaction, whose commit is the caller's).
 */
export async function inTransaction<T>(db: RegistryDb, fn: (trx: Kysely<Tables>) => Promise<T>): Promise<{ result: T; committed: boolean }> {
  const k = kysely(db);
  if (k.isTransaction) return { result: await fn(k), committed: false };
  return { result: await k.transaction().execute(fn), committed: true };
}

/** A primary-key / unique violation on either dialect (PostgreSQL SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
