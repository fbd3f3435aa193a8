// The one store test harness: every store test runs once per database (Kysely's DIALECTS loop, Backstage's
// TestDatabases). SQLite always, on a temporary file; PostgreSQL when TEST_DATABASE_URL is set, each open() in a
// fresh schema that close() drops, so tests and parallel test files never see each other's rows.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe } from 'vitest';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { parseStoreUri } from '../src/db/uri.js';

export type TestDatabaseName = 'sqlite' | 'postgres';

export interface TestDatabase {
  name: TestDatabaseName;
  /** A new, empty (unmigrated) store; its close() also deletes it. */
  open(opts?: OpenDatabaseOptions): Promise<Database>;
}

const postgresUrl = process.env.TEST_DATABASE_URL?.trim() || null;

const sqliteTestDatabase: TestDatabase = {
  name: 'sqlite',
  async open(opts) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-db-'));
    // A nested folder that does not exist yet: openDatabase must create it.
    const database = await openDatabase(`sqlite:///${path.join(dir, 'data', 'test.db')}`, opts);
    return withCleanup(database, async () => rmSync(dir, { recursive: true, force: true }));
  },
};

function postgresTestDatabase(url: string): TestDatabase {
  return {
    name: 'postgres',
    async open(opts) {
      const schema = await createTestSchema(url);
      try {
        const database = await openDatabase(url, { ...opts, searchPath: schema });
        return withCleanup(database, () => dropTestSchema(url, schema));
      } catch (err) {
        await dropTestSchema(url, schema);
        throw err;
      }
    },
  };
}

/** The databases available in this run. */
export const testDatabases: TestDatabase[] = [sqliteTestDatabase, ...(postgresUrl ? [postgresTestDatabase(postgresUrl)] : [])];

/** The ones left out, and why; describeEachDatabase reports them as skipped suites. */
export const skippedDatabases: Array<{ name: TestDatabaseName; reason: string }> = postgresUrl
  ? []
  : [{ name: 'postgres', reason: 'TEST_DATABASE_URL not set' }];

/**
 * Declares `body` once per database, as `describe(name)`. A database that is not available still appears, as a
 * skipped suite named like "postgres (skipped: TEST_DATABASE_URL not set)", so a green run shows what it left out.
 */
export function describeEachDatabase(body: (database: TestDatabase) => void): void {
  for (const td of testDatabases) describe(td.name, () => body(td));
  for (const s of skippedDatabases) {
    const unavailable: TestDatabase = {
      name: s.name,
      open: () => Promise.reject(new Error(`${s.name} is not available: ${s.reason}`)),
    };
    describe.skip(`${s.name} (skipped: ${s.reason})`, () => body(unavailable));
  }
}

/** A PostgreSQL-only suite (several pools on one schema, connection failures); skipped, saying why, without one. */
export function describeOnPostgres(title: string, body: (url: string) => void): void {
  if (postgresUrl) describe(title, () => body(postgresUrl));
  else describe.skip(`${title} (skipped: TEST_DATABASE_URL not set)`, () => body('postgresql://unavailable/none'));
}

/**
 * A fresh store for each test in the current suite (migrated unless migrate is false), closed and deleted after it.
 * Call inside describe(); use the returned getter inside tests.
 */
export function useTestDatabase(td: TestDatabase, { migrate = true }: { migrate?: boolean } = {}): () => Database {
  let current: Database | null = null;
  beforeEach(async () => {
    current = await td.open();
    if (migrate) await migrateToLatest(current);
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  return () => {
    if (!current) throw new Error('the test database is only open inside a test');
    return current;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL schema per store.

/** Creates an empty, uniquely named schema; tests may open several databases on it (e.g. concurrent migration). */
export async function createTestSchema(url: string): Promise<string> {
  const schema = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(url, (c) => c.query(`create schema ${schema}`));
  return schema;
}

export async function dropTestSchema(url: string, schema: string): Promise<void> {
  if (!/^test_[a-z0-9_]+$/.test(schema)) throw new Error(`refusing to drop schema ${schema}`);
  await withAdminClient(url, (c) => c.query(`drop schema if exists ${schema} cascade`));
}

async function withAdminClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const parsed = parseStoreUri(url);
  if (parsed.dialect !== 'postgres') throw new Error(`TEST_DATABASE_URL must be a PostgreSQL URI, got ${url}`);
  const client = new pg.Client({ connectionString: parsed.connectionString, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The PostgreSQL URL of this run, or null. */
export function testPostgresUrl(): string | null {
  return postgresUrl;
}

function withCleanup(database: Database, cleanup: () => Promise<void>): Database {
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      try {
        await database.close();
      } finally {
        await cleanup();
      }
    })());
  return { ...database, close };
}
