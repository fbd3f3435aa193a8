// Writes a RollupBatch into the rollup tables, inside the caller's transaction (the same one as the raw insert, so a
// batch and its rollups commit or roll back together).
//
// Counts and sums are added in SQL (`col = col + excluded.col`). Histograms and user sketches (distinct-user
// HyperLogLog, top-users summary) are merged in
// application code (read the stored value, add or max, write back): that keeps them one compact text value per
// bucket on both databases, without a per-dialect array or byte-wise merge in SQL. The read-merge-write is safe
// because rollup writers are serialised: SQLite has one writer at a time (the raw insert took the write lock before
// the read), and on PostgreSQL every writer first takes one transaction-scoped advisory lock, so concurrent
// instances queue for this step (held from here to commit; the raw inserts before it still run in parallel).
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Database, DialectName } from '../../db/connection.js';
import { bulkInsert, defineBulkInsert, dialectOf, pgArrayLiteral, type BulkColumnType, type BulkInsert } from '../../db/dialect.js';
import type { Tables } from '../../db/tables.js';
import { addInto } from './histogram-bins.js';
import { decodeHeavyHitters, encodeHeavyHitters, fromCounts, mergeInto, prune } from './heavy-hitters.js';
import { encodeRegisters, mergeEncodedInto } from './hyperloglog.js';
import { bucketKeyOf, type BucketDelta, type RollupBatch } from './rollup-batch.js';

/** Where rollups are written: a transaction, and how to run a bulk upsert in it. */
export interface RollupStore {
  db: Kysely<Tables>;
  dialect: DialectName;
  upsert(insert: BulkInsert, rows: unknown[][]): Promise<void>;
}

/** The fast path: the prediction-log writer's transaction, with db/dialect.ts's bulk insert. */
export function transactionStore(database: Database, trx: Kysely<Tables>): RollupStore {
  return { db: trx, dialect: database.dialect, upsert: (insert, rows) => bulkInsert(database, trx, insert, rows) };
}

/** Through Kysely alone (migrations have no Database handle): the same statements, one per row on SQLite. */
export function kyselyStore(db: Kysely<any>): RollupStore {
  const dialect = dialectOf(db);
  return {
    db,
    dialect,
    async upsert(insert, rows) {
      if (rows.length === 0) return;
      if (dialect === 'postgres') {
        await db.executeQuery(CompiledQuery.raw(insert.postgresSql, insert.spec.columns.map((_, c) => pgArrayLiteral(rows, c))));
        return;
      }
      for (const row of rows) await db.executeQuery(CompiledQuery.raw(insert.sqliteSql, row as unknown[]));
    },
  };
}

/** Arbitrary constant naming the rollup lock among PostgreSQL advisory locks. */
const PG_ROLLUP_LOCK = 0x466c5275;

const KEY: ReadonlyArray<{ name: string; type: BulkColumnType }> = [
  { name: 'grain', type: 'text' },
  { name: 'bucket_start', type: 'bigint' },
  { name: 'model_name', type: 'text' },
  { name: 'model_version', type: 'text' },
  { name: 'variant', type: 'text' },
];
const KEY_NAMES = KEY.map((k) => k.name);

const ADDED = ['requests', 'errors', 'no_food', 'anonymous', 'confidence_count', 'confidence_sum', 'latency_sum'];
const MERGED = ['confidence_hist', 'latency_hist', 'users_hll', 'users_top'];

const BUCKET_UPSERT = defineBulkInsert({
  table: 'prediction_rollups',
  columns: [
    ...KEY,
    { name: 'requests', type: 'bigint' },
    { name: 'errors', type: 'bigint' },
    { name: 'no_food', type: 'bigint' },
    { name: 'anonymous', type: 'bigint' },
    { name: 'confidence_count', type: 'bigint' },
    { name: 'confidence_sum', type: 'double' },
    { name: 'latency_sum', type: 'double' },
    { name: 'confidence_hist', type: 'text' },
    { name: 'latency_hist', type: 'text' },
    { name: 'users_hll', type: 'text' },
    { name: 'users_top', type: 'text' },
  ],
  conflictColumns: KEY_NAMES,
  conflictAction:
    'do update set ' +
    [...ADDED.map((c) => `"${c}" = "prediction_rollups"."${c}" + excluded."${c}"`), ...MERGED.map((c) => `"${c}" = excluded."${c}"`)].join(', '),
});

const FOOD_UPSERT = defineBulkInsert({
  table: 'prediction_rollup_foods',
  columns: [...KEY, { name: 'food_name', type: 'text' }, { name: 'count', type: 'bigint' }],
  conflictColumns: [...KEY_NAMES, 'food_name'],
  conflictAction: 'do update set "count" = "prediction_rollup_foods"."count" + excluded."count"',
});

export async function writeRollups(store: RollupStore, batch: RollupBatch): Promise<void> {
  if (batch.size === 0) return;
  if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${PG_ROLLUP_LOCK}::bigint)`.execute(store.db);
  const stored = await selectStoredSketches(store.db, batch.buckets);
  const rows: unknown[][] = [];
  const foods: unknown[][] = [];
  for (const b of batch.buckets) {
    const old = stored.get(bucketKeyOf(b));
    let confidenceHist = b.confidenceHist;
    let latencyHist = b.latencyHist;
    if (old) {
      confidenceHist = addInto(confidenceHist, parseCounts(old.confidence_hist));
      latencyHist = addInto(latencyHist, parseCounts(old.latency_hist));
      if (b.users) mergeEncodedInto(b.users, old.users_hll);
    }
    let top: string | null = null;
    if (b.userCounts) {
      const summary = fromCounts(b.userCounts);
      if (old?.users_top) mergeInto(summary, decodeHeavyHitters(old.users_top));
      top = encodeHeavyHitters(prune(summary));
    }
    rows.push([
      b.grain, b.bucketStart, b.modelName, b.modelVersion, b.variant,
      b.requests, b.errors, b.noFood, b.anonymous, b.confidenceCount, b.confidenceSum, b.latencySum,
      JSON.stringify(confidenceHist), JSON.stringify(latencyHist), b.users ? encodeRegisters(b.users) : null, top,
    ]);
    for (const [food, n] of b.foods) foods.push([b.grain, b.bucketStart, b.modelName, b.modelVersion, b.variant, food, n]);
  }
  await store.upsert(BUCKET_UPSERT, rows);
  await store.upsert(FOOD_UPSERT, foods);
}

interface StoredSketches {
  confidence_hist: string;
  latency_hist: string;
  users_hll: string | null;
  users_top: string | null;
}

/** The stored histograms and sketches of the batch's buckets, by bucket key; one query per batch. */
async function selectStoredSketches(db: Kysely<Tables>, buckets: readonly BucketDelta[]): Promise<Map<string, StoredSketches>> {
  const slots = new Map<string, { grain: string; start: number }>();
  for (const b of buckets) slots.set(`${b.grain}${b.bucketStart}`, { grain: b.grain, start: b.bucketStart });
  const out = new Map<string, StoredSketches>();
  const all = [...slots.values()];
  // A batch spans few buckets; chunks keep a backfill page's statement small all the same.
  for (let i = 0; i < all.length; i += 200) {
    const chunk = all.slice(i, i + 200);
    const rows = await db
      .selectFrom('prediction_rollups')
      .select(['grain', 'bucket_start', 'model_name', 'model_version', 'variant', 'confidence_hist', 'latency_hist', 'users_hll', 'users_top'])
      .where((eb) => eb.or(chunk.map((s) => eb.and([eb('grain', '=', s.grain), eb('bucket_start', '=', s.start)]))))
      .execute();
    for (const r of rows) {
      const key = bucketKeyOf({ grain: r.grain as BucketDelta['grain'], bucketStart: Number(r.bucket_start), modelName: r.model_name, modelVersion: r.model_version, variant: r.variant });
      out.set(key, r);
    }
  }
  return out;
}

export function parseCounts(text: string | null | undefined): number[] {
  if (!text) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.map(Number) : [];
}
