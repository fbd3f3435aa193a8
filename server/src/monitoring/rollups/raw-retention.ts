// Periodic retention: deletes raw prediction rows older than the configured number of days, and minute rollups older
// than the minute retention. Hour and day rollups are kept, so monitoring still answers for old ranges. Deletes run
// in small batches, each its own short transaction, with a pause between them, so the prediction-log writer is never
// locked out for long.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Database } from '../../db/connection.js';
import { DAY_MS, DEFAULT_MINUTE_RETENTION_MS, HOUR_MS } from './time-buckets.js';

export interface RetentionOptions {
  database: Database;
  /** raw rows older than this many days are deleted; 0 keeps them forever */
  rawRetentionDays: number;
  minuteRetentionMs?: number;
  /** how often the job runs (default every 10 minutes; it also runs once at start) */
  intervalMs?: number;
  /** rows per delete statement (default 5000) */
  batchSize?: number;
  logger?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}

export interface RetentionResult {
  rawDeleted: number;
  minuteBucketsDeleted: number;
}

export class RetentionJob {
  readonly #opts: RetentionOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;
  #closed = false;

  constructor(opts: RetentionOptions) {
    this.#opts = opts;
  }

  start(): void {
    if (this.#closed || this.#timer !== null) return;
    const tick = () => {
      this.#running ??= this.runOnce()
        .catch((err) => this.#opts.logger?.warn({ err }, 'prediction-log retention failed; retried next interval'))
        .finally(() => (this.#running = null));
    };
    this.#timer = setInterval(tick, this.#opts.intervalMs ?? 10 * 60_000);
    this.#timer.unref();
    tick();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  async runOnce(now = Date.now()): Promise<RetentionResult> {
    const { rawRetentionDays, minuteRetentionMs = DEFAULT_MINUTE_RETENTION_MS, batchSize = 5000 } = this.#opts;
    const rawDeleted = rawRetentionDays > 0 ? await this.#deleteRaw(now - rawRetentionDays * DAY_MS, batchSize) : 0;
    const minuteBucketsDeleted = await this.#deleteMinuteBuckets(now - minuteRetentionMs);
    if (rawDeleted > 0) this.#opts.logger?.info({ rawDeleted, minuteBucketsDeleted }, 'prediction-log retention');
    return { rawDeleted, minuteBucketsDeleted };
  }

  async #deleteRaw(before: number, batchSize: number): Promise<number> {
    const db = this.#opts.database.db;
    let total = 0;
    while (!this.#closed) {
      // Oldest first through the created_at index; a bounded subquery because DELETE ... LIMIT is not portable.
      const result = await sql`delete from predictions where id in (select id from predictions where created_at < ${before} order by created_at limit ${batchSize})`.execute(db);
      const n = Number(result.numAffectedRows ?? 0);
      total += n;
      if (n < batchSize) break;
      await yieldToEventLoop();
    }
    return total;
  }

  /** Minute buckets hold few rows per minute; deleting an hour of them at a time keeps each statement small. */
  async #deleteMinuteBuckets(before: number): Promise<number> {
    const db = this.#opts.database.db;
    let total = 0;
    for (;;) {
      const oldest = await db.selectFrom('prediction_rollups').select((eb) => eb.fn.min('bucket_start').as('t')).where('grain', '=', 'm').executeTakeFirst();
      const t = oldest?.t == null ? null : Number(oldest.t);
      if (t === null || t >= before || this.#closed) return total;
      const until = Math.min(before, t + HOUR_MS);
      for (const table of ['prediction_rollups', 'prediction_rollup_foods'] as const) {
        const r = await db.deleteFrom(table).where('grain', '=', 'm').where('bucket_start', '<', until).executeTakeFirst();
        if (table === 'prediction_rollups') total += Number(r.numDeletedRows);
      }
      await yieldToEventLoop();
    }
  }
}
