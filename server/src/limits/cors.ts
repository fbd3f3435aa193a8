// CORS, off unless FOODLENS_CORS_ORIGINS names origins: then exactly those may call the API from a browser, sending
// the Authorization header (tokens travel there, never in cookies, so no credentials mode is needed) and reading
// Retry-After and WWW-Authenticate. Without origins nothing is registered and no answer has an Access-Control header.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-User-Id', 'X-Model'];
export const CORS_EXPOSED_HEADERS = ['Retry-After', 'WWW-Authenticate', 'Content-Disposition'];

/** Register before the access gate: a preflight carries no token, and is answered in @fastify/cors's onRequest hook. */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  await app.register(cors, {
    // false for any other origin (or none: same-origin pages, curl), so their answers carry no CORS header at all
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
}
