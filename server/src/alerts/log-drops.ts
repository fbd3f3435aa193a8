// Dropped prediction-log records never reach the prediction log, so each instance counts its drops per minute in
// prediction_log_drops, and the log_drops alert signal (any instance) reads the sum. New drops are attributed to the
// minute they are noticed in; each write sets a minute's absolute count (not an increment), so a write that fails,
// or commits without its answer arriving, is simply written again: nothing is counted twice or lost.
import type { Kysely } from 'kysely';
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
  /** drops attributed to a minute so far */
  #attributed = 0;
  /** this instance's count per minute, for the minutes not yet known to be stored (and the current one) */
  #minutes = new Map<number, { count: number; stored: boolean }>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(private readonly opts: DropRecorderOptions) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.record(), this.opts.intervalMs ?? 5000);
    this.#timer.unref();
  }

  /** Attributes the drops since the last call to the current minute and stores every minute not yet stored. */
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
    const bucket = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    if (total > this.#attributed) {
      const m = this.#minutes.get(bucket) ?? { count: 0, stored: false };
      this.#minutes.set(bucket, { count: m.count + total - this.#attributed, stored: false });
      this.#attributed = total;
    }
    for (const [start, m] of this.#minutes) {
      if (m.stored) {
        // a past minute is final once stored; the current one may still grow
        if (start < bucket) this.#minutes.delete(start);
        continue;
      }
      try {
        await this.opts.db
          .insertInto('prediction_log_drops')
          .values({ bucket_start: start, instance_id: this.opts.instanceId, dropped: m.count })
          .onConflict((oc) => oc.columns(['bucket_start', 'instance_id']).doUpdateSet({ dropped: m.count }))
          .execute();
        m.stored = true;
      } catch (err) {
        this.opts.logger.warn({ err, dropped: m.count }, 'could not record dropped prediction-log records; retrying');
        return;
      }
    }
  }
}
