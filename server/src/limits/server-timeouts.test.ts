import { describe, expect, it } from 'vitest';
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, serverTimeouts } from './server-timeouts.js';
import type { LimitSettings } from './settings.js';

const settings = (standard: number, upload: number): LimitSettings => ({
  ratePerMinute: { predict: 0, writes: 0 },
  bodyTimeoutMs: { standard, upload },
  maxEventLoopDelayMs: 0,
  corsOrigins: [],
});

describe('serverTimeouts', () => {
  it("keeps Node's requestTimeout just beyond the longest body deadline, so the route's own 408 comes first", () => {
    const t = serverTimeouts(settings(30_000, 900_000));
    expect(t.requestTimeout).toBeGreaterThan(900_000);
    expect(t.requestTimeout).toBeLessThanOrEqual(910_000);
    expect(t.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(t.http.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
    // headers must be allowed to arrive before the request as a whole times out
    expect(serverTimeouts(settings(1000, 2000)).requestTimeout).toBeGreaterThan(HEADERS_TIMEOUT_MS);
  });

  it('has no request timeout when a body deadline is off, which would otherwise cut those bodies', () => {
    expect(serverTimeouts(settings(30_000, 0)).requestTimeout).toBe(0);
    expect(serverTimeouts(settings(0, 900_000)).requestTimeout).toBe(0);
  });
});
