// The one place errors become HTTP answers. Deterministic problems are 4xx with a JSON body naming the problem;
// only the unexpected is a 500, logged with its stack and answered without internals.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody } from '@foodlens/contracts';
import { isDataError } from '../db/dialect.js';
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
  FST_ERR_BAD_URL: { code: 'INVALID_PARAMETER_VALUE' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'INVALID_PARAMETER_VALUE' },
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

// ---------------------------------------------------------------------------------------------------------------
// MLflow's REST API (/api/2.0/mlflow, its /ajax-api mirror, /api/2.0/mlflow-artifacts): errors are
// {"error_code": ..., "message": ...} with the statuses of MLflow's ERROR_CODE_TO_HTTP_STATUS, because MLflow clients
// read the code from the body and retry every 5xx for minutes. Anything the request did wrong is therefore a 4xx.

const MLFLOW_PREFIXES = ['/api/2.0/', '/ajax-api/2.0/'];

export function isMlflowRequest(url: string): boolean {
  return MLFLOW_PREFIXES.some((p) => url.startsWith(p));
}

export interface MlflowErrorBody {
  error_code: string;
  message: string;
}

/** MLflow's statuses where they differ from ours (RESOURCE_ALREADY_EXISTS is 400 there, not 409). */
const MLFLOW_STATUS: Record<string, number> = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  BAD_REQUEST: 400,
  // MLflow says 500; deliberately 400 here (see util/errors.ts).
  INVALID_STATE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  NOT_FOUND: 404,
  RESOURCE_CONFLICT: 409,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  TEMPORARILY_UNAVAILABLE: 503,
};

/** 4xx without a code of MLflow's own, by status (what the client itself would infer). */
function mlflowCodeForStatus(status: number): string {
  if (status === 404) return 'ENDPOINT_NOT_FOUND';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 429) return 'REQUEST_LIMIT_EXCEEDED';
  return 'BAD_REQUEST';
}

export function mlflowErrorBody(code: string, message: string): MlflowErrorBody {
  return { error_code: code, message };
}

function sendMlflowError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    const status = MLFLOW_STATUS[err.code] ?? err.statusCode;
    if (status >= 500) request.log.error({ err }, 'request failed');
    return reply.status(status).send(mlflowErrorBody(err.code, err.message));
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    // Our lenient MLflow readers word their issues like MLflow ("Missing value for required parameter 'x'"); other
    // issues (a body that is not an object) get the place they happened.
    const message = err.validation
      .map((v) => {
        // 'custom' issues come from our own lenient readers and are worded for the client already
        if (v.keyword === 'custom' && v.message) return v.message;
        const where = v.instancePath.split('/').filter(Boolean).join('.');
        return `${err.validationContext ?? 'request'}${where ? `.${where}` : ''}: ${v.message ?? 'invalid'}`;
      })
      .join('; ');
    return reply.status(400).send(mlflowErrorBody('INVALID_PARAMETER_VALUE', message));
  }
  const status = err.statusCode ?? 500;
  // Unreadable requests (bad JSON, wrong content type, too large): MLflow answers all of these with 400.
  if (err.code && (CLIENT_ERRORS[err.code] || (err.code.startsWith('FST_') && status >= 400 && status < 500))) {
    const message = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? "Bad Request. Content-Type must be one of ['application/json']." : err.message;
    return reply.status(400).send(mlflowErrorBody('INVALID_PARAMETER_VALUE', message));
  }
  if (status >= 400 && status < 500) {
    return reply.status(status).send(mlflowErrorBody(status === 400 ? 'INVALID_PARAMETER_VALUE' : mlflowCodeForStatus(status), err.message));
  }
  // A value the database itself refused (constraint, range): retrying the same request cannot succeed.
  if (isDataError(err)) {
    request.log.warn({ err }, 'database refused a value');
    return reply.status(400).send(mlflowErrorBody('INVALID_PARAMETER_VALUE', 'A value in the request was refused by the database'));
  }
  logUnexpected(request, err);
  return reply.status(500).send(mlflowErrorBody('INTERNAL_ERROR', 'internal server error'));
}

/**
 * An unexpected error is logged as one, unless the connection was closed while the request was arriving (the client
 * went away, or its body missed its deadline, limits/body-deadline.ts): whatever was reading the body then fails
 * with "aborted", which says nothing is wrong here.
 */
function logUnexpected(request: FastifyRequest, err: FastifyError): void {
  if (request.raw.aborted) request.log.info({ err: { message: err.message, code: err.code } }, 'request aborted before it had arrived');
  else request.log.error({ err }, 'unexpected error');
}

/** Every error a request can raise, as the answer its API speaks (MLflow's body under its prefixes, ours elsewhere). */
function sendError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isMlflowRequest(request.url)) return sendMlflowError(err, request, reply);
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
  logUnexpected(request, err);
  return reply.status(500).send(errorBody('INTERNAL_ERROR', 'internal server error'));
}

/**
 * Fastify's `frameworkErrors` option (a constructor option, so buildApp passes it): errors raised before routing, such
 * as a malformed percent-escape in the path (FST_ERR_BAD_URL) or a path parameter over maxParamLength, would
 * otherwise get Fastify's own body instead of ours or MLflow's.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void sendError(err, request, reply);
}

/**
 * Fastify's `clientErrorHandler` option (also a constructor option): a request Node's HTTP parser refuses before any
 * route sees it (bytes outside ASCII in the request line, a malformed header or Content-Length) gets our JSON body,
 * MLflow's under its prefixes, instead of Fastify's. Same statuses and socket handling as Fastify's default handler.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'the request did not arrive in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'the request headers are too large']
        : [400, `the request cannot be parsed (${err.code ?? 'client error'})`];
  // the request target as far as Node's parser read it (a Buffer at run time), to pick the API's error shape
  const raw = (err as { rawPacket?: unknown }).rawPacket;
  const target = Buffer.isBuffer(raw) ? (raw.toString('latin1').split(' ', 2)[1] ?? '') : '';
  const body = JSON.stringify(
    isMlflowRequest(target)
      ? mlflowErrorBody(status === 400 ? 'INVALID_PARAMETER_VALUE' : mlflowCodeForStatus(status), message)
      : errorBody(status === 400 ? 'INVALID_PARAMETER_VALUE' : 'BAD_REQUEST', message),
  );
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(sendError);

  app.setNotFoundHandler((request, reply) => {
    if (isMlflowRequest(request.url)) {
      // JSON, so the client reads the code (MLflow's Flask 404 page is HTML, which the client maps to the same code).
      return reply
        .status(404)
        .send(mlflowErrorBody('ENDPOINT_NOT_FOUND', `No endpoint for ${request.method} ${request.url.split('?')[0]}`));
    }
    // Client-side routes of the web app (/models, /experiments/3, ...) all load its index.html.
    if (request.method === 'GET' && isPageRequest(request.url, request.headers.accept) && typeof reply.sendFile === 'function') {
      return reply.type('text/html').sendFile('index.html');
    }
    reply.status(404).send(errorBody('RESOURCE_DOES_NOT_EXIST', `no route for ${request.method} ${request.url.split('?')[0]}`));
  });
}
