import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestSchema, describeEachDatabase, describeOnPostgres, dropTestSchema, useTestDatabase } from '../../test/databases.js';
import { openDatabase, type Database } from './connection.js';
import { migrateToLatest, migrateToNothing } from './migrate.js';
import { migrations } from './migrations/index.js';

const APP_TABLES = ['model_versions', 'predictions', 'registered_models'];

/** Tables of the store's own schema (not Kysely's introspection: it scans every schema, racing parallel tests). */
async function tableNames(database: Database): Promise<string[]> {
  const { rows } =
    database.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(database.db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(database.db);
  return rows.map((r) => r.name).sort();
}

describeEachDatabase((td) => {
  describe('migrateToLatest', () => {
    const db = useTestDatabase(td, { migrate: false });

    it('creates the schema once and is a no-op afterwards', async () => {
      expect(await migrateToLatest(db())).toEqual(Object.keys(migrations));
      expect(await tableNames(db())).toEqual(expect.arrayContaining(APP_TABLES));
      expect(await migrateToLatest(db())).toEqual([]);
    });

    it('reverts every migration and applies them again', async () => {
      await migrateToLatest(db());
      expect(await migrateToNothing(db())).toEqual(Object.keys(migrations).reverse());
      expect(await tableNames(db())).not.toEqual(expect.arrayContaining(['predictions']));
      expect(await migrateToLatest(db())).toEqual(Object.keys(migrations));
    });

    it('applies the column defaults, the status check and the version cascade', async () => {
      await migrateToLatest(db());
      const k = db().db;
      await k.insertInto('registered_models').values({ name: 'm', creation_time: 1, last_updated_time: 1, description: null }).execute();
      await k
        .insertInto('model_versions')
        .values({ name: 'm', version: 1, creation_time: 1, last_updated_time: 1, description: null, user_id: null, source: null, run_id: null, run_link: null, status_message: null })
        .execute();
      const mv = await k.selectFrom('model_versions').selectAll().executeTakeFirstOrThrow();
      expect(mv).toMatchObject({ current_stage: 'None', status: 'READY', creation_time: 1 });
      // a version cannot point at a model that does not exist
      await expect(
        k.insertInto('model_versions').values({ name: 'ghost', version: 1, creation_time: 1, last_updated_time: 1, description: null, user_id: null, source: null, run_id: null, run_link: null, status_message: null }).execute(),
      ).rejects.toThrow();
      await k.deleteFrom('registered_models').where('name', '=', 'm').execute();
      expect(await k.selectFrom('model_versions').selectAll().execute()).toEqual([]);

      await expect(
        sql`insert into predictions (id, created_at, status, latency_ms) values ('x', 1, 'maybe', 1)`.execute(k),
      ).rejects.toThrow();
      await sql`insert into predictions (id, created_at, status, latency_ms) values ('y', 1, 'ok', 1)`.execute(k);
      const p = await k.selectFrom('predictions').select(['detections', 'created_at']).executeTakeFirstOrThrow();
      expect(p).toEqual({ detections: '[]', created_at: 1 });
    });

    it('creates the indexes the prediction log queries rely on', async () => {
      await migrateToLatest(db());
      const names =
        db().dialect === 'sqlite'
          ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'predictions'`.execute(db().db)).rows
          : (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'predictions' and schemaname = current_schema()`.execute(db().db)).rows;
      expect(names.map((r) => r.name)).toEqual(
        expect.arrayContaining(['predictions_created_at_idx', 'predictions_model_created_at_idx', 'predictions_user_id_idx', 'predictions_food_name_idx']),
      );
    });
  });
});

describeOnPostgres('migrateToLatest on PostgreSQL with several instances', (url) => {
  it('lets two instances starting together on a fresh schema both succeed', async () => {
    // Several rounds: the race between the two bookkeeping-table creations is timing dependent.
    for (let round = 0; round < 5; round++) {
      const schema = await createTestSchema(url);
      const a = await openDatabase(url, { searchPath: schema });
      const b = await openDatabase(url, { searchPath: schema });
      try {
        const [ra, rb] = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
        // exactly one of them applied the migrations; the other waited on the lock and found nothing to do
        expect([...ra, ...rb]).toEqual(Object.keys(migrations));
        const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(a.db);
        expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
        expect(await tableNames(b)).toEqual(expect.arrayContaining(APP_TABLES));
      } finally {
        await a.close();
        await b.close();
        await dropTestSchema(url, schema);
      }
    }
  });

  it('keeps its bookkeeping in its own schema, beside other installs in the same database', async () => {
    const first = await createTestSchema(url);
    const second = await createTestSchema(url);
    const a = await openDatabase(url, { searchPath: first });
    const b = await openDatabase(url, { searchPath: second });
    try {
      expect(await migrateToLatest(a)).toEqual(Object.keys(migrations));
      // the second schema must not mistake the first schema's kysely_migration for its own
      expect(await migrateToLatest(b)).toEqual(Object.keys(migrations));
      expect(await tableNames(b)).toEqual(expect.arrayContaining([...APP_TABLES, 'kysely_migration']));
    } finally {
      await a.close();
      await b.close();
      await dropTestSchema(url, first);
      await dropTestSchema(url, second);
    }
  });
});

describe('migrateToLatest on SQLite with several processes', () => {
  const child = fileURLToPath(new URL('../../test/migrate-sqlite-child.ts', import.meta.url));
  const run = (file: string) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', child, file], { cwd: path.dirname(child) }).then(
      (r) => JSON.parse(r.stdout) as { applied: string[] },
    );

  it('lets three processes starting together on a new file all succeed, applying each migration once', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-migrate-'));
    try {
      for (let round = 0; round < 2; round++) {
        const file = path.join(dir, `round-${round}.db`);
        const results = await Promise.all([run(file), run(file), run(file)]);
        expect(results.flatMap((r) => r.applied)).toEqual(Object.keys(migrations));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rolls a failed run back completely', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-migrate-'));
    const database = await openDatabase(`sqlite:///${path.join(dir, 'f.db')}`);
    try {
      // a table in the way of 0001's third statement: the run fails after creating predictions and its first index
      await sql`create table registered_models (x integer)`.execute(database.db);
      await expect(migrateToLatest(database)).rejects.toThrow(/0001_initial failed/);
      expect(await tableNames(database)).toEqual(['registered_models']);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
