// The limits on the whole app: rate limits per token or address (429 + Retry-After, FoodLens's and MLflow's bodies),
// body deadlines on a real socket (408 and the connection closed; uploads get the long deadline), load shedding while
// the event loop is blocked (503 + Retry-After, probes still answering, then recovery), security headers and the
// CSPs, the OpenAPI security schemes, and CORS off by default and on for configured origins only.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '@foodlens/contracts';
import { multipart, startTestApp, type TestApp } from '../../test/app-harness.js';
import { DOCS_CSP } from './security-headers.js';
import { WEB_DIST } from '../api/web.js';
import { createInferenceEngine } from '../inference/index.js';
import type { InferenceEngine } from '../inference/types.js';
import { API_CSP, inlineScriptHashes, webAppCsp } from './security-headers.js';

const ADMIN = 'adm1n-5e4d3c2b1a0f9e8d7c6b';
const WRITER = 'wr1ter-5e4d3c2b1a0f9e8d7c6b';
const TRAINER = 'tra1ner-5e4d3c2b1a0f9e8d7c6b';
const READER = 'read3r-5e4d3c2b1a0f9e8d7c6b';
const TOKENS = `admin:${ADMIN},writer:${WRITER}:ci,writer:${TRAINER}:trainer,reader:${READER}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const QUIET = { FOODLENS_ALERT_INTERVAL_S: '0', FOODLENS_SERVING_METRICS_INTERVAL_S: '0', FOODLENS_DRIFT_INTERVAL_S: '0' };

type Answer = { statusCode: number; headers: Record<string, unknown>; json(): unknown };

function expectFoodLensError(res: Answer, status: number, code: string, reason: string): void {
  expect(res.statusCode).toBe(status);
  expect(ErrorBody.parse(res.json()).error).toMatchObject({ code, reason, message: expect.any(String) });
}

function expectMlflowError(res: Answer, status: number, code: string): void {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toEqual({ error_code: code, message: expect.any(String) });
}

function retryAfter(res: Answer): number {
  const value = Number(res.headers['retry-after']);
  expect(Number.isInteger(value) && value >= 1, `Retry-After ${String(res.headers['retry-after'])}`).toBe(true);
  return value;
}

async function rejected(t: TestApp, reason: string, routeClass: string): Promise<number> {
  // a reader token, for the apps with tokens configured (ignored by the others)
  const text = (await t.app.inject({ url: '/metrics', headers: bearer(READER) })).body;
  const line = text.split('\n').find((l) => l.startsWith(`foodrec_requests_rejected_total{reason="${reason}",route_class="${routeClass}"}`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the event loop is stuck here, as under a long synchronous task
  }
}

/** Polls until `status` answers 200, within a second of the stall (a few ticks). */
async function recovered(status: () => Promise<number>): Promise<void> {
  const deadline = performance.now() + 1000;
  let last = 0;
  while ((last = await status()) !== 200 && performance.now() < deadline) await sleep(50);
  expect(last).toBe(200);
}

/** a CSP header as directive -> sources */
function parseCsp(header: unknown): Record<string, string[]> {
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

let engine: InferenceEngine;
beforeAll(() => {
  engine = createInferenceEngine({ workers: 1 });
});
afterAll(async () => engine?.close());

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(
      { ...QUIET, FOODLENS_TOKENS: TOKENS, FOODLENS_RATE_LIMIT_PREDICT: '3', FOODLENS_RATE_LIMIT_WRITES: '4' },
      { engine },
    );
  });
  afterAll(async () => t?.close());

  const predict = (headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg', ...headers }, payload: Buffer.from('not a photo') });

  it('answers predict 429 with Retry-After in FoodLens error body past the limit of an address; an invalid token buys no fresh budget', async () => {
    for (let i = 0; i < 3; i++) expect((await predict()).statusCode).not.toBe(429);
    const res = await predict();
    expectFoodLensError(res, 429, 'REQUEST_LIMIT_EXCEEDED', 'rate_limited');
    // 3 a minute: one every 20 s
    expect(retryAfter(res)).toBeLessThanOrEqual(20);
    expect((res.json() as ErrorBody).error.message).toMatch(/3 a minute/);
    // the limits' answers carry the security headers too
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // predict is open, so a made-up token is not refused: but it is no identity and spends the address's budget
    expect((await predict(bearer('made-up-token-0123456789'))).statusCode).toBe(429);
    // a valid token has its own budget
    expect((await predict(bearer(READER))).statusCode).not.toBe(429);
    expect(await rejected(t, 'rate_limited', 'predict')).toBe(2);
  });

  it('counts every write of a token, on both APIs, against one budget, and answers MLflow routes in MLflow error body', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', headers: bearer(WRITER), payload: { name: `limited-${i}` } });
      expect(res.statusCode).toBe(200);
    }
    const mlflow = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', headers: bearer(WRITER), payload: { name: 'one-too-many' } });
    expectMlflowError(mlflow, 429, 'REQUEST_LIMIT_EXCEEDED');
    retryAfter(mlflow);
    const feedback = await t.app.inject({ method: 'POST', url: '/api/v1/predictions/p-1/feedback', headers: bearer(WRITER), payload: { correct: true } });
    expectFoodLensError(feedback, 429, 'REQUEST_LIMIT_EXCEEDED', 'rate_limited');
    // nothing was created past the limit
    const search = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/search', headers: bearer(READER), payload: { filter: "name = 'one-too-many'" } });
    expect(search.json()).toEqual({});
    // another token's budget is its own
    const other = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', headers: bearer(TRAINER), payload: { name: 'trainer-1' } });
    expect(other.statusCode).toBe(200);
  });

  it('never limits reads, including the searches MLflow sends as POST', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await t.app.inject({ url: '/api/v1/predictions', headers: bearer(WRITER) })).statusCode).toBe(200);
      const search = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/search', headers: bearer(WRITER), payload: { experiment_ids: ['0'] } });
      expect(search.statusCode).toBe(200);
    }
  });

  it('answers what the access gate refuses 401, never 429: a refused request spends no budget', async () => {
    for (let i = 0; i < 8; i++) {
      expect((await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', payload: { name: `anon-${i}` } })).statusCode).toBe(401);
    }
  });
});

describe('body deadlines, on a real socket', () => {
  let t: TestApp;
  let port: number;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestApp(
      { ...QUIET, FOODLENS_TOKENS: TOKENS, FOODLENS_BODY_TIMEOUT_S: '1', FOODLENS_UPLOAD_TIMEOUT_S: '3' },
      { engine, logger: { level: 'info', stream: { write: (line: string) => logs.push(line) } } },
    );
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => t?.close());

  interface RawAnswer {
    status: number;
    headers: string;
    body: string;
    /** ms from the request's headers to the server closing the connection */
    closedAfterMs: number;
  }

  /** Sends the head and the first `sent` bytes of a body, then `rest` after `restAfterMs` (or never). */
  function send(head: string, body: Buffer, sent: number, restAfterMs: number | null = null): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      let started = 0;
      socket.on('connect', () => {
        started = performance.now();
        socket.write(`${head}\r\nHost: 127.0.0.1\r\nContent-Length: ${body.length}\r\n\r\n`);
        socket.write(body.subarray(0, sent));
        if (restAfterMs !== null) setTimeout(() => socket.writable && socket.write(body.subarray(sent)), restAfterMs);
      });
      socket.on('data', (c) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [headers = '', ...rest] = text.split('\r\n\r\n');
        resolve({ status: Number(headers.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), closedAfterMs: performance.now() - started });
      });
    });
  }

  it("sets Node's own timeouts: headers within 30 s, idle keep-alive 72 s, the request as a whole just past the longest deadline", () => {
    expect(t.app.server.headersTimeout).toBe(30_000);
    expect(t.app.server.keepAliveTimeout).toBe(72_000);
    expect(t.app.server.requestTimeout).toBeGreaterThan(30_000);
    expect(t.app.server.requestTimeout).toBeLessThanOrEqual(40_000);
  });

  it('answers a photo whose body stalls 408 in FoodLens error body after 1 s, and closes the connection', async () => {
    const res = await send('POST /api/v1/predict HTTP/1.1\r\nContent-Type: image/jpeg', Buffer.alloc(200_000, 1), 1000);
    expect(res.status).toBe(408);
    expect(res.headers).toMatch(/\r\nconnection: close/i);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'REQUEST_TIMEOUT', message: 'The request body did not arrive within 1 s.', reason: 'body_timeout' } });
    expect(res.closedAfterMs).toBeGreaterThan(900);
    expect(res.closedAfterMs).toBeLessThan(3000);
  });

  it('does the same for a multipart upload that declares less than the upload limit and never arrives', async () => {
    const form = multipart([{ name: 'file', value: Buffer.alloc(500_000, 2), filename: 'meal.jpg', type: 'image/jpeg' }]);
    const res = await send(`POST /api/v1/predict HTTP/1.1\r\nContent-Type: ${form.headers['content-type']}`, form.payload, 4000);
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body).error.reason).toBe('body_timeout');
    expect(res.closedAfterMs).toBeLessThan(3000);
  });

  it('answers an MLflow write in MLflow error body', async () => {
    const json = Buffer.from(JSON.stringify({ run_id: 'r', metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 0 }] }));
    const res = await send(`POST /api/2.0/mlflow/runs/log-batch HTTP/1.1\r\nAuthorization: Bearer ${WRITER}\r\nContent-Type: application/json`, json, 10);
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toEqual({ error_code: 'BAD_REQUEST', message: 'The request body did not arrive within 1 s.' });
  });

  it('answers a body that arrives in pieces within the deadline as usual', async () => {
    const json = Buffer.from(JSON.stringify({ name: 'arrived-in-two-pieces' }));
    const res = await send(
      `POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nAuthorization: Bearer ${WRITER}\r\nContent-Type: application/json\r\nConnection: close`,
      json,
      8,
      400,
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ experiment_id: expect.any(String) });
  });

  it('gives artifact uploads the long deadline: still open after the short one, 408 after the long one', async () => {
    const head = `PUT /api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/model.bin HTTP/1.1\r\nAuthorization: Bearer ${WRITER}\r\nContent-Type: application/octet-stream`;
    const res = await send(head, Buffer.alloc(100_000, 3), 1000);
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body).error_code).toBe('BAD_REQUEST');
    expect(res.closedAfterMs).toBeGreaterThan(2900);
    expect(res.closedAfterMs).toBeLessThan(5000);
  });

  it('closes the connection of a request refused before its body was read (401) once the body is late', async () => {
    const res = await send('POST /api/2.0/mlflow/runs/log-batch HTTP/1.1\r\nContent-Type: application/json', Buffer.alloc(5000, 32), 10);
    expect(res.status).toBe(401);
    expect(res.closedAfterMs).toBeGreaterThan(900);
    expect(res.closedAfterMs).toBeLessThan(3000);
  });

  it('counts the deadlines missed, logs no error for them, and keeps serving', async () => {
    expect(await rejected(t, 'body_timeout', 'predict')).toBe(2);
    // the log-batch, the artifact upload and the refused write
    expect(await rejected(t, 'body_timeout', 'writes')).toBe(3);
    expect(logs.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });
});

describe('load shedding while the event loop lags', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...QUIET, FOODLENS_MAX_EVENT_LOOP_DELAY_MS: '300' }, { engine });
    await t.app.ready();
  });
  afterAll(async () => t?.close());

  it('answers 503 with Retry-After in both error bodies after a stall, keeps the probes answering, and recovers at once', async () => {
    await sleep(300);
    block(900);
    await sleep(0);
    const api = await t.app.inject({ url: '/api/v1/predictions' });
    expectFoodLensError(api, 503, 'SERVICE_UNAVAILABLE', 'overloaded');
    // the lag in whole seconds, at least 1
    expect(retryAfter(api)).toBeLessThanOrEqual(2);
    const mlflow = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', payload: { name: 'during-the-stall' } });
    expectMlflowError(mlflow, 503, 'TEMPORARILY_UNAVAILABLE');
    retryAfter(mlflow);
    for (const url of ['/health', '/metrics', '/api/v1/mlops/monitoring/health']) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(200);
    }
    expect(await rejected(t, 'overloaded', 'reads')).toBe(1);
    expect(await rejected(t, 'overloaded', 'writes')).toBe(1);
    // the next tick, 100 ms later, is on time
    await recovered(() => t.app.inject({ url: '/api/v1/predictions' }).then((r) => r.statusCode));
  });

  it('sheds the requests that queued on the socket during the stall', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as net.AddressInfo).port;
    const sockets = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(port, '127.0.0.1', () => resolve(s));
          }),
      ),
    );
    const answers = sockets.map(
      (s) =>
        new Promise<string>((resolve) => {
          let text = '';
          s.on('data', (c) => {
            text += c;
            if (text.includes('\r\n\r\n')) resolve(text);
          });
        }),
    );
    // written to the kernel before the loop stalls; read by the server only after it
    sockets[0]!.write('GET /api/v1/predictions HTTP/1.1\r\nHost: x\r\n\r\n');
    sockets[1]!.write('GET /api/v1/mlops/monitoring/predictions?window=24h HTTP/1.1\r\nHost: x\r\n\r\n');
    sockets[2]!.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    block(900);
    const [a, b, health] = await Promise.all(answers);
    expect(a).toMatch(/^HTTP\/1\.1 503 /);
    expect(a).toMatch(/\r\nretry-after: [12]\r\n/i);
    expect(b).toMatch(/^HTTP\/1\.1 503 /);
    expect(health).toMatch(/^HTTP\/1\.1 200 /);
    for (const s of sockets) s.destroy();
    await recovered(() => fetch(`http://127.0.0.1:${port}/api/v1/predictions`).then((r) => r.status));
  });
});

describe('security headers, CSP, OpenAPI security, and a limit turned off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...QUIET, FOODLENS_RATE_LIMIT_PREDICT: '0', FOODLENS_RATE_LIMIT_WRITES: '1' }, { engine });
  });
  afterAll(async () => t?.close());

  const SAME_EVERYWHERE = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };

  it('gives the web app a strict CSP allowing its inline theme script by hash only', async () => {
    const res = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject(SAME_EVERYWHERE);
    let index = '';
    try {
      index = readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    } catch {
      console.log('web/dist is not built: the CSP of / is checked without inline-script hashes');
    }
    expect(res.headers['content-security-policy']).toBe(webAppCsp(inlineScriptHashes(index)));
    const csp = parseCsp(res.headers['content-security-policy']);
    expect(csp['script-src']!.filter((s) => !s.startsWith("'sha256-"))).toEqual(["'self'"]);
    if (index.includes('<script>')) expect(csp['script-src']!.length).toBeGreaterThan(1);
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    // client-side routes of the web app are the same page
    const route = await t.app.inject({ url: '/mlops', headers: { accept: 'text/html' } });
    expect(route.headers['content-security-policy']).toBe(res.headers['content-security-policy']);
  });

  it('gives API answers a policy under which nothing runs, errors included', async () => {
    for (const url of ['/api/v1/predictions', '/api/2.0/mlflow/experiments/search', '/health', '/metrics', '/api/v1/no-such-route']) {
      const res = await t.app.inject({ url });
      expect(res.headers, url).toMatchObject({ ...SAME_EVERYWHERE, 'content-security-policy': API_CSP });
    }
  });

  it("gives Swagger UI its own policy, on its page and its files", async () => {
    for (const url of ['/docs', '/docs/static/swagger-initializer.js']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers, url).toMatchObject({ ...SAME_EVERYWHERE, 'content-security-policy': DOCS_CSP });
    }
    expect(parseCsp(DOCS_CSP)['script-src']).toEqual(["'self'"]);
  });

  it('turns a rate limit off with 0', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg' }, payload: Buffer.from('x') });
      expect(res.statusCode).not.toBe(429);
    }
    // while writes, at 1 a minute, are limited
    const writes = [0, 1].map((i) => t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', payload: { name: `w-${i}` } }));
    expect((await Promise.all(writes)).map((r) => r.statusCode).sort()).toEqual([200, 429]);
  });

  it('declares Bearer and Basic in OpenAPI, required everywhere except the open routes', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json() as {
      components: { securitySchemes: Record<string, unknown> };
      security: unknown[];
      paths: Record<string, Record<string, { security?: unknown[]; description?: string }>>;
    };
    expect(doc.components.securitySchemes).toMatchObject({ bearerAuth: { type: 'http', scheme: 'bearer' }, basicAuth: { type: 'http', scheme: 'basic' } });
    expect(doc.security).toEqual([{ bearerAuth: [] }, { basicAuth: [] }]);
    for (const [p, m] of [
      ['/health', 'get'],
      ['/api/v1/predict', 'post'],
      ['/api/v1/auth/whoami', 'get'],
    ] as const) {
      expect(doc.paths[p]![m]!.security, `${m} ${p}`).toEqual([]);
    }
    const feedback = doc.paths['/api/v1/predictions/{id}/feedback']!.post!;
    expect(feedback.security).toBeUndefined();
    expect(feedback.description).toMatch(/writer role/);
    expect(doc.paths['/api/v1/mlops/deployment']!.put!.description).toMatch(/admin role/);
    expect(doc.paths['/api/v1/predictions']!.get!.description).toMatch(/reader role/);
  });
});

describe('CORS', () => {
  const ORIGIN = 'https://app.example.com';
  let off: TestApp;
  let on: TestApp;
  beforeAll(async () => {
    [off, on] = await Promise.all([
      startTestApp(QUIET, { engine }),
      startTestApp({ ...QUIET, FOODLENS_TOKENS: TOKENS, FOODLENS_CORS_ORIGINS: `${ORIGIN},http://localhost:5173` }, { engine }),
    ]);
  });
  afterAll(async () => Promise.all([off?.close(), on?.close()]));

  const corsHeaders = (headers: Record<string, unknown>) => Object.keys(headers).filter((h) => h.startsWith('access-control-'));
  const preflight = { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' };

  it('is off without FOODLENS_CORS_ORIGINS: no Access-Control header on any answer, and no preflight', async () => {
    const get = await off.app.inject({ url: '/api/v1/predictions', headers: { origin: ORIGIN } });
    expect(get.statusCode).toBe(200);
    expect(corsHeaders(get.headers)).toEqual([]);
    const options = await off.app.inject({ method: 'OPTIONS', url: '/api/v1/predict', headers: preflight });
    expect(options.statusCode).toBe(404);
    expect(corsHeaders(options.headers)).toEqual([]);
  });

  it('answers a preflight from a configured origin without a token, allowing the Authorization header', async () => {
    const res = await on.app.inject({ method: 'OPTIONS', url: '/api/2.0/mlflow/runs/log-batch', headers: preflight });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(String(res.headers['access-control-allow-headers'])).toMatch(/\bAuthorization\b/);
    expect(String(res.headers['access-control-allow-methods'])).toMatch(/\bPOST\b/);
  });

  it('lets that origin read answers, refusals included, and their Retry-After', async () => {
    const ok = await on.app.inject({ url: '/api/v1/predictions', headers: { origin: ORIGIN, ...bearer(READER) } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(String(ok.headers.vary)).toMatch(/Origin/);
    expect(String(ok.headers['access-control-expose-headers'])).toMatch(/Retry-After/);
    const refused = await on.app.inject({ url: '/api/v1/predictions', headers: { origin: ORIGIN } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('gives other origins, and requests without an Origin, no Access-Control header', async () => {
    const other = await on.app.inject({ url: '/api/v1/predictions', headers: { origin: 'https://evil.example', ...bearer(READER) } });
    expect(other.statusCode).toBe(200);
    expect(corsHeaders(other.headers)).toEqual([]);
    const otherPreflight = await on.app.inject({ method: 'OPTIONS', url: '/api/v1/predict', headers: { ...preflight, origin: 'https://evil.example' } });
    expect(corsHeaders(otherPreflight.headers)).toEqual([]);
    expect(otherPreflight.statusCode).toBeGreaterThanOrEqual(400);
    const sameOrigin = await on.app.inject({ url: '/api/v1/predictions', headers: bearer(READER) });
    expect(corsHeaders(sameOrigin.headers)).toEqual([]);
  });
});
