import { describe, expect, it } from 'vitest';
import { LATENCY_RELATIVE_ERROR, RecentWindow } from './recent-window.js';

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function exact(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe('RecentWindow', () => {
  it('counts requests and errors per window, and forgets what is older', () => {
    const c = clock();
    const w = new RecentWindow({ seconds: 300, now: c.now });
    c.advance(400_000); // older than the window, so rates divide by the full window
    for (let i = 0; i < 30; i++) w.record(10, i % 10 === 0); // 3 errors, 4 minutes ago
    c.advance(240_000);
    for (let i = 0; i < 60; i++) w.record(20, i < 6); // 6 errors, now
    const m1 = w.summary(60);
    expect(m1).toMatchObject({ window_s: 60, count: 60, errors: 6, rate_per_s: 1 });
    expect(m1.error_rate).toBeCloseTo(0.1, 10);
    const m5 = w.summary(300);
    expect(m5).toMatchObject({ window_s: 300, count: 90, errors: 9, rate_per_s: 0.3 });
    // 61 s later the last minute is empty; 5 minutes later everything is gone
    c.advance(61_000);
    expect(w.summary(60)).toMatchObject({ count: 0, errors: 0, error_rate: null, rate_per_s: 0 });
    expect(w.summary(60).latency_ms).toEqual({ p50: null, p95: null, p99: null, max: null });
    expect(w.summary(300).count).toBe(60);
    c.advance(240_000);
    expect(w.summary(300).count).toBe(0);
  });

  it('reuses a slot a whole window later without mixing in its old counts', () => {
    const c = clock();
    const w = new RecentWindow({ seconds: 10, now: c.now });
    w.record(5, true);
    c.advance(10_000); // same slot index, a new second
    w.record(7, false);
    expect(w.summary(10)).toMatchObject({ count: 1, errors: 0 });
    expect(w.summary(10).latency_ms.max).toBe(7);
  });

  it('divides by the time it has been counting while younger than the window', () => {
    const c = clock();
    const w = new RecentWindow({ now: c.now });
    c.advance(20_000);
    for (let i = 0; i < 40; i++) w.record(1, false);
    expect(w.summary(60)).toMatchObject({ window_s: 20, rate_per_s: 2 });
  });

  it('answers quantiles within the stated relative error, exact for a single value', () => {
    const c = clock();
    const w = new RecentWindow({ now: c.now });
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const values: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const v = Math.exp(rand() * 8) * 0.5; // 0.5 ms .. ~1.5 s, log-uniform
      values.push(v);
      w.record(v, false);
      if (i % 50 === 0) c.advance(1000);
    }
    values.sort((a, b) => a - b);
    const s = w.summary(300);
    expect(s.count).toBe(5000);
    for (const [q, got] of [[0.5, s.latency_ms.p50], [0.95, s.latency_ms.p95], [0.99, s.latency_ms.p99]] as const) {
      const want = exact(values, q);
      expect(Math.abs(got! - want) / want).toBeLessThanOrEqual(LATENCY_RELATIVE_ERROR + 1e-3);
    }
    expect(s.latency_ms.max).toBeCloseTo(values.at(-1)!, 2);

    const one = new RecentWindow({ now: c.now });
    one.record(123.456, false);
    expect(one.summary(60).latency_ms).toEqual({ p50: 123.456, p95: 123.456, p99: 123.456, max: 123.456 });
  });

  it('rejects a bad window length', () => {
    expect(() => new RecentWindow({ seconds: 0 })).toThrow(RangeError);
  });
});
