import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStoreUri, redactUri, StoreUriError } from './uri.js';

const cwd = '/srv/foodlens';

describe('parseStoreUri', () => {
  it.each([
    ['sqlite:///foodlens.db', { dialect: 'sqlite', filename: '/srv/foodlens/foodlens.db' }],
    ['sqlite:///mlruns/foodlens.db', { dialect: 'sqlite', filename: '/srv/foodlens/mlruns/foodlens.db' }],
    ['sqlite:///../data/f.db', { dialect: 'sqlite', filename: '/srv/data/f.db' }],
    ['sqlite:////var/lib/foodlens/f.db', { dialect: 'sqlite', filename: '/var/lib/foodlens/f.db' }],
    ['sqlite:////var/lib//foodlens/./f.db', { dialect: 'sqlite', filename: '/var/lib/foodlens/f.db' }],
    ['sqlite:///:memory:', { dialect: 'sqlite', filename: ':memory:' }],
    ['sqlite://', { dialect: 'sqlite', filename: ':memory:' }],
    ['SQLITE:///f.db', { dialect: 'sqlite', filename: '/srv/foodlens/f.db' }],
    ['  sqlite:///f.db\n', { dialect: 'sqlite', filename: '/srv/foodlens/f.db' }],
  ])('%s is SQLite', (uri, expected) => {
    expect(parseStoreUri(uri, cwd)).toEqual(expected);
  });

  it.each([
    [
      'postgresql://postgres@127.0.0.1:5432/test',
      { host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres', connectionString: 'postgresql://postgres@127.0.0.1:5432/test' },
    ],
    [
      'postgres://u:p%40ss@db.example.com/mlflow',
      { host: 'db.example.com', port: 5432, database: 'mlflow', user: 'u', connectionString: 'postgresql://u:p%40ss@db.example.com/mlflow' },
    ],
    [
      'postgresql+psycopg2://mlflow:secret@pg:6543/mlflow?sslmode=require',
      { host: 'pg', port: 6543, database: 'mlflow', user: 'mlflow', connectionString: 'postgresql://mlflow:secret@pg:6543/mlflow?sslmode=require' },
    ],
    ['postgresql+psycopg://h/db', { host: 'h', port: 5432, database: 'db', user: null, connectionString: 'postgresql://h/db' }],
    ['postgresql+pg8000://h:1/db', { host: 'h', port: 1, database: 'db', user: null, connectionString: 'postgresql://h:1/db' }],
    ['postgresql://[::1]:5433/db', { host: '::1', port: 5433, database: 'db', user: null, connectionString: 'postgresql://[::1]:5433/db' }],
    [
      'postgresql:///db?host=/var/run/postgresql',
      { host: '/var/run/postgresql', port: 5432, database: 'db', user: null, connectionString: 'postgresql:///db?host=/var/run/postgresql' },
    ],
  ])('%s is PostgreSQL', (uri, expected) => {
    expect(parseStoreUri(uri, cwd)).toEqual({ dialect: 'postgres', ...expected });
  });

  it.each([
    ['', /invalid store URI/],
    ['foodlens.db', /invalid store URI/],
    ['/abs/foodlens.db', /invalid store URI/],
    ['file:///tmp/mlruns', /unsupported store URI scheme "file"/],
    ['mysql://u@h/db', /unsupported store URI scheme "mysql"/],
    ['mssql://u@h/db', /unsupported store URI scheme "mssql"/],
    ['postgresql+asyncpgx://h/db', /unsupported PostgreSQL driver/],
    ['sqlite://foodlens.db', /SQLite URIs have no host/],
    ['sqlite:///', /no database file name/],
    ['sqlite:////var/lib/', /no database file name/],
    ['sqlite:///f.db?timeout=5', /query parameters are not supported/],
    ['postgresql://u:pw@h:5432/', /exactly one database name/],
    ['postgresql://u:pw@h:5432/a/b', /exactly one database name/],
    ['postgresql:///db', /no host/],
    ['postgresql://u:pw@h:99999/db', /invalid PostgreSQL URI/],
  ])('%j is rejected', (uri, message) => {
    expect(() => parseStoreUri(uri, cwd)).toThrow(StoreUriError);
    expect(() => parseStoreUri(uri, cwd)).toThrow(message);
  });

  it('never puts the password in an error message', () => {
    expect(() => parseStoreUri('postgresql://u:hunter2@h:99999/db')).toThrow(/u:\*\*\*@h/);
    expect(() => parseStoreUri('postgresql://u:hunter2@h:99999/db')).not.toThrow(/hunter2/);
  });

  it('resolves relative files against process.cwd() by default', () => {
    expect(parseStoreUri('sqlite:///x.db')).toEqual({ dialect: 'sqlite', filename: path.resolve('x.db') });
  });
});

describe('redactUri', () => {
  it.each([
    ['postgresql://u:secret@h:5432/db', 'postgresql://u:***@h:5432/db'],
    ['postgresql+psycopg2://u:s%40x@h/db', 'postgresql+psycopg2://u:***@h/db'],
    ['postgresql://u@h/db', 'postgresql://u@h/db'],
    ['sqlite:////a/b.db', 'sqlite:////a/b.db'],
  ])('%s -> %s', (uri, expected) => {
    expect(redactUri(uri)).toBe(expected);
  });
});
