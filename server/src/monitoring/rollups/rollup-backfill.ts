// Rolls up prediction rows stored before the rollup tables existed (migration 0004), so upgrading keeps history, and
// fills the drift feature summaries of existing buckets (migration 0005). Pages through the raw table by id and writes
// each page like a writer batch; one-time work, run once by each migration.
import type { Kysely } from 'kysely';
import { RollupBatch, type RollupInput } from './rollup-batch.js';
import { kyselyStore, writeFeatureSummaries, writeRollups } from './rollup-write.repository.js';
import { DEFAULT_MINUTE_RETENTION_MS } from './time-buckets.js';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function rollupInput(r: Record<string, any>): RollupInput {
  return {
    createdAt: Number(r.created_at),
    modelName: r.model_name,
    modelVersion: r.model_version,
    variant: r.variant,
    status: r.status,
    foodName: r.food_name,
    confidence: num(r.confidence),
    latencyMs: Number(r.latency_ms),
    userId: r.user_id,
    imageWidth: num(r.image_width),
    imageHeight: num(r.image_height),
    imageBytes: num(r.image_bytes),
    brightness: num(r.brightness),
    contrast: num(r.contrast),
    saturation: num(r.saturation),
    sharpness: num(r.sharpness),
  };
}

const COLUMNS = ['id', 'created_at', 'model_name', 'model_version', 'variant', 'status', 'food_name', 'confidence', 'latency_ms', 'user_id'];
const FEATURE_COLUMNS = ['image_width', 'image_height', 'image_bytes', 'brightness', 'contrast', 'saturation', 'sharpness'];

/**
 * Migration 0004's backfill: every rollup column but the drift feature summaries, which do not exist yet at 0004
 * (`features: true` writes them too, for a schema that has them).
 */
export async function backfillRollups(db: Kysely<any>, { pageSize = 20_000, now = Date.now(), features = false } = {}): Promise<number> {
  const store = kyselyStore(db);
  return pageRaw(db, features ? [...COLUMNS, ...FEATURE_COLUMNS] : COLUMNS, pageSize, false, async (rows) => {
    const batch = new RollupBatch({ minuteSince: now - DEFAULT_MINUTE_RETENTION_MS });
    for (const r of rows) batch.add(rollupInput(r));
    await writeRollups(store, batch, { features });
  });
}

/** Migration 0005's: the feature summaries of successful predictions, added to the buckets 0004 wrote. */
export async function backfillFeatureSummaries(db: Kysely<any>, { pageSize = 20_000, now = Date.now() } = {}): Promise<number> {
  const store = kyselyStore(db);
  return pageRaw(db, [...COLUMNS, ...FEATURE_COLUMNS], pageSize, true, async (rows) => {
    const batch = new RollupBatch({ minuteSince: now - DEFAULT_MINUTE_RETENTION_MS });
    for (const r of rows) batch.add(rollupInput(r));
    await writeFeatureSummaries(store, batch);
  });
}

async function pageRaw(
  db: Kysely<any>,
  columns: string[],
  pageSize: number,
  okOnly: boolean,
  write: (rows: Array<Record<string, any>>) => Promise<void>,
): Promise<number> {
  let after: string | null = null;
  let total = 0;
  for (;;) {
    let query = db.selectFrom('predictions').select(columns).orderBy('id').limit(pageSize);
    if (okOnly) query = query.where('status', '=', 'ok');
    if (after !== null) query = query.where('id', '>', after);
    const rows: Array<Record<string, any>> = await query.execute();
    if (rows.length === 0) return total;
    await write(rows);
    total += rows.length;
    after = rows[rows.length - 1]!.id as string;
  }
}
