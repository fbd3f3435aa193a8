// The answers of the limits, in the error body of the API a request was sent to: FoodLens's
// {"error": {"code", "message", "reason"}} or, under /api/2.0 and /ajax-api/2.0, MLflow's {"error_code", "message"}
// with the codes its client knows (it retries 429 and 503, honouring Retry-After).
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, isMlflowRequest, mlflowErrorBody } from '../api/error-handler.js';

export type RejectionReason = 'rate_limited' | 'overloaded' | 'body_timeout';

const ANSWERS: Record<RejectionReason, { status: number; code: string; mlflowCode: string }> = {
  rate_limited: { status: 429, code: 'REQUEST_LIMIT_EXCEEDED', mlflowCode: 'REQUEST_LIMIT_EXCEEDED' },
  overloaded: { status: 503, code: 'SERVICE_UNAVAILABLE', mlflowCode: 'TEMPORARILY_UNAVAILABLE' },
  // MLflow has no code of its own for a timeout; BAD_REQUEST is what its client infers from a 4xx without one
  body_timeout: { status: 408, code: 'REQUEST_TIMEOUT', mlflowCode: 'BAD_REQUEST' },
};

export function rejectionBody(url: string, reason: RejectionReason, message: string): object {
  const a = ANSWERS[reason];
  return isMlflowRequest(url) ? mlflowErrorBody(a.mlflowCode, message) : errorBody(a.code, message, reason);
}

/** A 429 or 503 through Fastify (its onSend hooks, CORS and security headers included), with Retry-After. */
export function sendRejection(
  request: FastifyRequest,
  reply: FastifyReply,
  reason: Exclude<RejectionReason, 'body_timeout'>,
  message: string,
  retryAfterS: number,
): FastifyReply {
  return reply
    .code(ANSWERS[reason].status)
    .header('retry-after', String(retryAfterS))
    .type('application/json; charset=utf-8')
    .send(rejectionBody(request.url, reason, message));
}

/**
 * A 408 written to the connection itself, which is then closed, as Node answers its own requestTimeout (and as
 * api/error-handler.ts's clientErrorHandler writes it): whatever is still waiting for the body sees the connection
 * end, while the client gets an answer rather than a reset.
 */
export function closeWith408(socket: Socket, url: string, message: string): void {
  const body = JSON.stringify(rejectionBody(url, 'body_timeout', message));
  socket.end(
    `HTTP/1.1 408 ${STATUS_CODES[408]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
  // a client that reads nothing must not keep the socket either
  setTimeout(() => socket.destroy(), 5000).unref();
}
