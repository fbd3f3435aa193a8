// A request body must have arrived within its deadline, counted from its headers: FOODLENS_BODY_TIMEOUT_S for most
// routes, FOODLENS_UPLOAD_TIMEOUT_S for artifact and model uploads (route-class.ts). A client that declares a body and
// then sends it slowly, or not at all, gets 408 and its connection is closed, instead of holding a request (and
// whatever reads its body: a multipart parser, an open file) until Node's server-wide requestTimeout. When the request
// was already answered before its body was read (a 401 or 429), the late body only gets its connection closed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { closeWith408 } from './rejection.js';

/** Whether the request declares a body that has not fully arrived yet. */
function bodyPending(request: FastifyRequest): boolean {
  const raw = request.raw;
  if (raw.complete) return false;
  const length = raw.headers['content-length'];
  return raw.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}

/**
 * Arms the deadline of the request's body, `ms` from now; `onExpired` is told when it runs out (to count it).
 * Disarmed when the body has been read or the connection closes.
 */
export function armBodyDeadline(request: FastifyRequest, reply: FastifyReply, ms: number, onExpired: () => void): void {
  if (ms <= 0 || !bodyPending(request)) return;
  const req = request.raw;
  const res = reply.raw;
  const socket = req.socket;
  const timer = setTimeout(() => {
    disarm();
    if (req.complete || socket.destroyed) return;
    onExpired();
    const seconds = Math.round(ms / 100) / 10;
    request.log.info({ ip: request.ip, route: request.routeOptions.url }, `request body not received within ${seconds} s: connection closed`);
    if (!res.headersSent) closeWith408(socket, request.url, `The request body did not arrive within ${seconds} s.`);
    else if (res.writableFinished) socket.destroy();
    else res.once('finish', () => socket.destroy());
  }, ms);
  timer.unref();
  const disarm = () => {
    clearTimeout(timer);
    req.off('end', disarm);
    socket.off('close', disarm);
  };
  req.once('end', disarm);
  socket.once('close', disarm);
}
