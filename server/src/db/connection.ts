// Open the store named by an MLflow-style URI: Kysely over one better-sqlite3 connection, or over a pg Pool.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect.js';
import type { Tables } from './tables.js';
import { parseStoreUri, redactUri } from './uri.js';

export type { DialectName };

interface DatabaseBase {
  db: Kysely<Tables>;
  /** the URI with its password hidden, for logs and health output */
  uri: string;
  /** Idempotent. Closes the pool / the SQLite file. */
  close(): Promise<void>;
  /** true when a trivial query answers within a couple of seconds; never throws */
  ping(): Promise<boolean>;
}

export interface SqliteDatabase extends DatabaseBase {
  dialect: 'sqlite';
  /** The single connection Kysely also uses. Only db/dialect.ts touches it, and only while holding a Kysely transaction. */
  sqlite: BetterSqlite3.Database;
}

export interface PostgresDatabase extends DatabaseBase {
  dialect: 'postgres';
  pool: pg.Pool;
}

export type Database = SqliteDatabase | PostgresDatabase;

export interface OpenDatabaseOptions {
  /** base for relative SQLite paths (default process.cwd()) */
  cwd?: string;
  /** PostgreSQL: schema set as search_path on every pooled connection (tests give each test its own schema) */
  searchPath?: string;
  /** PostgreSQL: pool size (default 10) */
  poolSize?: number;
  /** PostgreSQL: how long to wait for a connection before failing, ms (default 5000; pg's own default waits forever) */
  connectTimeoutMs?: number;
  /** SQLite: how long a writer waits for another process's lock, ms (default 5000) */
  busyTimeoutMs?: number;
  /** ping() gives up after this long, ms (default 2000) */
  pingTimeoutMs?: number;
  /** pino-like; receives errors of idle pooled connections (e.g. the server restarted) */
  logger?: { warn(obj: object, msg?: string): void };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function openDatabase(uri: string, opts: OpenDatabaseOptions = {}): Promise<Database> {
  const parsed = parseStoreUri(uri, opts.cwd);
  return parsed.dialect === 'sqlite'
    ? openSqlite(parsed.filename, redactUri(uri), opts)
    : openPostgres(parsed.connectionString, redactUri(uri), opts);
}

function openSqlite(filename: string, uri: string, opts: OpenDatabaseOptions): SqliteDatabase {
  if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
  const busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
  const sqlite = new BetterSqlite3(filename, { timeout: busyTimeoutMs });
  try {
    // page_size only takes effect on a new file, and must be set before WAL. Prediction-log batches dirty about one
    // user_id index page per row, so commits and checkpoints dominate ingest: 8 KiB pages and checkpoints every
    // ~80 MiB of WAL (instead of 4 KiB / ~4 MiB) measured 30-50% faster, at the price of a larger WAL file and
    // rarer but longer checkpoint pauses.
    sqlite.pragma('page_size = 8192');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('wal_autocheckpoint = 10000');
    // NORMAL in WAL mode: durable except for the last transactions on power loss, never corrupt.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    sqlite.pragma('foreign_keys = ON');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { dialect: 'sqlite', db, sqlite, uri, close: once(() => db.destroy()), ping: () => ping(db, opts.pingTimeoutMs) };
}

function openPostgres(connectionString: string, uri: string, opts: OpenDatabaseOptions): PostgresDatabase {
  if (opts.searchPath !== undefined && !IDENTIFIER.test(opts.searchPath)) {
    throw new Error(`invalid searchPath ${JSON.stringify(opts.searchPath)}: expected a plain identifier`);
  }
  const pool = new pg.Pool({
    connectionString,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    application_name: 'foodlens',
    // A startup parameter, so every pooled connection has it before its first query.
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
    types: pgTypes,
  });
  // An 'error' event without a listener crashes the process. The pool listens on idle clients only: add one for
  // idle clients that reports, and one on every client for while it is checked out (a server restart mid-query),
  // which can stay silent because the running query rejects with the same error and the pool then drops the client.
  pool.on('error', (err) => opts.logger?.warn({ err }, 'idle PostgreSQL connection failed; the pool will replace it'));
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { dialect: 'postgres', db, pool, uri, close: once(() => db.destroy()), ping: () => ping(db, opts.pingTimeoutMs) };
}

// BIGINT columns hold epoch milliseconds and counts, far below 2^53, so numbers are safe and far handier than the
// strings pg returns by default. Set per pool rather than globally so other pg users in the process are unaffected.
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

async function ping(db: Kysely<Tables>, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('ping timed out')), timeoutMs);
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= fn());
}
