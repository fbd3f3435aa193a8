// A token bucket per key: each key may send `perMinute` requests at once, then one every 60/perMinute s as the bucket
// refills. In memory, per process (two instances each allow the limit). The buckets are kept in least-recently-used
// order and capped, so a crowd of addresses cannot grow memory without bound: the least recent key is forgotten
// first, and a forgotten key starts again with a full bucket, which is what it would have after a quiet minute.

export type Take = { allowed: true; remaining: number } | { allowed: false; retryAfterS: number };

export interface RateLimiterOptions {
  perMinute: number;
  /** buckets kept at most (default 100,000: a few MB) */
  maxKeys?: number;
  /** ms clock (tests) */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  /** ms when `tokens` was computed */
  at: number;
}

export class RateLimiter {
  readonly perMinute: number;
  readonly #perMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  /** insertion order is recency: a key is moved to the end whenever it is used */
  readonly #buckets = new Map<string, Bucket>();

  constructor(opts: RateLimiterOptions) {
    if (!(opts.perMinute > 0)) throw new Error('perMinute must be positive');
    this.perMinute = opts.perMinute;
    this.#perMs = opts.perMinute / 60_000;
    this.#maxKeys = opts.maxKeys ?? 100_000;
    this.#now = opts.now ?? (() => performance.now());
  }

  /** Takes one request's token from `key`'s bucket, or says how many seconds until one is there. */
  take(key: string): Take {
    const now = this.#now();
    const old = this.#buckets.get(key);
    const tokens = old ? Math.min(this.perMinute, old.tokens + (now - old.at) * this.#perMs) : this.perMinute;
    this.#buckets.delete(key);
    if (tokens >= 1) {
      this.#buckets.set(key, { tokens: tokens - 1, at: now });
      this.#evict();
      return { allowed: true, remaining: Math.floor(tokens - 1) };
    }
    this.#buckets.set(key, { tokens, at: now });
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / this.#perMs / 1000)) };
  }

  get size(): number {
    return this.#buckets.size;
  }

  #evict(): void {
    while (this.#buckets.size > this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value as string;
      this.#buckets.delete(oldest);
    }
  }
}
