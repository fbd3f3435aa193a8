// Puts the access gate in front of every route: an onRoute hook gives each route its access as it is registered (so it
// must be installed before any route), an onRequest hook refuses before the body is read. With no tokens configured
// nothing is refused; main.ts then listens on loopback only (bind-policy.ts).
import type { FastifyInstance } from 'fastify';
import { AccessGate } from './access-gate.js';
import { sendRefusal } from './refusal.js';
import type { AuthSettings } from './tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the app's access decisions: which role each route needs, and the token check */
    accessGate: AccessGate;
  }
}

export function installAuth(app: FastifyInstance, settings: AuthSettings): AccessGate {
  const gate = new AccessGate(settings);
  app.decorate('accessGate', gate);
  app.addHook('onRoute', (route) => {
    // @fastify/static names the file a route serves in its config; the web app's files are open
    const staticFile = typeof (route.config as { file?: unknown } | undefined)?.file === 'string';
    for (const method of [route.method].flat()) gate.addRoute(method, route.url, { staticFile });
  });
  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    // no route: the not-found handler answers, which reveals nothing /docs does not
    if (url === undefined) return;
    const verdict = gate.check(request.method, url, request.headers.authorization);
    if (verdict.allowed) return;
    const { refusal } = verdict;
    // never the header itself: what was refused, and from where
    if (refusal.reason === 'invalid_token') request.log.warn({ ip: request.ip, route: url }, 'refused: invalid credentials');
    else request.log.debug({ ip: request.ip, route: url, reason: refusal.reason }, 'refused');
    return sendRefusal(request, reply, refusal);
  });
  return gate;
}
