// The one place errors become HTTP answers. Deterministic problems are 4xx with a JSON body naming the problem;
// only the unexpected is a 500, logged with its stack and answered without internals.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody } from '@foodlens/contracts';
import { AppError } from '../util/errors.js';

/** Fastify/plugin error codes that are the client's fault, with our reason for them. */
const CLIENT_ERRORS: Record<string, { code: string; reason?: string }> = {
  FST_REQ_FILE_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', reason: 'too_large' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', reason: 'too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', reason: 'bad_format' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', reason: 'bad_format' },
  FST_FILES_LIMIT: { code: 'PAYLOAD_TOO_LARGE', reason: 'too_many_files' },
  FST_FIELDS_LIMIT: { code: 'PAYLOAD_TOO_LARGE', reason: 'too_many_fields' },
  FST_PARTS_LIMIT: { code: 'PAYLOAD_TOO_LARGE', reason: 'too_many_parts' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_PARAMETER_VALUE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'INVALID_PARAMETER_VALUE' },
};

/** The rejection reason of a Fastify or plugin error raised while reading a request, if it is a known one. */
export function clientReason(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? CLIENT_ERRORS[code]?.reason : undefined;
}

export function errorBody(code: string, message: string, reason?: string): ErrorBody {
  return { error: reason ? { code, message, reason } : { code, message } };
}

const API_PREFIXES = ['/api/', '/ajax-api/', '/health', '/metrics', '/version', '/assets/'];

function isPageRequest(url: string, accept: string | undefined): boolean {
  return !API_PREFIXES.some((p) => url.startsWith(p)) && (accept ?? '').includes('text/html');
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err.statusCode >= 500) request.log.error({ err }, 'request failed');
      const reason = typeof err.details?.reason === 'string' ? err.details.reason : undefined;
      return reply.status(err.statusCode).send(errorBody(err.code, err.message, reason));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const detail = err.validation
        .map((v) => `${err.validationContext ?? 'request'}${v.instancePath.replaceAll('/', '.')}: ${v.message}`)
        .join('; ');
      return reply.status(400).send(errorBody('INVALID_PARAMETER_VALUE', detail));
    }
    const known = err.code ? CLIENT_ERRORS[err.code] : undefined;
    const status = err.statusCode ?? 500;
    if (known || (status >= 400 && status < 500)) {
      return reply
        .status(status >= 400 && status < 500 ? status : 400)
        .send(errorBody(known?.code ?? err.code ?? 'BAD_REQUEST', err.message, known?.reason));
    }
    request.log.error({ err }, 'unexpected error');
    return reply.status(500).send(errorBody('INTERNAL_ERROR', 'internal server error'));
  });

  app.setNotFoundHandler((request, reply) => {
    // Client-side routes of the web app (/models, /experiments/3, ...) all load its index.html.
    if (request.method === 'GET' && isPageRequest(request.url, request.headers.accept) && typeof reply.sendFile === 'function') {
      return reply.type('text/html').sendFile('index.html');
    }
    reply.status(404).send(errorBody('RESOURCE_DOES_NOT_EXIST', `no route for ${request.method} ${request.url.split('?')[0]}`));
  });
}
