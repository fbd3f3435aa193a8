// The answers for requests refused before any route runs, on a small Fastify wired as buildApp should be
// (frameworkErrors and clientErrorHandler from api/error-handler.ts, useStrictJsonBodies from api/json-body.ts):
// a malformed percent-escape or an over-long path parameter, a request line Node's parser refuses, and a JSON body
// that is not UTF-8 each get the JSON error body of the API the URL belongs to. request-bodies.integration.test.ts
// checks the same against the real app.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientErrorHandler, frameworkErrors, registerErrorHandler } from '../../src/api/error-handler.js';
import { useStrictJsonBodies } from '../../src/api/json-body.js';

let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  app = Fastify({ logger: false, frameworkErrors, clientErrorHandler });
  registerErrorHandler(app);
  useStrictJsonBodies(app);
  app.post('/api/v1/things/:id', async (request) => ({ body: request.body }));
  app.post('/api/2.0/mlflow/things/:id', async (request) => ({ body: request.body }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => app?.close());

const ours = (message: RegExp) => ({ error: { code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) } });
const mlflows = (message: RegExp) => ({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) });

/** Sends raw bytes and returns the status and the body. */
function raw(bytes: Buffer): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      const end = text.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]), body: JSON.parse(text.slice(end + 4)) });
    });
  });
}

describe('errors before routing', () => {
  it('a malformed escape or an over-long parameter in the path: our body on /api/v1, MLflow\'s on /api/2.0', async () => {
    const post = (url: string) => app.inject({ method: 'POST', url, payload: {} });
    let res = await post('/api/v1/things/%ff');
    expect([res.statusCode, res.json()]).toEqual([400, ours(/not a valid url component/)]);
    res = await post('/api/2.0/mlflow/things/%e0%80');
    expect([res.statusCode, res.json()]).toEqual([400, mlflows(/not a valid url component/)]);
    res = await post(`/api/v1/things/${'a'.repeat(101)}`);
    expect([res.statusCode, res.json()]).toEqual([414, ours(/max param length/)]);
    res = await post(`/api/2.0/mlflow/things/${'a'.repeat(101)}`);
    expect([res.statusCode, res.json()]).toEqual([400, mlflows(/max param length/)]);
  });

  it('a request line or header Node cannot parse: 400 with the body of the API it names, and the socket closed', async () => {
    const line = (target: Buffer, extra = '') => Buffer.concat([Buffer.from('GET '), target, Buffer.from(` HTTP/1.1\r\nHost: x\r\n${extra}\r\n`)]);
    expect(await raw(line(Buffer.concat([Buffer.from('/api/2.0/mlflow/things?a='), Buffer.from([0xff])])))).toEqual({ status: 400, body: mlflows(/HPE_INVALID/) });
    expect(await raw(line(Buffer.concat([Buffer.from('/api/v1/things/'), Buffer.from([0xc3, 0x28])])))).toEqual({ status: 400, body: ours(/HPE_INVALID/) });
    expect(await raw(line(Buffer.from('/api/v1/things/1'), 'Content-Length: abc\r\n'))).toEqual({ status: 400, body: ours(/HPE_INVALID_CONTENT_LENGTH/) });
    expect(await raw(line(Buffer.from('/ajax-api/2.0/mlflow/things/1'), 'Bad Header\r\n'))).toEqual({ status: 400, body: mlflows(/HPE_/) });
  });

  it('a JSON body that is not UTF-8 is refused; valid UTF-8, an empty body and prototype poisoning behave as before', async () => {
    const post = (url: string, payload: Buffer | string) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json; charset=utf-8' }, payload });
    for (const [url, shape] of [['/api/v1/things/1', ours], ['/api/2.0/mlflow/things/1', mlflows]] as const) {
      let res = await post(url, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d])); // {"a":"<overlong />"}
      expect([res.statusCode, res.json()]).toEqual([400, shape(/not valid UTF-8/)]);
      res = await post(url, '{"a":"é \u{1F355}"}');
      expect([res.statusCode, res.json()]).toEqual([200, { body: { a: 'é \u{1F355}' } }]);
      res = await post(url, '');
      expect(res.statusCode).toBe(400);
      res = await post(url, '{"__proto__":{"polluted":1}}');
      expect(res.statusCode).toBe(400);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});
