// The rollups against a GROUP BY over the raw rows, on every database: maintained by the writer's insert (re-sent
// batches included) and built by the migration's backfill.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../../test/databases.js';
import type { Database } from '../../db/connection.js';
import { bulkInsert } from '../../db/dialect.js';
import { createMigrator, migrateToLatest } from '../../db/migrate.js';
import { insertPredictions } from '../prediction-log/prediction-log.repository.js';
import { PREDICTION_INSERT, toPredictionRow } from '../prediction-log/prediction-row.js';
import { CONFIDENCE_BINS, confidenceBin, LATENCY_BINS, latencyBin } from './histogram-bins.js';
import { decodeHeavyHitters, HEAVY_HITTERS_K } from './heavy-hitters.js';
import { decodeRegisters } from './hyperloglog.js';
import { parseCounts } from './rollup-write.repository.js';
import { rollupRecords, seededRandom } from './rollup-test-data.js';
import { ceilTo, DAY_MS, DEFAULT_MINUTE_RETENTION_MS, GRAIN_MS, HOUR_MS, MINUTE_MS, type Grain } from './time-buckets.js';

const KEY_SQL = (grain: Grain) => sql.raw(`(created_at - (created_at % ${GRAIN_MS[grain]}))`);

/** Rollup rows of one grain, keyed like the raw GROUP BY below. */
async function rollupRows(database: Database, grain: Grain, since: number) {
  const rows = await database.db.selectFrom('prediction_rollups').selectAll().where('grain', '=', grain).where('bucket_start', '>=', since).execute();
  return new Map(rows.map((r) => [`${r.bucket_start}|${r.model_name}|${r.model_version}|${r.variant}`, r]));
}

/**
 * Checks every rollup table of `grain` against the raw rows created since `since` (a bucket start): counts and sums by a SQL GROUP BY,
 * histograms and user sketches from the raw rows read back.
 */
async function expectRollupsMatchRaw(database: Database, grain: Grain, since = -Infinity): Promise<number> {
  const db = database.db;
  const bucket = KEY_SQL(grain);
  const lower = Number.isFinite(since) ? since : -1;
  const expected = await sql<{
    b: string; m: string; v: string; va: string; requests: string; errors: string; no_food: string; anonymous: string;
    cc: string; cs: number | null; ls: number | null;
  }>`
    select ${bucket} as b, coalesce(model_name, '') as m, coalesce(model_version, '') as v, coalesce(variant, '') as va,
      count(*) as requests,
      sum(case when status = 'error' then 1 else 0 end) as errors,
      sum(case when status = 'ok' and food_name is null then 1 else 0 end) as no_food,
      sum(case when user_id is null then 1 else 0 end) as anonymous,
      sum(case when status = 'ok' and confidence is not null then 1 else 0 end) as cc,
      sum(case when status = 'ok' then confidence end) as cs,
      sum(case when status = 'ok' then latency_ms end) as ls
    from predictions where created_at >= ${lower}
    group by 1, 2, 3, 4`.execute(db);
  const stored = await rollupRows(database, grain, lower);
  expect(stored.size).toBe(expected.rows.length);
  for (const e of expected.rows) {
    const r = stored.get(`${e.b}|${e.m}|${e.v}|${e.va}`);
    expect(r, `bucket ${e.b} ${e.m} ${e.v} ${e.va}`).toBeDefined();
    expect([Number(r!.requests), Number(r!.errors), Number(r!.no_food), Number(r!.anonymous), Number(r!.confidence_count)]).toEqual([
      Number(e.requests), Number(e.errors), Number(e.no_food), Number(e.anonymous), Number(e.cc),
    ]);
    expect(Number(r!.confidence_sum)).toBeCloseTo(Number(e.cs ?? 0), 6);
    expect(Number(r!.latency_sum)).toBeCloseTo(Number(e.ls ?? 0), 4);
  }

  // Histograms and distinct users, from the raw rows.
  const raw = await db.selectFrom('predictions').selectAll().where('created_at', '>=', lower).execute();
  const hists = new Map<string, { conf: number[]; lat: number[]; users: Set<string> }>();
  for (const p of raw) {
    const b = Number(p.created_at) - (Number(p.created_at) % GRAIN_MS[grain]);
    const key = `${b}|${p.model_name ?? ''}|${p.model_version ?? ''}|${p.variant ?? ''}`;
    let h = hists.get(key);
    if (!h) hists.set(key, (h = { conf: new Array(CONFIDENCE_BINS).fill(0), lat: new Array(LATENCY_BINS).fill(0), users: new Set() }));
    if (p.status === 'ok') {
      h.lat[latencyBin(Number(p.latency_ms))]!++;
      if (p.confidence !== null) h.conf[confidenceBin(Number(p.confidence))]!++;
    }
    if (p.user_id !== null) h.users.add(p.user_id);
  }
  for (const [key, h] of hists) {
    const r = stored.get(key)!;
    expect(parseCounts(r.confidence_hist)).toEqual(h.conf);
    expect(parseCounts(r.latency_hist)).toEqual(h.lat);
    if (grain === 'm') expect(r.users_hll).toBeNull();
    else expect(decodeRegisters(r.users_hll).filter((x) => x > 0).length).toBeLessThanOrEqual(h.users.size);
  }

  // Per food and per user: the same GROUP BY, one row each.
  const foods = await sql<{ k: string; n: string }>`
    select ${bucket} || '|' || coalesce(model_name, '') || '|' || coalesce(model_version, '') || '|' || coalesce(variant, '') || '|' || coalesce(food_name, '') as k,
      count(*) as n
    from predictions where status = 'ok' and created_at >= ${lower} group by 1`.execute(db);
  const storedFoods = await db.selectFrom('prediction_rollup_foods').selectAll().where('grain', '=', grain).where('bucket_start', '>=', lower).execute();
  expect(new Map(storedFoods.map((f) => [`${f.bucket_start}|${f.model_name}|${f.model_version}|${f.variant}|${f.food_name}`, Number(f.count)]))).toEqual(
    new Map(foods.rows.map((f) => [f.k, Number(f.n)])),
  );
  if (grain !== 'm') {
    // Top-users summaries: exact while a bucket saw at most k distinct users, within their bounds beyond.
    const users = await sql<{ k: string; u: string; n: string }>`
      select ${bucket} || '|' || coalesce(model_name, '') || '|' || coalesce(model_version, '') || '|' || coalesce(variant, '') as k,
        user_id as u, count(*) as n
      from predictions where user_id is not null and created_at >= ${lower} group by 1, 2`.execute(db);
    const truth = new Map<string, Map<string, number>>();
    for (const u of users.rows) {
      if (!truth.has(u.k)) truth.set(u.k, new Map());
      truth.get(u.k)!.set(u.u, Number(u.n));
    }
    for (const [key, r] of stored) {
      const summary = decodeHeavyHitters(r.users_top);
      const want = truth.get(key) ?? new Map<string, number>();
      if (want.size <= HEAVY_HITTERS_K) {
        expect(summary.floor, key).toBe(0);
        expect(new Map([...summary.items].map(([u, [count, over]]) => [u, [count, over]]))).toEqual(new Map([...want].map(([u, f]) => [u, [f, 0]])));
      } else {
        const n = [...want.values()].reduce((a, b) => a + b, 0);
        expect(summary.floor).toBeLessThanOrEqual(n / (HEAVY_HITTERS_K + 1));
        expect(summary.items.size).toBeLessThanOrEqual(HEAVY_HITTERS_K);
        for (const [u, f] of want) {
          const e = summary.items.get(u);
          if (e === undefined) expect(f).toBeLessThanOrEqual(summary.floor);
          else expect(e[0] - e[1] <= f && f <= e[0], `${key} ${u}`).toBe(true);
        }
      }
    }
  }
  return expected.rows.length;
}

describeEachDatabase((td) => {
  describe('prediction-log rollups', () => {
    const db = useTestDatabase(td);

    it.each([1, 2])('equal a GROUP BY over the raw rows for random records in random batches, re-sent batches included (seed %i)', async (seed) => {
      const now = Date.now();
      const records = rollupRecords(seed, 3000, { from: now - 3 * DAY_MS, to: now });
      const rand = seededRandom(seed + 100);
      const sent: typeof records = [];
      for (let i = 0; i < records.length; ) {
        const batch = records.slice(i, (i += 1 + Math.floor(rand() * 400)));
        await insertPredictions(db(), batch);
        sent.push(...batch);
        // a retried batch, and one overlapping earlier records and new ones
        if (rand() < 0.3) await insertPredictions(db(), batch);
        if (rand() < 0.2 && i < records.length) await insertPredictions(db(), [...sent.slice(-50), ...records.slice(i, i + 10)]);
      }
      for (const grain of ['h', 'd'] as const) expect(await expectRollupsMatchRaw(db(), grain)).toBeGreaterThan(10);
      // Minute buckets only exist for records within minute retention.
      expect(await expectRollupsMatchRaw(db(), 'm', ceilTo(now - DEFAULT_MINUTE_RETENTION_MS + 120_000, MINUTE_MS))).toBeGreaterThan(10);
      const oldest = await db().db.selectFrom('prediction_rollups').select((eb) => eb.fn.min('bucket_start').as('t')).where('grain', '=', 'm').executeTakeFirstOrThrow();
      expect(Number(oldest.t)).toBeGreaterThanOrEqual(now - DEFAULT_MINUTE_RETENTION_MS - 60_000);
    });

    it('keeps top-users summaries within their bound when a bucket sees more than k users', async () => {
      const now = Date.now();
      const records = rollupRecords(8, 6000, { from: now - 2 * HOUR_MS, to: now, users: 3000 });
      for (let i = 0; i < records.length; i += 700) await insertPredictions(db(), records.slice(i, i + 700));
      await expectRollupsMatchRaw(db(), 'h');
      await expectRollupsMatchRaw(db(), 'd');
      const days = await db().db.selectFrom('prediction_rollups').select('users_top').where('grain', '=', 'd').execute();
      expect(Math.max(...days.map((d) => decodeHeavyHitters(d.users_top).floor))).toBeGreaterThan(0);
    });

    it('counts a re-sent batch once', async () => {
      const now = Date.now();
      const records = rollupRecords(5, 200, { from: now - HOUR_MS, to: now });
      await insertPredictions(db(), records);
      const before = await db().db.selectFrom('prediction_rollups').select((eb) => eb.fn.sum<number>('requests').as('n')).where('grain', '=', 'd').executeTakeFirstOrThrow();
      await insertPredictions(db(), records);
      await insertPredictions(db(), [...records.slice(0, 100), records[0]!]);
      const after = await db().db.selectFrom('prediction_rollups').select((eb) => eb.fn.sum<number>('requests').as('n')).where('grain', '=', 'd').executeTakeFirstOrThrow();
      expect(Number(before.n)).toBe(200);
      expect(Number(after.n)).toBe(200);
      // 200 users at most: the hourly top-users summaries are exact, so their counts add up to the records with a user
      const hours = await db().db.selectFrom('prediction_rollups').select('users_top').where('grain', '=', 'h').execute();
      const counted = hours.flatMap((h) => [...decodeHeavyHitters(h.users_top).items.values()]).reduce((n, [count]) => n + count, 0);
      expect(counted).toBe(records.filter((r) => r.userId !== null).length);
    });

    it('rolls back the rollups with the batch when the insert fails', async () => {
      const now = Date.now();
      const records = rollupRecords(6, 20, { from: now - HOUR_MS, to: now });
      await expect(insertPredictions(db(), [...records, { ...records[0]!, id: 'x', status: 'bogus' as 'ok' }])).rejects.toThrow();
      expect(await db().db.selectFrom('prediction_rollups').selectAll().execute()).toEqual([]);
    });
  });

  describe('migration 0004 backfill', () => {
    const db = useTestDatabase(td, { migrate: false });

    it('rolls up the rows stored before it', async () => {
      const database = db();
      const migrator = await createMigrator(database);
      const to0003 = await migrator.migrateTo('0003_registry');
      expect(to0003.error).toBeUndefined();
      const now = Date.now();
      const records = rollupRecords(3, 2500, { from: now - 4 * DAY_MS, to: now });
      await database.db.transaction().execute((trx) => bulkInsert(database, trx, PREDICTION_INSERT, records.map(toPredictionRow)));
      expect(await migrateToLatest(database)).toContain('0004_rollups');
      for (const grain of ['h', 'd'] as const) expect(await expectRollupsMatchRaw(database, grain)).toBeGreaterThan(10);
      expect(await expectRollupsMatchRaw(database, 'm', ceilTo(now - DEFAULT_MINUTE_RETENTION_MS + 120_000, MINUTE_MS))).toBeGreaterThan(10);
    });
  });
});
