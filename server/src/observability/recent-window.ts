// Counts and latencies of the last few minutes, in memory, for the monitoring health endpoint. One slot per second
// (a ring of `seconds` slots); each slot keeps its count, errors, exact min/max and a sparse histogram of
// log-spaced latency buckets, so memory and summary cost are bounded by the window length whatever the request rate,
// and quantiles are within LATENCY_RELATIVE_ERROR of the exact nearest-rank values.

/** Bucket i >= 1 holds [MIN_MS * GROWTH^(i-1), MIN_MS * GROWTH^i); bucket 0 everything below MIN_MS. */
const MIN_MS = 0.01;
const GROWTH = 1.08;
const LOG_GROWTH = Math.log(GROWTH);
/** A bucket answers its geometric midpoint: at most sqrt(GROWTH) - 1 (3.9%) away from any value in it. */
export const LATENCY_RELATIVE_ERROR = Math.sqrt(GROWTH) - 1;

interface Slot {
  second: number;
  count: number;
  errors: number;
  min: number;
  max: number;
  buckets: Map<number, number>;
}

export interface LatencySummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface WindowSummary {
  window_s: number;
  count: number;
  rate_per_s: number;
  errors: number;
  error_rate: number | null;
  latency_ms: LatencySummary;
}

export interface RecentWindowOptions {
  /** the longest window summary() can answer (default 300) */
  seconds?: number;
  /** epoch ms (tests move time) */
  now?: () => number;
}

export class RecentWindow {
  readonly #seconds: number;
  readonly #now: () => number;
  readonly #slots: Slot[];
  readonly #startedAt: number;

  constructor(opts: RecentWindowOptions = {}) {
    this.#seconds = opts.seconds ?? 300;
    if (!Number.isSafeInteger(this.#seconds) || this.#seconds < 1) throw new RangeError(`seconds must be a positive integer, got ${this.#seconds}`);
    this.#now = opts.now ?? Date.now;
    this.#startedAt = this.#now();
    this.#slots = Array.from({ length: this.#seconds }, () => ({ second: -1, count: 0, errors: 0, min: Infinity, max: -Infinity, buckets: new Map() }));
  }

  record(latencyMs: number, error: boolean): void {
    const ms = Number.isFinite(latencyMs) && latencyMs > 0 ? latencyMs : 0;
    const second = Math.floor(this.#now() / 1000);
    const slot = this.#slots[second % this.#seconds]!;
    if (slot.second !== second) {
      slot.second = second;
      slot.count = 0;
      slot.errors = 0;
      slot.min = Infinity;
      slot.max = -Infinity;
      slot.buckets.clear();
    }
    slot.count++;
    if (error) slot.errors++;
    if (ms < slot.min) slot.min = ms;
    if (ms > slot.max) slot.max = ms;
    const b = bucketOf(ms);
    slot.buckets.set(b, (slot.buckets.get(b) ?? 0) + 1);
  }

  /** The last `seconds` seconds, the current one included (to the second). */
  summary(seconds: number): WindowSummary {
    const span = Math.min(Math.max(1, Math.floor(seconds)), this.#seconds);
    const now = this.#now();
    const current = Math.floor(now / 1000);
    let count = 0;
    let errors = 0;
    let min = Infinity;
    let max = -Infinity;
    const buckets = new Map<number, number>();
    for (let s = current - span + 1; s <= current; s++) {
      const slot = this.#slots[((s % this.#seconds) + this.#seconds) % this.#seconds]!;
      if (slot.second !== s) continue;
      count += slot.count;
      errors += slot.errors;
      min = Math.min(min, slot.min);
      max = Math.max(max, slot.max);
      for (const [b, n] of slot.buckets) buckets.set(b, (buckets.get(b) ?? 0) + n);
    }
    // a process younger than the window has only been counting that long; under a second counts as one
    const covered = Math.max(1, Math.min(span, (now - this.#startedAt) / 1000));
    const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
    const quantile = (q: number): number | null => {
      if (count === 0) return null;
      const rank = Math.max(1, Math.ceil(q * count));
      let seen = 0;
      for (const [b, n] of sorted) {
        seen += n;
        if (seen >= rank) return round(Math.min(max, Math.max(min, representative(b))));
      }
      return round(max);
    };
    return {
      window_s: round(covered),
      count,
      rate_per_s: round(count / covered),
      errors,
      error_rate: count === 0 ? null : errors / count,
      latency_ms: { p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99), max: count === 0 ? null : round(max) },
    };
  }
}

function bucketOf(ms: number): number {
  return ms < MIN_MS ? 0 : 1 + Math.floor(Math.log(ms / MIN_MS) / LOG_GROWTH);
}

function representative(bucket: number): number {
  return bucket === 0 ? MIN_MS / 2 : MIN_MS * GROWTH ** (bucket - 0.5);
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
