// Schema migrations, run at every server start, before anything else uses the database. Several instances may
// start together:
// - PostgreSQL: Kysely's Migrator holds a session advisory lock around the run and migrates in a transaction, so the
//   second instance waits and then finds nothing pending. The bookkeeping tables are created before that lock, but
//   Kysely tolerates losing that race (it re-checks existence after a failed CREATE). Its table checks look at the
//   current schema only (schema-introspector.ts).
// - SQLite: Kysely takes no lock and no transaction there (SqliteAdapter.supportsTransactionalDdl is false), so two
//   processes could both apply 0001 and one would fail half-way. Wrap the run in BEGIN IMMEDIATE instead: it holds
//   SQLite's write lock for the whole run (the other process waits, busy_timeout) and makes each run all-or-nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import { Migrator, NO_MIGRATIONS, sql, type MigrationResultSet } from 'kysely';
import type { Database } from './connection.js';
import { currentSchema, isSqliteBusy } from './dialect.js';
import { schemaScopedKysely } from './schema-introspector.js';
import { migrationProvider } from './migrations/index.js';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const SQLITE_BUSY_ATTEMPTS = 5;

export async function createMigrator(database: Database): Promise<Migrator> {
  if (database.dialect === 'sqlite') return new Migrator({ db: database.db, provider: migrationProvider });
  const schema = await currentSchema(database.db);
  if (!schema) throw new MigrationError('PostgreSQL search_path names no existing schema');
  return new Migrator({
    db: schemaScopedKysely(database.pool, schema),
    provider: migrationProvider,
    // Kysely looks for its bookkeeping tables in every schema unless told which one; name the current schema so a
    // database holding several FoodLens schemas (tests, side-by-side installs) keeps them apart.
    migrationTableSchema: schema,
  });
}

/** Applies every pending migration; returns the names it applied (empty when already up to date). */
export async function migrateToLatest(database: Database): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const { error, results = [] } = await run(database, (m) => m.migrateToLatest());
    if (!error) return applied(results);
    // busy_timeout already waited; a waiter can still lose (e.g. its read snapshot went stale), so try again
    if (database.dialect === 'sqlite' && isSqliteBusy(error) && attempt < SQLITE_BUSY_ATTEMPTS) {
      await sleep(50 * attempt);
      continue;
    }
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(failed ? `migration ${failed} failed: ${reason}` : `migrating failed: ${reason}`, { cause: error });
  }
}

/** Reverts every migration (tests use it to prove each down() works). */
export async function migrateToNothing(database: Database): Promise<string[]> {
  const { error, results = [] } = await run(database, (m) => m.migrateTo(NO_MIGRATIONS));
  if (error) throw new MigrationError(`reverting migrations failed: ${String(error)}`, { cause: error });
  return applied(results);
}

async function run(database: Database, step: (m: Migrator) => Promise<MigrationResultSet>): Promise<MigrationResultSet> {
  const migrator = await createMigrator(database);
  if (database.dialect !== 'sqlite') return step(migrator);
  try {
    await sql`begin immediate`.execute(database.db);
  } catch (error) {
    return { error };
  }
  let result: MigrationResultSet;
  try {
    result = await step(migrator);
  } catch (error) {
    result = { error };
  }
  await sql.raw(result.error === undefined ? 'commit' : 'rollback').execute(database.db);
  return result;
}

function applied(results: NonNullable<MigrationResultSet['results']>): string[] {
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
