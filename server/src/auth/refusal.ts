// A refused request's answer: 401 with a WWW-Authenticate challenge or 403, in the error body of the API it was sent to
// (FoodLens's {"error": {...}} or MLflow's {"error_code", "message"}, as api/error-handler.ts answers other errors).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, isMlflowRequest, mlflowErrorBody } from '../api/error-handler.js';
import type { Refusal } from './access-gate.js';

export const REALM = 'FoodLens';

/**
 * Only Bearer is offered in the challenge: Basic is accepted (MLflow clients send it unasked), but a Basic challenge
 * makes browsers pop up their own login box over the web app's token dialog.
 */
export function challenge(refusal: Refusal): string {
  return refusal.reason === 'invalid_token' ? `Bearer realm="${REALM}", error="invalid_token"` : `Bearer realm="${REALM}"`;
}

export function sendRefusal(request: FastifyRequest, reply: FastifyReply, refusal: Refusal): FastifyReply {
  const code = refusal.status === 401 ? 'UNAUTHENTICATED' : 'PERMISSION_DENIED';
  if (refusal.status === 401) reply.header('www-authenticate', challenge(refusal));
  const body = isMlflowRequest(request.url) ? mlflowErrorBody(code, refusal.message) : errorBody(code, refusal.message, refusal.reason);
  return reply.code(refusal.status).type('application/json; charset=utf-8').send(body);
}
