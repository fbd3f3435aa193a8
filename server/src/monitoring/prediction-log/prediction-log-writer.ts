// The prediction log's write-behind buffer. The request path calls enqueue(), which never waits and never throws;
// records are written in batches (one transaction each) when a batch fills or the flush interval passes, and on
// close(). While the database is down, records stay queued up to the bound, newer ones are dropped and counted, and
// writes are retried with capped exponential backoff. (Pattern: Langfuse's ClickhouseWriter.)
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../db/connection.js';
import { isDataError } from '../../db/dialect.js';
import { BoundedQueue } from './bounded-queue.js';
import { insertPredictions } from './prediction-log.repository.js';
import type { PredictionRecord } from './types.js';

export interface WriterLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PredictionLogWriterOptions {
  database: Database;
  /** most records held in memory; enqueue() returns false beyond it */
  queueSize: number;
  /** most records per transaction; a full batch is written right away */
  batchSize: number;
  /** a partial batch waits at most about this long */
  flushIntervalMs: number;
  logger?: WriterLogger;
  /** writes one batch in one transaction (default insertPredictions); tests inject failures here */
  insert?: (database: Database, records: PredictionRecord[]) => Promise<void>;
  /** first retry delay after a failed write, doubled per failure (default 100 ms) */
  retryBaseMs?: number;
  /** retry delay cap (default 5000 ms) */
  retryMaxMs?: number;
  /** how long close() keeps retrying before giving up on what is left (default 10000 ms) */
  closeTimeoutMs?: number;
}

export interface PredictionLogStats {
  /** accepted, not yet written */
  queued: number;
  /** stored in the database */
  written: number;
  /** lost: refused while full or closed, rejected by the database as invalid, or left unwritten when close() gave up */
  dropped: number;
  /** batch writes that failed (each retry counts) */
  failedFlushes: number;
  lastError: string | null;
  /** epoch ms of the last successful batch write */
  lastFlushAt: number | null;
}

const TIMED_OUT = Symbol('timed out');

export class PredictionLogWriter {
  readonly #database: Database;
  readonly #insert: (database: Database, records: PredictionRecord[]) => Promise<void>;
  readonly #logger: WriterLogger | undefined;
  readonly #queue: BoundedQueue<PredictionRecord>;
  readonly #batchSize: number;
  readonly #flushIntervalMs: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #closeTimeoutMs: number;

  // Records only leave the queue from the head, so "everything accepted before now is written" is
  // #removed >= (#accepted at that moment).
  #accepted = 0;
  #removed = 0;
  #written = 0;
  #dropped = 0;
  #failedFlushes = 0;
  #lastError: string | null = null;
  #lastFlushAt: number | null = null;

  #consecutiveFailures = 0;
  /** background writes wait until this time after a failure (epoch ms) */
  #retryAt = 0;
  /** the one batch write running now; everyone who needs a write shares it, so writes never overlap */
  #inFlight: Promise<unknown> | null = null;
  #draining = false;
  #timer: NodeJS.Timeout | null = null;
  #timerAt = 0;
  /** whether the armed timer writes partial batches too (interval or retry) or only full ones (size) */
  #timerWritesAll = false;
  #closed = false;
  #closing: Promise<void> | null = null;

  constructor(opts: PredictionLogWriterOptions) {
    for (const key of ['queueSize', 'batchSize', 'flushIntervalMs'] as const) {
      if (!Number.isSafeInteger(opts[key]) || opts[key] < 1) throw new RangeError(`${key} must be a positive integer, got ${opts[key]}`);
    }
    this.#database = opts.database;
    this.#insert = opts.insert ?? insertPredictions;
    this.#logger = opts.logger;
    this.#queue = new BoundedQueue(opts.queueSize);
    this.#batchSize = opts.batchSize;
    this.#flushIntervalMs = opts.flushIntervalMs;
    this.#retryBaseMs = opts.retryBaseMs ?? 100;
    this.#retryMaxMs = opts.retryMaxMs ?? 5000;
    this.#closeTimeoutMs = opts.closeTimeoutMs ?? 10_000;
  }

  /** Queues one record. Synchronous and O(1); false when it was dropped (queue full, or closed). */
  enqueue(record: PredictionRecord): boolean {
    if (this.#closed || record == null || !this.#queue.push(record)) {
      this.#dropped++;
      return false;
    }
    this.#accepted++;
    // While a drain runs it keeps going and re-arms when done, so there is nothing to schedule.
    if (!this.#draining) {
      if (this.#queue.length === this.#batchSize) this.#arm(0, false);
      else if (this.#timer === null) this.#arm(this.#flushIntervalMs, true);
    }
    return true;
  }

  /** Writes everything queued before this call. Rejects if a write fails; the records then stay queued. */
  async flush(): Promise<void> {
    const target = this.#accepted;
    while (this.#removed < target && this.#queue.length > 0) {
      const err = await this.#writeOnce();
      if (err !== null) throw err;
    }
  }

  /**
   * Stops the timer, refuses new records and writes what is queued, retrying failed writes for up to
   * closeTimeoutMs. Never rejects: what could not be written by then is logged and counted as dropped.
   */
  close(): Promise<void> {
    this.#closing ??= this.#closeNow();
    return this.#closing;
  }

  stats(): PredictionLogStats {
    return {
      queued: this.#queue.length,
      written: this.#written,
      dropped: this.#dropped,
      failedFlushes: this.#failedFlushes,
      lastError: this.#lastError,
      lastFlushAt: this.#lastFlushAt,
    };
  }

  #arm(delayMs: number, writesAll: boolean): void {
    if (this.#closed) return;
    const now = Date.now();
    const at = Math.max(now + delayMs, this.#retryAt);
    if (this.#timer !== null) {
      if (this.#timerAt <= at) {
        this.#timerWritesAll ||= writesAll;
        return;
      }
      clearTimeout(this.#timer);
    }
    this.#timerAt = at;
    this.#timerWritesAll = writesAll;
    this.#timer = setTimeout(this.#onTimer, at - now);
    this.#timer.unref(); // a pending flush must not keep the process alive; close() is the orderly way out
  }

  #onTimer = (): void => {
    const writesAll = this.#timerWritesAll;
    this.#timer = null;
    // A timer armed before a failure (e.g. the interval timer, when flush() failed) must not cut the backoff short.
    if (Date.now() < this.#retryAt) this.#arm(0, writesAll);
    else void this.#drain(writesAll);
  };

  /** Background writing: full batches, plus everything queued at the start when writesAll. */
  async #drain(writesAll: boolean): Promise<void> {
    if (this.#draining || this.#closed) return;
    this.#draining = true;
    const target = writesAll ? this.#accepted : 0;
    try {
      while (!this.#closed && (this.#queue.length >= this.#batchSize || (this.#removed < target && this.#queue.length > 0))) {
        // On failure #onFailure has already armed the retry.
        if ((await this.#writeOnce()) !== null) return;
      }
    } finally {
      this.#draining = false;
    }
    if (this.#queue.length >= this.#batchSize) this.#arm(0, false);
    else if (this.#queue.length > 0) this.#arm(this.#flushIntervalMs, true);
  }

  /** Writes the head batch, or joins the write already running. Resolves to the error, or null on success. */
  #writeOnce(): Promise<unknown> {
    this.#inFlight ??= this.#writeHead().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  async #writeHead(): Promise<unknown> {
    const batch = this.#queue.peek(this.#batchSize);
    if (batch.length === 0) return null;
    let rejected: number;
    try {
      rejected = await this.#insertIsolatingBadRecords(batch);
    } catch (err) {
      this.#onFailure(err);
      return err ?? new Error('prediction log insert failed');
    }
    // discard() can only fall short if close() gave up on this very batch while it was still being written.
    const removed = this.#queue.discard(batch.length);
    this.#removed += removed;
    this.#written += Math.max(0, removed - rejected);
    this.#dropped += rejected;
    this.#lastFlushAt = Date.now();
    if (this.#consecutiveFailures > 0) {
      this.#logger?.warn({ failedAttempts: this.#consecutiveFailures }, 'prediction log writes recovered');
      this.#consecutiveFailures = 0;
      this.#retryAt = 0;
    }
    return null;
  }

  /**
   * Inserts the batch; if the database rejects the rows themselves (constraint, type, size), splits it in halves
   * to isolate the bad records so one poison record cannot block the log forever. Returns how many were rejected.
   * Any other error (database unavailable) propagates and the whole batch is retried later; records already
   * stored by a half that succeeded are skipped then (inserts ignore existing ids).
   */
  async #insertIsolatingBadRecords(records: PredictionRecord[]): Promise<number> {
    try {
      await this.#insert(this.#database, records);
      return 0;
    } catch (err) {
      if (!isDataError(err)) throw err;
      if (records.length === 1) {
        this.#logger?.error({ err, predictionId: records[0]!.id }, 'prediction log record rejected by the database; dropped');
        this.#lastError = errorMessage(err);
        return 1;
      }
      const mid = records.length >> 1;
      return (
        (await this.#insertIsolatingBadRecords(records.slice(0, mid))) +
        (await this.#insertIsolatingBadRecords(records.slice(mid)))
      );
    }
  }

  #onFailure(err: unknown): void {
    this.#failedFlushes++;
    this.#consecutiveFailures++;
    this.#lastError = errorMessage(err);
    const delay = this.#backoff(this.#consecutiveFailures);
    this.#retryAt = Date.now() + delay;
    this.#logger?.warn(
      { err, queued: this.#queue.length, attempt: this.#consecutiveFailures, retryInMs: Math.round(delay) },
      'prediction log write failed; records stay queued',
    );
    this.#arm(delay, true);
  }

  /** Capped exponential backoff with ±20% jitter, so instances that lost the same database do not retry in step. */
  #backoff(failures: number): number {
    const exp = this.#retryBaseMs * 2 ** Math.min(failures - 1, 30);
    return Math.min(this.#retryMaxMs, exp * (0.8 + 0.4 * Math.random()));
  }

  async #closeNow(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const deadline = Date.now() + this.#closeTimeoutMs;
    let failures = 0;
    while (this.#queue.length > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      // A write can hang on a half-dead connection; close() must still end on time.
      const err = await raceTimeout(this.#writeOnce(), remaining);
      if (err === TIMED_OUT) break;
      if (err === null) {
        failures = 0;
        continue;
      }
      const wait = Math.min(this.#backoff(++failures), deadline - Date.now());
      if (wait <= 0) break;
      await sleep(wait); // not unref'd: the process should wait for this retry during shutdown
    }
    const lost = this.#queue.discard(this.#queue.length);
    if (lost > 0) {
      this.#removed += lost;
      this.#dropped += lost;
      this.#logger?.error({ lost, lastError: this.#lastError }, 'prediction log closed with unwritten records; they are dropped');
    }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(resolve, ms, TIMED_OUT)))]);
  } finally {
    clearTimeout(timer);
  }
}
