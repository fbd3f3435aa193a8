// The rollups' drift feature summaries on every database: written with the prediction log (batch after batch, re-sent
// batches not counted twice), and filled by migration 0005 for rows logged before it.
import { describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../../test/databases.js';
import type { Database } from '../../db/connection.js';
import { bulkInsert } from '../../db/dialect.js';
import { createMigrator, migrateToLatest } from '../../db/migrate.js';
import { insertPredictions } from '../prediction-log/prediction-log.repository.js';
import { PREDICTION_INSERT, toPredictionRow } from '../prediction-log/prediction-row.js';
import type { PredictionRecord } from '../prediction-log/types.js';
import { planRange } from '../rollups/range-plan.js';
import { selectFeatureWindow } from '../rollups/rollup-read.repository.js';
import { DAY_MS, floorTo, HOUR_MS } from '../rollups/time-buckets.js';
import { driftStream } from './drift-test-data.js';
import { RollupBatch } from '../rollups/rollup-batch.js';
import { transactionStore, writeRollups } from '../rollups/rollup-write.repository.js';
import { addFeatures, decodeFeatures, emptyFeatureSummaries, encodeFeatures, mergeFeaturesInto, NUMERIC_FEATURES, type FeatureSummaries } from './feature-summaries.js';

function accumulate(records: readonly PredictionRecord[]): FeatureSummaries {
  const s = emptyFeatureSummaries();
  for (const r of records) if (r.status === 'ok') addFeatures(s, r);
  return s;
}

/** Every stored bucket of a grain against the summaries of its raw records. */
async function expectBucketsMatch(database: Database, grain: 'h' | 'd', records: readonly PredictionRecord[]): Promise<number> {
  const rows = await database.db.selectFrom('prediction_rollups').select(['bucket_start', 'model_version', 'variant', 'features', 'errors', 'requests']).where('grain', '=', grain).execute();
  const step = grain === 'd' ? DAY_MS : HOUR_MS;
  for (const r of rows) {
    const mine = records.filter((x) => floorTo(x.createdAt, step) === Number(r.bucket_start) && x.modelVersion === r.model_version && (x.variant ?? '') === r.variant);
    const want = accumulate(mine);
    if (mine.every((x) => x.status !== 'ok')) {
      expect(r.features).toBeNull();
      continue;
    }
    const got = decodeFeatures(r.features)!;
    NUMERIC_FEATURES.forEach((f, i) => {
      expect([got[i]!.count, got[i]!.missing, got[i]!.below, got[i]!.above, got[i]!.min, got[i]!.max], f.name).toEqual([want[i]!.count, want[i]!.missing, want[i]!.below, want[i]!.above, want[i]!.min, want[i]!.max]);
      expect(got[i]!.counts, f.name).toEqual(want[i]!.counts);
      expect(got[i]!.distinct, f.name).toEqual(want[i]!.distinct);
      expect(got[i]!.sum).toBeCloseTo(want[i]!.sum, 4);
    });
  }
  return rows.length;
}

describeEachDatabase((td) => {
  describe('rollup feature summaries', () => {
    const db = useTestDatabase(td);

    it('are written with the log, batch after batch, and a re-sent batch is not counted twice', async () => {
      const now = Date.now();
      const records = [
        ...driftStream(1, 1200, { from: now - 3 * DAY_MS, to: now }),
        ...driftStream(2, 300, { from: now - 3 * DAY_MS, to: now, variant: 'shadow', version: '2' }),
        // a bucket of failures only: no summaries
        ...driftStream(3, 5, { from: now - 10 * DAY_MS, to: now - 10 * DAY_MS + 1000, version: '9', errorRate: 1 }),
      ];
      for (let i = 0; i < records.length; i += 250) await insertPredictions(db(), records.slice(i, i + 250));
      await insertPredictions(db(), records.slice(0, 250));
      expect(await expectBucketsMatch(db(), 'd', records)).toBeGreaterThan(4);
      expect(await expectBucketsMatch(db(), 'h', records)).toBeGreaterThan(50);

      // a window read back merges the buckets: minutes near now, hours before
      const plan = planRange(now - 2 * DAY_MS, now + 60_000, { minutesSince: now - DAY_MS });
      const w = await selectFeatureWindow(db().db, plan, { model: 'food-detector', version: '1', variants: ['champion'] });
      const inside = records.filter((r) => r.modelVersion === '1' && r.variant === 'champion' && r.status === 'ok' && r.createdAt >= plan.from && r.createdAt < plan.to);
      expect(w.rows).toBe(inside.length);
      expect(w.numeric[5]!.count).toBe(inside.length);
      expect(w.numeric[5]!.counts).toEqual(accumulate(inside)[5]!.counts);
      expect(w.foods.get('')).toBe(inside.filter((r) => r.foodName === null).length);
    });
  });

  describe('rollup feature summaries, read-merge-write', () => {
    const db = useTestDatabase(td);

    it('merge into what is stored, whoever wrote it, and a rolled-back write leaves no trace', async () => {
      const database = db();
      const now = Date.now();
      const [a, b, c, d] = [1, 2, 3, 4].map((seed) => driftStream(20 + seed, 400, { from: now - HOUR_MS, to: now }));
      await insertPredictions(database, a!);
      // another instance adds to the same buckets (its text differs from what this process last wrote)
      const other = new RollupBatch();
      for (const r of b!) other.add(r);
      await database.db.transaction().execute(async (trx) => {
        const day = other.buckets.find((x) => x.grain === 'd')!;
        const row = await trx.selectFrom('prediction_rollups').select('features').where('grain', '=', 'd').where('bucket_start', '=', day.bucketStart).where('variant', '=', 'champion').executeTakeFirstOrThrow();
        const merged = mergeFeaturesInto(decodeFeatures(row.features)!, day.features!);
        await trx.updateTable('prediction_rollups').set({ features: encodeFeatures(merged) }).where('grain', '=', 'd').where('bucket_start', '=', day.bucketStart).where('variant', '=', 'champion').execute();
      });
      // a write that rolls back
      const lost = new RollupBatch();
      for (const r of c!) lost.add(r);
      await expect(
        database.db.transaction().execute(async (trx) => {
          await writeRollups(transactionStore(database, trx), lost);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await insertPredictions(database, d!);
      const row = await database.db.selectFrom('prediction_rollups').select('features').where('grain', '=', 'd').where('bucket_start', '=', floorTo(now, DAY_MS)).where('variant', '=', 'champion').executeTakeFirstOrThrow();
      const got = decodeFeatures(row.features)!;
      const want = accumulate([...a!, ...b!, ...d!].filter((r) => floorTo(r.createdAt, DAY_MS) === floorTo(now, DAY_MS)));
      NUMERIC_FEATURES.forEach((f, i) => {
        expect(got[i]!.count, f.name).toBe(want[i]!.count);
        expect(got[i]!.counts, f.name).toEqual(want[i]!.counts);
      });
    });
  });

  describe('migration 0005', () => {
    const db = useTestDatabase(td, { migrate: false });

    it('fills the summaries of buckets rolled up before it', async () => {
      const database = db();
      const migrator = await createMigrator(database);
      expect((await migrator.migrateTo('0003_registry')).error).toBeUndefined();
      const now = Date.now();
      const records = [
        ...driftStream(4, 1500, { from: now - 4 * DAY_MS, to: now }),
        ...driftStream(5, 200, { from: now - 4 * DAY_MS, to: now, variant: null, version: '3' }),
      ];
      await database.db.transaction().execute((trx) => bulkInsert(database, trx, PREDICTION_INSERT, records.map(toPredictionRow)));
      expect((await migrator.migrateTo('0004_rollups')).error).toBeUndefined();
      expect((await migrator.migrateTo('0005_drift')).error).toBeUndefined();
      expect(await expectBucketsMatch(database, 'd', records)).toBeGreaterThan(4);
      expect(await expectBucketsMatch(database, 'h', records)).toBeGreaterThan(50);
      // and the writer goes on from there
      const more = driftStream(6, 300, { from: now - 2 * HOUR_MS, to: now });
      await insertPredictions(database, more);
      expect(await expectBucketsMatch(database, 'd', [...records, ...more])).toBeGreaterThan(4);
      // down and up again
      expect((await migrator.migrateTo('0004_rollups')).error).toBeUndefined();
      expect(await migrateToLatest(database)).toContain('0005_drift');
      expect(await expectBucketsMatch(database, 'd', [...records, ...more])).toBeGreaterThan(4);
    });
  });
});
