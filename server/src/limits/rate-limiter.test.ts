import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateLimiter', () => {
  it('lets a key send a minute of requests at once, then refuses with the seconds until the next one', () => {
    const c = clock();
    const limiter = new RateLimiter({ perMinute: 60, now: c.now });
    for (let i = 0; i < 60; i++) expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 59 - i });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterS: 1 });
    c.advance(999);
    expect(limiter.take('a').allowed).toBe(false);
    c.advance(1);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('refills at perMinute/60 a second, never beyond a full bucket', () => {
    const c = clock();
    const limiter = new RateLimiter({ perMinute: 6, now: c.now });
    for (let i = 0; i < 6; i++) limiter.take('a');
    // one request every 10 s
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterS: 10 });
    c.advance(25_000);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterS: 5 });
    c.advance(3_600_000);
    let allowed = 0;
    while (limiter.take('a').allowed) allowed++;
    expect(allowed).toBe(6);
  });

  it('refused requests do not spend tokens, and keys have their own buckets', () => {
    const c = clock();
    const limiter = new RateLimiter({ perMinute: 2, now: c.now });
    limiter.take('a');
    limiter.take('a');
    for (let i = 0; i < 100; i++) expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
    c.advance(30_000);
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('keeps at most maxKeys buckets, forgetting the least recently used first', () => {
    const c = clock();
    const limiter = new RateLimiter({ perMinute: 1, maxKeys: 3, now: c.now });
    for (const k of ['a', 'b', 'c']) limiter.take(k);
    expect(limiter.take('a').allowed).toBe(false); // a is now the most recent
    limiter.take('d'); // b, the least recent, is forgotten
    expect(limiter.size).toBe(3);
    expect(limiter.take('b').allowed).toBe(true); // a fresh bucket (and c is forgotten for it)
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('d').allowed).toBe(false);
  });

  it('refuses a limit that is not positive (0 means no limiter at all)', () => {
    expect(() => new RateLimiter({ perMinute: 0 })).toThrow();
  });
});
