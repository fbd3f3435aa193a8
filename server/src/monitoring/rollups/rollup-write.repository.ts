// Writes a RollupBatch into the rollup tables, inside the caller's transaction (the same one as the raw insert, so a
// batch and its rollups commit or roll back together).
//
// Counts and sums are added in SQL (`col = col + excluded.col`). Histograms, user sketches (distinct-user
// HyperLogLog, top-users summary) and the drift feature summaries (drift-monitor/feature-summaries.ts) are merged in
// application code (read the stored value, add or max, write back): that keeps them one compact text value per
// bucket on both databases, without a per-dialect array or byte-wise merge in SQL. The read-merge-write is safe
// because rollup writers are serialised: SQLite has one writer at a time (the raw insert took the write lock before
// the read), and on PostgreSQL every writer first takes one transaction-scoped advisory lock, so concurrent
// instances queue for this step (held from here to commit; the raw inserts before it still run in parallel).
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Database, DialectName } from '../../db/connection.js';
import { bulkInsert, defineBulkInsert, dialectOf, pgArrayLiteral, type BulkColumnType, type BulkInsert } from '../../db/dialect.js';
import type { Tables } from '../../db/tables.js';
import { decodeFeatures, emptyFeatureSummaries, encodeFeatures, mergeFeaturesInto, type FeatureSummaries } from '../drift-monitor/feature-summaries.js';
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

const BUCKET_COLUMNS: ReadonlyArray<{ name: string; type: BulkColumnType }> = [
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
];

function bucketUpsert(merged: readonly string[], extra: ReadonlyArray<{ name: string; type: BulkColumnType }>): BulkInsert {
  return defineBulkInsert({
    table: 'prediction_rollups',
    columns: [...BUCKET_COLUMNS, ...extra],
    conflictColumns: KEY_NAMES,
    conflictAction:
      'do update set ' +
      [...ADDED.map((c) => `"${c}" = "prediction_rollups"."${c}" + excluded."${c}"`), ...merged.map((c) => `"${c}" = excluded."${c}"`)].join(', '),
  });
}

/** With the drift feature summaries (migration 0005 on). */
const BUCKET_UPSERT = bucketUpsert([...MERGED, 'features'], [{ name: 'features', type: 'text' }]);
/** The schema of migration 0004, which backfills before 0005 adds the features column. */
const BUCKET_UPSERT_0004 = bucketUpsert(MERGED, []);

const FOOD_UPSERT = defineBulkInsert({
  table: 'prediction_rollup_foods',
  columns: [...KEY, { name: 'food_name', type: 'text' }, { name: 'count', type: 'bigint' }],
  conflictColumns: [...KEY_NAMES, 'food_name'],
  conflictAction: 'do update set "count" = "prediction_rollup_foods"."count" + excluded."count"',
});

export interface WriteRollupsOptions {
  /** Write the drift feature summaries (default true). False only for migration 0004's backfill, which runs before the
   * features column exists (migration 0005 then fills it with backfillFeatureSummaries). */
  features?: boolean;
}

export async function writeRollups(store: RollupStore, batch: RollupBatch, { features: withFeatures = true }: WriteRollupsOptions = {}): Promise<void> {
  if (batch.size === 0) return;
  if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${PG_ROLLUP_LOCK}::bigint)`.execute(store.db);
  const stored = await selectStoredSketches(store.db, batch.buckets, withFeatures);
  const rows: unknown[][] = [];
  const foods: unknown[][] = [];
  const written: typeof lastWritten = new Map();
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
    const row: unknown[] = [
      b.grain, b.bucketStart, b.modelName, b.modelVersion, b.variant,
      b.requests, b.errors, b.noFood, b.anonymous, b.confidenceCount, b.confidenceSum, b.latencySum,
      JSON.stringify(confidenceHist), JSON.stringify(latencyHist), b.users ? encodeRegisters(b.users) : null, top,
    ];
    if (withFeatures) row.push(mergedFeatures(bucketKeyOf(b), b.features, old?.features ?? null, written));
    rows.push(row);
    for (const [food, n] of b.foods) foods.push([b.grain, b.bucketStart, b.modelName, b.modelVersion, b.variant, food, n]);
  }
  lastWritten = written;
  await store.upsert(withFeatures ? BUCKET_UPSERT : BUCKET_UPSERT_0004, rows);
  await store.upsert(FOOD_UPSERT, foods);
}

/**
 * The summaries this process last wrote per bucket key, with the text written. A batch usually adds to the same few
 * buckets as the one before (this minute, hour and day), so when the stored text is still exactly what was written,
 * the decoded summaries are reused instead of parsing the text again. Keyed by the text itself, so it can never be
 * stale: another writer (instance, database, rolled-back transaction) leaves a different text, which is then decoded.
 * Holds the buckets of the last batch only.
 */
let lastWritten = new Map<string, { text: string; summaries: FeatureSummaries }>();

/** The bucket's new features text: the batch's summaries added to the stored ones. Stored text is kept as it is when the
 * batch brings none (no parse), and replaced when it is unreadable or of another FEATURE_SUMMARY_VERSION. */
function mergedFeatures(key: string, delta: FeatureSummaries | null, stored: string | null, written: typeof lastWritten): string | null {
  if (delta === null) return stored;
  const cached = stored === null ? undefined : lastWritten.get(key);
  // The cached summaries are merged into in place: they are only ever reached through an entry holding their text.
  let old: FeatureSummaries | null;
  if (cached !== undefined && cached.text === stored) {
    lastWritten.delete(key);
    old = cached.summaries;
  } else old = decodeFeatures(stored);
  const merged = old ? mergeFeaturesInto(old, delta) : mergeFeaturesInto(emptyFeatureSummaries(), delta);
  const text = encodeFeatures(merged);
  if (text !== null) written.set(key, { text, summaries: merged });
  return text;
}

interface StoredSketches {
  confidence_hist: string;
  latency_hist: string;
  users_hll: string | null;
  users_top: string | null;
  features?: string | null;
}

/** The stored histograms and sketches of the batch's buckets, by bucket key; one query per batch. */
async function selectStoredSketches(db: Kysely<Tables>, buckets: readonly BucketDelta[], withFeatures = true): Promise<Map<string, StoredSketches>> {
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
      .$if(withFeatures, (q) => q.select('features'))
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

/**
 * Adds the batch's feature summaries to buckets that already exist, leaving every other column alone: migration 0005
 * fills the new features column this way from the raw rows still kept. Buckets the batch has but the table lacks are
 * skipped (their counts were never rolled up from these rows).
 */
export async function writeFeatureSummaries(store: RollupStore, batch: RollupBatch): Promise<void> {
  const buckets = batch.buckets.filter((b) => b.features !== null);
  if (buckets.length === 0) return;
  if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${PG_ROLLUP_LOCK}::bigint)`.execute(store.db);
  const stored = await selectStoredSketches(store.db, buckets);
  for (const b of buckets) {
    const old = stored.get(bucketKeyOf(b));
    if (!old) continue;
    await store.db
      .updateTable('prediction_rollups')
      .set({ features: mergedFeatures(bucketKeyOf(b), b.features, old.features ?? null, new Map()) })
      .where('grain', '=', b.grain)
      .where('bucket_start', '=', b.bucketStart)
      .where('model_name', '=', b.modelName)
      .where('model_version', '=', b.modelVersion)
      .where('variant', '=', b.variant)
      .execute();
  }
}
