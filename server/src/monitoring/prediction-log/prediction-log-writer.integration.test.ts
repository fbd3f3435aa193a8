// The writer against real stores: everything reaches the table, a broken table or a vanished server is survived.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { createTestSchema, describeEachDatabase, describeOnPostgres, dropTestSchema, useTestDatabase } from '../../../test/databases.js';
import { recordFactory } from '../../../test/prediction-records.js';
import { switchableProxy, viaProxy } from '../../../test/tcp-proxy.js';
import { openDatabase, type Database } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrate.js';
import { parseStoreUri } from '../../db/uri.js';
import { PredictionLogWriter } from './prediction-log-writer.js';
import { listPredictions } from './prediction-log.repository.js';

async function storedIds(database: Database): Promise<string[]> {
  const rows = await database.db.selectFrom('predictions').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

const quietLogger = () => ({ warn: vi.fn(), error: vi.fn() });

describeEachDatabase((td) => {
  describe('PredictionLogWriter on a real store', () => {
    const db = useTestDatabase(td);
    const make = recordFactory(11);

    it('stores every enqueued record by close()', async () => {
      const writer = new PredictionLogWriter({ database: db(), queueSize: 10_000, batchSize: 300, flushIntervalMs: 20 });
      const records = Array.from({ length: 2500 }, () => make());
      for (let i = 0; i < records.length; i++) {
        expect(writer.enqueue(records[i]!)).toBe(true);
        if (i % 250 === 0) await sleep(0);
      }
      await writer.close();
      expect(writer.stats()).toMatchObject({ queued: 0, written: 2500, dropped: 0, failedFlushes: 0 });
      expect(await storedIds(db())).toEqual(records.map((r) => r.id));
      const newest = await listPredictions(db(), { limit: 1 });
      expect(newest.items[0]).toEqual(records.at(-1));
    });

    it('keeps records while the table is unusable and writes them once it is back', async () => {
      const log = quietLogger();
      const writer = new PredictionLogWriter({
        database: db(),
        queueSize: 1000,
        batchSize: 50,
        flushIntervalMs: 10,
        retryBaseMs: 10,
        retryMaxMs: 50,
        logger: log,
      });
      await sql`alter table predictions rename to predictions_away`.execute(db().db);
      const records = Array.from({ length: 120 }, () => make());
      records.forEach((r) => writer.enqueue(r));
      await vi.waitFor(() => expect(writer.stats().failedFlushes).toBeGreaterThanOrEqual(2), { timeout: 3000 });
      expect(writer.stats()).toMatchObject({ queued: 120, written: 0, dropped: 0 });
      expect(writer.stats().lastError).toMatch(/predictions/);
      await sql`alter table predictions_away rename to predictions`.execute(db().db);
      await vi.waitFor(() => expect(writer.stats().queued).toBe(0), { timeout: 3000 });
      await writer.close();
      expect(writer.stats()).toMatchObject({ written: 120, dropped: 0 });
      expect(await storedIds(db())).toEqual(records.map((r) => r.id));
      expect(log.warn).toHaveBeenCalledWith(expect.anything(), expect.stringMatching(/recovered/));
    });

    it('drops only the record the database rejects', async () => {
      const log = quietLogger();
      const writer = new PredictionLogWriter({ database: db(), queueSize: 1000, batchSize: 100, flushIntervalMs: 10, logger: log });
      const records = Array.from({ length: 100 }, () => make());
      const bad = { ...records[42]!, status: 'bogus' as 'ok' };
      records.forEach((r, i) => writer.enqueue(i === 42 ? bad : r));
      await writer.close();
      expect(writer.stats()).toMatchObject({ written: 99, dropped: 1, failedFlushes: 0 });
      expect(await storedIds(db())).toEqual(records.filter((_, i) => i !== 42).map((r) => r.id));
    });
  });
});

describeOnPostgres('PredictionLogWriter when the PostgreSQL server goes away', (url) => {
  it('keeps answering enqueue, retries, and writes everything once the server is back', async () => {
    const target = parseStoreUri(url);
    if (target.dialect !== 'postgres') throw new Error('TEST_DATABASE_URL must be PostgreSQL');
    const proxy = await switchableProxy(target.host, target.port);
    const schema = await createTestSchema(url);
    const log = quietLogger();
    const database = await openDatabase(viaProxy(target.connectionString, proxy.port), { searchPath: schema, connectTimeoutMs: 1000, logger: log });
    const make = recordFactory(13);
    try {
      await migrateToLatest(database);
      const writer = new PredictionLogWriter({
        database,
        queueSize: 10_000,
        batchSize: 100,
        flushIntervalMs: 10,
        retryBaseMs: 20,
        retryMaxMs: 200,
        logger: log,
      });
      const before = Array.from({ length: 150 }, () => make());
      before.forEach((r) => writer.enqueue(r));
      await writer.flush();

      await proxy.down();
      expect(await database.ping()).toBe(false);
      const during = Array.from({ length: 300 }, () => make());
      for (const r of during) expect(writer.enqueue(r)).toBe(true);
      await vi.waitFor(() => expect(writer.stats().failedFlushes).toBeGreaterThanOrEqual(2), { timeout: 5000 });
      expect(writer.stats()).toMatchObject({ queued: 300, written: 150, dropped: 0 });

      await proxy.up();
      await vi.waitFor(() => expect(writer.stats().queued).toBe(0), { timeout: 5000 });
      const after = Array.from({ length: 50 }, () => make());
      after.forEach((r) => writer.enqueue(r));
      await writer.close();

      expect(writer.stats()).toMatchObject({ queued: 0, written: 500, dropped: 0 });
      expect(await storedIds(database)).toEqual([...before, ...during, ...after].map((r) => r.id));
      expect(await database.ping()).toBe(true);
    } finally {
      await database.close();
      await proxy.stop();
      await dropTestSchema(url, schema);
    }
  });
});
