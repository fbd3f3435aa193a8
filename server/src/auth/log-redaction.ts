// Credentials never reach the logs. Fastify's request serializer logs method, URL, host and address (no headers), and
// tokens are only accepted in the Authorization header, never in a URL; the redaction below also covers any log call
// that passes headers along (a request, a raw request, an error carrying them).
import type { FastifyServerOptions } from 'fastify';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

/** The logger options with credential redaction added (booleans, i.e. off or pino's defaults, get it when on). */
export function withCredentialRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false || logger === undefined) return logger;
  const base = logger === true ? {} : logger;
  return { ...base, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
}
