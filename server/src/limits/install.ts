// Puts the limits in front of the routes. Before the access gate: the body deadline (armed as soon as the headers are
// in, so even a refused request cannot hold its connection) and load shedding (refusing is cheaper than checking a
// token). After it: the rate limits, which spend the budget of the token the gate accepted, or of the address.
import type { FastifyInstance } from 'fastify';
import type { AccessGate } from '../auth/access-gate.js';
import { armBodyDeadline } from './body-deadline.js';
import { clientKey } from './client-key.js';
import { LoopLag } from './loop-lag.js';
import { RateLimiter } from './rate-limiter.js';
import { sendRejection, type RejectionReason } from './rejection.js';
import { routeLimits, type RateClass, type RouteClass, type RouteLimits } from './route-class.js';
import type { LimitSettings } from './settings.js';

export type CountRejection = (reason: RejectionReason, routeClass: RouteClass) => void;

/** Each route's limits, decided once per method and pattern. */
function limitsOf(): (method: string, url: string | undefined) => RouteLimits {
  const known = new Map<string, RouteLimits>();
  return (method, url) => {
    const key = `${method} ${url ?? ''}`;
    let limits = known.get(key);
    if (!limits) known.set(key, (limits = routeLimits(method, url)));
    return limits;
  };
}

const WHAT: Record<RateClass, string> = { predict: 'predictions', writes: 'writes' };

export class Limits {
  readonly lag: LoopLag | null;
  readonly #settings: LimitSettings;
  readonly #count: CountRejection;
  readonly #limitsOf = limitsOf();
  readonly #limiters: Record<RateClass, RateLimiter | null>;

  constructor(settings: LimitSettings, count: CountRejection) {
    this.#settings = settings;
    this.#count = count;
    this.lag = settings.maxEventLoopDelayMs > 0 ? new LoopLag() : null;
    const limiter = (perMinute: number) => (perMinute > 0 ? new RateLimiter({ perMinute }) : null);
    this.#limiters = { predict: limiter(settings.ratePerMinute.predict), writes: limiter(settings.ratePerMinute.writes) };
  }

  /** Whether requests are being shed now. */
  get overloaded(): boolean {
    return this.lag !== null && this.lag.lagMs > this.#settings.maxEventLoopDelayMs;
  }

  /** Body deadlines and load shedding; install before the access gate. */
  installBeforeAuth(app: FastifyInstance): void {
    const { bodyTimeoutMs, maxEventLoopDelayMs } = this.#settings;
    app.addHook('onRequest', async (request, reply) => {
      const limits = this.#limitsOf(request.method, request.routeOptions.url);
      armBodyDeadline(request, reply, bodyTimeoutMs[limits.body], () => this.#count('body_timeout', limits.class));
      if (!limits.shed || !this.overloaded) return;
      this.#count('overloaded', limits.class);
      const lagMs = Math.round(this.lag!.lagMs);
      request.log.debug({ lagMs, route: request.routeOptions.url }, 'refused: event loop lagging');
      return sendRejection(
        request,
        reply,
        'overloaded',
        `The server is overloaded (its event loop runs ${lagMs} ms late, the limit is ${maxEventLoopDelayMs} ms); retry shortly.`,
        Math.max(1, Math.ceil(lagMs / 1000)),
      );
    });
    if (this.lag) {
      const lag = this.lag;
      app.addHook('onReady', async () => lag.start());
      app.addHook('onClose', async () => lag.stop());
    }
  }

  /** Rate limits per token or address; install after the access gate, which has refused unknown tokens by then. */
  installAfterAuth(app: FastifyInstance, gate: Pick<AccessGate, 'identify'>): void {
    if (!this.#limiters.predict && !this.#limiters.writes) return;
    app.addHook('onRequest', async (request, reply) => {
      const limits = this.#limitsOf(request.method, request.routeOptions.url);
      const limiter = limits.rate && this.#limiters[limits.rate];
      if (!limiter || !limits.rate) return;
      const who = gate.identify(request.headers.authorization);
      const key = clientKey('identity' in who ? who.identity : null, request.ip);
      const taken = limiter.take(key);
      if (taken.allowed) return;
      this.#count('rate_limited', limits.class);
      request.log.debug({ ip: request.ip, route: request.routeOptions.url, limit: limits.rate }, 'refused: rate limit');
      const from = key.startsWith('token:') ? 'this token' : 'this address';
      return sendRejection(
        request,
        reply,
        'rate_limited',
        `Too many ${WHAT[limits.rate]} from ${from}: the limit is ${limiter.perMinute} a minute; retry in ${taken.retryAfterS} s.`,
        taken.retryAfterS,
      );
    });
  }
}
