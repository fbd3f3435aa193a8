import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { createTestSchema, describeEachDatabase, describeOnPostgres, dropTestSchema } from '../../test/databases.js';
import { switchableProxy, viaProxy } from '../../test/tcp-proxy.js';
import { parseStoreUri } from './uri.js';
import { openDatabase } from './connection.js';

describeEachDatabase((td) => {
  describe('openDatabase', () => {
    it('answers ping, and closes idempotently', async () => {
      const database = await td.open();
      expect(database.dialect).toBe(td.name);
      expect(await database.ping()).toBe(true);
      await database.close();
      await database.close();
      expect(await database.ping()).toBe(false);
    });

    it('returns BIGINT values as JS numbers', async () => {
      const database = await td.open();
      try {
        const { rows } = await sql<{ v: number }>`select cast(${1_712_345_678_901} as bigint) as v`.execute(database.db);
        expect(rows[0]!.v).toBe(1_712_345_678_901);
        const count = await sql<{ n: number }>`select count(*) as n from (select 1 as x union all select 2) t`.execute(database.db);
        expect(count.rows[0]!.n).toBe(2);
      } finally {
        await database.close();
      }
    });
  });
});

describe('openDatabase on SQLite', () => {
  it('creates the parent folder and sets WAL, synchronous=NORMAL, busy_timeout and foreign keys', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-conn-'));
    try {
      const database = await openDatabase('sqlite:///a/b/c.db', { cwd: dir, busyTimeoutMs: 1234 });
      try {
        if (database.dialect !== 'sqlite') throw new Error('expected sqlite');
        expect(existsSync(path.join(dir, 'a', 'b', 'c.db'))).toBe(true);
        expect(database.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(database.sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
        expect(database.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
        expect(database.sqlite.pragma('busy_timeout', { simple: true })).toBe(1234);
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens an in-memory database', async () => {
    const database = await openDatabase('sqlite:///:memory:');
    try {
      expect(await database.ping()).toBe(true);
    } finally {
      await database.close();
    }
  });

  it('rejects an unsupported URI before touching anything', async () => {
    await expect(openDatabase('mysql://u@h/db')).rejects.toThrow(/unsupported store URI scheme/);
  });
});

describe('openDatabase on PostgreSQL', () => {
  it('fails ping quickly, without throwing, when nothing listens', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const database = await openDatabase(`postgresql://postgres@127.0.0.1:${port}/test`);
    try {
      const started = Date.now();
      expect(await database.ping()).toBe(false);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await database.close();
    }
  });

  it('refuses a searchPath that is not a plain identifier', async () => {
    await expect(openDatabase('postgresql://postgres@127.0.0.1/test', { searchPath: 'x; drop table y' })).rejects.toThrow(
      /invalid searchPath/,
    );
  });

});

describeOnPostgres('openDatabase with a searchPath', (url) => {
  it('puts every pooled connection on the searchPath schema', async () => {
    const schema = await createTestSchema(url);
    const database = await openDatabase(url, { searchPath: schema, poolSize: 3 });
    try {
      const schemas = await Promise.all(
        Array.from({ length: 6 }, () =>
          sql<{ s: string }>`select current_schema() as s, pg_sleep(0.05)`.execute(database.db).then((r) => r.rows[0]!.s),
        ),
      );
      expect(new Set(schemas)).toEqual(new Set([schema]));
    } finally {
      await database.close();
      await dropTestSchema(url, schema);
    }
  });
});

describeOnPostgres('openDatabase when PostgreSQL connections die', (url) => {
  it('survives the server cutting a connection in the middle of a transaction, and reconnects', async () => {
    const target = parseStoreUri(url);
    if (target.dialect !== 'postgres') throw new Error('expected PostgreSQL');
    const proxy = await switchableProxy(target.host, target.port);
    const database = await openDatabase(viaProxy(target.connectionString, proxy.port), { connectTimeoutMs: 1000 });
    try {
      const inTransaction = database.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await sql`select pg_sleep(5)`.execute(trx);
      });
      await new Promise((r) => setTimeout(r, 100));
      await proxy.down();
      await expect(inTransaction).rejects.toThrow();
      expect(await database.ping()).toBe(false);
      await proxy.up();
      expect(await database.ping()).toBe(true);
    } finally {
      await database.close();
      await proxy.stop();
    }
  });

  it('reports idle connections the server terminated, and replaces them', async () => {
    const logger = { warn: vi.fn() };
    const database = await openDatabase(url, { logger, poolSize: 2 });
    try {
      const pids = await Promise.all(
        [0, 1].map(() => sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(database.db).then((r) => r.rows[0]!.pid)),
      );
      const admin = await openDatabase(url);
      try {
        await sql`select pg_terminate_backend(pid) from unnest(${pids}::int[]) as pid`.execute(admin.db);
      } finally {
        await admin.close();
      }
      await vi.waitFor(() => expect(logger.warn).toHaveBeenCalledTimes(2));
      expect(await database.ping()).toBe(true);
    } finally {
      await database.close();
    }
  });
});
