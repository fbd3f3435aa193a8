// MLflow-style store URIs (the same strings `mlflow server --backend-store-uri` accepts), parsed once into what the
// drivers need. SQLAlchemy's rules: `sqlite:///rel.db` is relative to the cwd, `sqlite:////abs.db` is absolute.
import path from 'node:path';

export type StoreUri =
  | { dialect: 'sqlite'; /** absolute path, or ':memory:' */ filename: string }
  | {
      dialect: 'postgres';
      /** a `postgresql://` URL that node-postgres understands (SQLAlchemy's `+driver` suffix removed) */
      connectionString: string;
      host: string;
      port: number;
      database: string;
      user: string | null;
    };

export class StoreUriError extends Error {
  override name = 'StoreUriError';
}

const SUPPORTED = 'sqlite:///relative.db, sqlite:////absolute.db, sqlite:///:memory: or postgresql://user:password@host:port/database';

// SQLAlchemy driver suffixes MLflow users put in their URIs; the driver is Python's concern, not ours.
const POSTGRES_SCHEME = /^(postgres|postgresql)(\+(psycopg2|psycopg|pg8000|asyncpg))?$/;

export function parseStoreUri(uri: string, cwd = process.cwd()): StoreUri {
  const trimmed = uri.trim();
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(trimmed);
  if (!m) throw new StoreUriError(`invalid store URI ${JSON.stringify(redactUri(uri))}: expected ${SUPPORTED}`);
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  if (scheme === 'sqlite') return parseSqlite(rest, cwd, uri);
  if (POSTGRES_SCHEME.test(scheme)) return parsePostgres(rest, uri);
  if (scheme.startsWith('postgres')) {
    throw new StoreUriError(`unsupported PostgreSQL driver in ${JSON.stringify(scheme)}: use postgresql:// (or postgresql+psycopg2://)`);
  }
  throw new StoreUriError(`unsupported store URI scheme ${JSON.stringify(scheme)}: expected ${SUPPORTED}`);
}

function parseSqlite(rest: string, cwd: string, uri: string): StoreUri {
  // `sqlite://` alone is SQLAlchemy's in-memory database.
  if (rest === '' || rest === '/:memory:') return { dialect: 'sqlite', filename: ':memory:' };
  if (!rest.startsWith('/')) {
    throw new StoreUriError(
      `invalid SQLite URI ${JSON.stringify(uri)}: SQLite URIs have no host; use sqlite:///relative.db or sqlite:////absolute.db`,
    );
  }
  if (rest.includes('?')) throw new StoreUriError(`invalid SQLite URI ${JSON.stringify(uri)}: query parameters are not supported`);
  const file = rest.slice(1); // drop the separator after the (empty) host
  if (file === '' || file.endsWith('/')) throw new StoreUriError(`invalid SQLite URI ${JSON.stringify(uri)}: no database file name`);
  return { dialect: 'sqlite', filename: path.isAbsolute(file) ? path.normalize(file) : path.resolve(cwd, file) };
}

function parsePostgres(rest: string, uri: string): StoreUri {
  let url: URL;
  try {
    url = new URL(`postgresql://${rest}`);
  } catch {
    throw new StoreUriError(`invalid PostgreSQL URI ${JSON.stringify(redactUri(uri))}`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  // node-postgres accepts a socket directory in ?host=; otherwise a host name is required.
  const host = url.hostname || url.searchParams.get('host') || '';
  if (!host) throw new StoreUriError(`invalid PostgreSQL URI ${JSON.stringify(redactUri(uri))}: no host`);
  if (!database || database.includes('/')) {
    throw new StoreUriError(`invalid PostgreSQL URI ${JSON.stringify(redactUri(uri))}: expected exactly one database name in the path`);
  }
  const port = url.port ? Number(url.port) : 5432;
  return {
    dialect: 'postgres',
    connectionString: `postgresql://${rest}`,
    host: host.replace(/^\[|\]$/g, ''),
    port,
    database,
    user: url.username ? decodeURIComponent(url.username) : null,
  };
}

/** The URI with any password replaced, safe for logs and error messages. */
export function redactUri(uri: string): string {
  return uri.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/@?#]*):[^@/?#]*@/, '$1:***@');
}
