// Sends queued webhook deliveries: each due delivery is claimed, sent with a timeout, and its attempt logged; a failed
// attempt is retried with exponential backoff until it succeeds, fails permanently (a 4xx) or runs out of attempts.
// Runs on its own timer, a few sends at a time, so receivers that hang cost this loop time and nothing else.
import type { Kysely } from 'kysely';
import type { AlertNotification } from '@foodlens/contracts';
import type { Tables } from '../db/tables.js';
import { claimDelivery, dueDeliveries, recordAttempt, type DueDelivery } from './deliveries.repository.js';
import { DEFAULT_RETRY, isRetryable, retryDelayMs, sendWebhook, webhookBody } from './webhook.js';

export interface DeliveryPolicy {
  timeoutMs: number;
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export interface DeliveryWorkerOptions {
  db: Kysely<Tables>;
  policy?: Partial<DeliveryPolicy>;
  /** sends in flight at once */
  concurrency?: number;
  onAttempt?: (outcome: 'delivered' | 'retry' | 'failed') => void;
  logger: { warn(obj: object, msg: string): void };
}

export class DeliveryWorker {
  readonly policy: DeliveryPolicy;

  constructor(private readonly opts: DeliveryWorkerOptions) {
    this.policy = { ...DEFAULT_RETRY, ...opts.policy };
  }

  /** Sends what is due now; answers how many attempts were made. */
  async deliverDue(now = Date.now()): Promise<number> {
    const due = await dueDeliveries(this.opts.db, now, 50);
    let next = 0;
    let attempts = 0;
    const lane = async () => {
      for (let d = due[next++]; d; d = due[next++]) if (await this.#attempt(d)) attempts++;
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 4, due.length) }, lane));
    return attempts;
  }

  async #attempt(d: DueDelivery): Promise<boolean> {
    const p = this.policy;
    const startedAt = Date.now();
    // past the send's own timeout: if this process dies mid-send, the delivery becomes due again
    if (!(await claimDelivery(this.opts.db, d.id, d.attempts, startedAt + p.timeoutMs + 30_000))) return false;
    const attempt = d.attempts + 1;
    const body = webhookBody(d.payload as AlertNotification, d.format);
    const r = await sendWebhook({ type: 'webhook', url: d.url, format: d.format, headers: d.headers }, body, d.id, { timeoutMs: p.timeoutMs });
    const at = Date.now();
    const outcome = r.ok ? 'delivered' : isRetryable(r) && attempt < p.maxAttempts ? 'retry' : 'failed';
    if (outcome !== 'delivered') this.opts.logger.warn({ delivery: d.id, url: d.url, attempt, error: r.error }, `alert webhook attempt failed (${outcome})`);
    await recordAttempt(this.opts.db, d.id, {
      attempt,
      at,
      statusCode: r.statusCode,
      error: r.error,
      durationMs: r.durationMs,
      status: outcome === 'retry' ? 'pending' : outcome,
      nextAttemptAt: outcome === 'retry' ? at + retryDelayMs(attempt, p) : null,
    });
    this.opts.onAttempt?.(outcome);
    return true;
  }
}
