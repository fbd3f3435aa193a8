// Runs alerting in the background: evaluation every interval (default a minute) and webhook delivery every second,
// both only on the instance holding the store's `alerts` lease, so several instances on one PostgreSQL evaluate and
// notify once. The two loops are independent: a receiver that hangs delays deliveries, never an evaluation.
import type { AlertEvaluatorStatus } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { deliveryCounts } from './deliveries.repository.js';
import { DeliveryWorker, type DeliveryPolicy } from './delivery-worker.js';
import { evaluateRules, type EvaluationSummary, type EvaluatorDeps } from './alert-evaluator.js';
import { acquireLease, leaseHolder, releaseLease } from './lease.js';

export const ALERTS_LEASE = 'alerts';

export interface AlertSchedulerOptions extends EvaluatorDeps {
  instanceId: string;
  /** ms between evaluations; 0 turns alerting off (the API still manages rules) */
  intervalMs: number;
  deliveryPollMs?: number;
  /** a holder that stops renewing loses the lease after this long */
  leaseTtlMs?: number;
  delivery?: Partial<DeliveryPolicy>;
  onEvaluated?: (summary: EvaluationSummary) => void;
  onDeliveryAttempt?: (outcome: 'delivered' | 'retry' | 'failed') => void;
}

export class AlertScheduler {
  readonly worker: DeliveryWorker;
  #timers: NodeJS.Timeout[] = [];
  #evaluating: Promise<EvaluationSummary | null> | null = null;
  #delivering: Promise<void> | null = null;
  #heldUntil = 0;
  #closed = false;
  #status = { lastEvaluationAt: null as number | null, lastDurationMs: null as number | null, lastError: null as string | null, evaluations: 0 };

  constructor(private readonly opts: AlertSchedulerOptions) {
    this.worker = new DeliveryWorker({
      db: opts.database.db,
      policy: opts.delivery,
      logger: opts.logger,
      onAttempt: opts.onDeliveryAttempt,
    });
  }

  get leaseTtlMs(): number {
    return this.opts.leaseTtlMs ?? 30_000;
  }

  start(): void {
    if (this.opts.intervalMs <= 0 || this.#timers.length) return;
    this.#timers.push(setInterval(() => void this.evaluate(), this.opts.intervalMs));
    this.#timers.push(setInterval(() => void this.deliver(), this.opts.deliveryPollMs ?? 1000));
    for (const t of this.#timers) t.unref();
    void this.evaluate();
  }

  /** One evaluation pass if this instance holds the lease (null otherwise); overlapping calls share the pass. */
  evaluate(now?: number): Promise<EvaluationSummary | null> {
    this.#evaluating ??= this.#evaluate(now).finally(() => (this.#evaluating = null));
    return this.#evaluating;
  }

  /** Sends due deliveries if this instance holds the lease. */
  deliver(): Promise<void> {
    this.#delivering ??= this.#deliver().finally(() => (this.#delivering = null));
    return this.#delivering;
  }

  async status(): Promise<AlertEvaluatorStatus> {
    const db = this.opts.database.db;
    const [holder, counts] = await Promise.all([leaseHolder(db, ALERTS_LEASE), deliveryCounts(db)]);
    return {
      interval_ms: this.opts.intervalMs,
      holder,
      this_instance: this.opts.instanceId,
      is_evaluator: holder === this.opts.instanceId,
      last_evaluation_at: this.#status.lastEvaluationAt,
      last_duration_ms: this.#status.lastDurationMs,
      last_error: this.#status.lastError,
      evaluations: this.#status.evaluations,
      pending_deliveries: counts.pending,
      failed_deliveries: counts.failed,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await Promise.all([this.#evaluating, this.#delivering]);
    if (this.#heldUntil > 0) await releaseLease(this.opts.database.db, ALERTS_LEASE, this.opts.instanceId).catch(() => undefined);
  }

  /** Renews the lease when a third of it has been used; true while this instance holds it. */
  async #holdLease(): Promise<boolean> {
    const now = Date.now();
    const ttl = this.leaseTtlMs;
    if (this.#heldUntil - now > (ttl * 2) / 3) return true;
    const held = await acquireLease(this.opts.database.db, ALERTS_LEASE, this.opts.instanceId, ttl, now);
    this.#heldUntil = held ? now + ttl : 0;
    return held;
  }

  async #evaluate(now?: number): Promise<EvaluationSummary | null> {
    if (this.#closed) return null;
    const started = performance.now();
    try {
      if (!(await this.#holdLease())) return null;
    } catch (err) {
      this.#status.lastError = `lease: ${err instanceof Error ? err.message : String(err)}`;
      this.opts.logger.warn({ err }, 'could not take the alert lease; retrying at the next interval');
      return null;
    }
    try {
      const summary = await evaluateRules(this.opts, now);
      this.#status.lastError = null;
      this.opts.onEvaluated?.(summary);
      return summary;
    } catch (err) {
      this.#status.lastError = err instanceof Error ? err.message : String(err);
      this.opts.logger.warn({ err }, 'alert evaluation failed; retrying at the next interval');
      return null;
    } finally {
      // only passes this instance ran (an instance without the lease reports none)
      this.#status.lastEvaluationAt = Date.now();
      this.#status.lastDurationMs = Math.round((performance.now() - started) * 10) / 10;
      this.#status.evaluations++;
    }
  }

  async #deliver(): Promise<void> {
    if (this.#closed) return;
    try {
      if (await this.#holdLease()) await this.worker.deliverDue();
    } catch (err) {
      this.opts.logger.warn({ err }, 'alert delivery pass failed; retrying');
    }
  }
}
