// Rolls up prediction rows stored before the rollup tables existed (migration 0004), so upgrading keeps history.
// Pages through the raw table by id and writes each page like a writer batch; one-time work, run once by the migration.
import type { Kysely } from 'kysely';
import { RollupBatch } from './rollup-batch.js';
import { kyselyStore, writeRollups } from './rollup-write.repository.js';
import { DEFAULT_MINUTE_RETENTION_MS } from './time-buckets.js';

export async function backfillRollups(db: Kysely<any>, { pageSize = 20_000, now = Date.now() } = {}): Promise<number> {
  const store = kyselyStore(db);
  let after: string | null = null;
  let total = 0;
  for (;;) {
    let query = db
      .selectFrom('predictions')
      .select(['id', 'created_at', 'model_name', 'model_version', 'variant', 'status', 'food_name', 'confidence', 'latency_ms', 'user_id'])
      .orderBy('id')
      .limit(pageSize);
    if (after !== null) query = query.where('id', '>', after);
    const rows = await query.execute();
    if (rows.length === 0) return total;
    const batch = new RollupBatch({ minuteSince: now - DEFAULT_MINUTE_RETENTION_MS });
    for (const r of rows) {
      batch.add({
        createdAt: Number(r.created_at),
        modelName: r.model_name,
        modelVersion: r.model_version,
        variant: r.variant,
        status: r.status,
        foodName: r.food_name,
        confidence: r.confidence === null ? null : Number(r.confidence),
        latencyMs: Number(r.latency_ms),
        userId: r.user_id,
      });
    }
    await writeRollups(store, batch);
    total += rows.length;
    after = rows[rows.length - 1]!.id as string;
  }
}
