// JSON request bodies must be UTF-8 (RFC 8259 §8.1). Fastify's own parser decodes with replacement, so invalid bytes
// would silently become U+FFFD in stored names, params and tags; MLflow's server refuses such a body, and so does this
// parser, with a 400. Everything else (empty body, prototype poisoning, syntax errors) is Fastify's default parser.
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { InvalidParameter } from '../util/errors.js';

/** Replaces the application/json parser of `app` (and the contexts it encapsulates) with the strict one. */
export function useStrictJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(new InvalidParameter('the JSON body is not valid UTF-8'), undefined);
      return;
    }
    parseJson(request, bytes.toString('utf8'), done);
  });
}
