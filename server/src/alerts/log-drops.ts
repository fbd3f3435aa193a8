// Dropped prediction-log records never reach the prediction log, so each instance adds its drops per minute to
// prediction_log_drops, and the log_drops alert signal (any instance) reads the sum. A write that fails (the store
// is down, which is when drops happen) is retried with the next delta: nothing is counted twice or lost.
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';

const MINUTE_MS = 60_000;

export async function sumDrops(db: Kysely<Tables>, from: number, to: number): Promise<number> {
  const row = await db
    .selectFrom('prediction_log_drops')
    .select((eb) => eb.fn.sum<number>('dropped').as('dropped'))
    // minute buckets overlapping [from, to)
    .where('bucket_start', '>', from - MINUTE_MS)
    .where('bucket_start', '<', to)
    .executeTakeFirst();
  return Number(row?.dropped ?? 0);
}

export interface DropRecorderOptions {
  db: Kysely<Tables>;
  instanceId: string;
  /** the writer's cumulative drop count */
  dropped: () => number;
  intervalMs?: number;
  logger: { warn(obj: object, msg: string): void };
}

export class DropRecorder {
  #recorded = 0;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(private readonly opts: DropRecorderOptions) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.record(), this.opts.intervalMs ?? 5000);
    this.#timer.unref();
  }

  /** Adds the drops since the last successful write to the current minute. */
  record(now = Date.now()): Promise<void> {
    this.#running ??= this.#write(now).finally(() => (this.#running = null));
    return this.#running;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
    await this.record().catch(() => undefined);
  }

  async #write(now: number): Promise<void> {
    const total = this.opts.dropped();
    const delta = total - this.#recorded;
    if (delta <= 0) return;
    const bucket = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    try {
      await this.opts.db
        .insertInto('prediction_log_drops')
        .values({ bucket_start: bucket, instance_id: this.opts.instanceId, dropped: delta })
        .onConflict((oc) => oc.columns(['bucket_start', 'instance_id']).doUpdateSet({ dropped: sql`prediction_log_drops.dropped + ${delta}` }))
        .execute();
      this.#recorded = total;
    } catch (err) {
      this.opts.logger.warn({ err, dropped: delta }, 'could not record dropped prediction-log records; retrying');
    }
  }
}
