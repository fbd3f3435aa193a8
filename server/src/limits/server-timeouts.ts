// Node's own connection timeouts, as Fastify options. Body deadlines per route are enforced by body-deadline.ts; Node's
// requestTimeout (one for the whole server) stays as the outer bound at the longest of them.
import type { ServerOptions } from 'node:http';
import type { LimitSettings } from './settings.js';

/** the request line and headers must arrive within this (Node's default is 60 s) */
export const HEADERS_TIMEOUT_MS = 30_000;
/** an idle keep-alive connection is closed after this: longer than the 60 s idle timeout of common proxies and load
 * balancers, so they close first and never send a request on a connection this server is closing (Fastify's default) */
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;
/** how often Node checks its headers and request timeouts (default 30 s, which would let them overrun by that much) */
const CHECK_INTERVAL_MS = 5_000;

export function serverTimeouts(settings: LimitSettings): { requestTimeout: number; keepAliveTimeout: number; http: ServerOptions } {
  const { standard, upload } = settings.bodyTimeoutMs;
  // 0 (off) for either deadline means no outer bound either; otherwise a few seconds beyond the longer one, so the
  // route's own deadline answers first (and in the right error shape)
  const requestTimeout = standard === 0 || upload === 0 ? 0 : Math.max(standard, upload, HEADERS_TIMEOUT_MS) + CHECK_INTERVAL_MS;
  return {
    requestTimeout,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    http: { headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: CHECK_INTERVAL_MS },
  };
}
