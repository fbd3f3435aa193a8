// Hostile request framing against the real app: JSON bodies just over the 1 MiB limit, a 100 MB Content-Length with a
// small body, JSON nested 100,000 deep, invalid UTF-8 in JSON bodies, query strings and path parameters (percent-encoded
// and as raw bytes on the wire), and wrong content types. Each is a 4xx with a JSON error: FoodLens's
// {"error": {code, message, reason?}} on /api/v1, MLflow's {error_code, message} on /api/2.0 and /ajax-api/2.0.
// Raw-socket cases go over a real port, because app.inject would fix up Content-Length and refuse raw bytes.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, startTestApp, type TestApp } from '../app-harness.js';

const MiB = 1024 * 1024;
let t: TestApp;
let port: number;
let runId: string;

beforeAll(async () => {
  t = await startTestApp({ FOODLENS_ALERT_INTERVAL_S: '0', FOODLENS_SERVING_METRICS_INTERVAL_S: '0', FOODLENS_MAX_ARTIFACT_BYTES: String(MiB) });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.app.server.address() as AddressInfo).port;
  const run = await t.app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/create', payload: { experiment_id: '0' } });
  runId = run.json<{ run: { info: { run_id: string } } }>().run.info.run_id;
});
afterAll(async () => t?.close());

type Shape = 'mlflow' | 'foodlens';
const shapeOf = (url: string): Shape => (url.startsWith('/api/2.0/') || url.startsWith('/ajax-api/2.0/') ? 'mlflow' : 'foodlens');

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** A 4xx whose JSON body has the shape of the API the URL belongs to. */
function expectError(res: Answer, url: string, what: string, status?: number): Record<string, any> {
  const label = `${what} -> ${res.status} ${res.body.slice(0, 300)}`;
  if (status !== undefined) expect(res.status, label).toBe(status);
  expect(res.status, label).toBeGreaterThanOrEqual(400);
  expect(res.status, label).toBeLessThan(500);
  expect(res.type, label).toMatch(/^application\/json/);
  const body = JSON.parse(res.body) as Record<string, any>;
  if (shapeOf(url) === 'mlflow') {
    expect(body, label).toEqual({ error_code: expect.any(String), message: expect.any(String) });
  } else {
    expect(Object.keys(body), label).toEqual(['error']);
    expect(body.error, label).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  }
  return body;
}

async function inject(method: string, url: string, payload?: string | Buffer, contentType: string | null = 'application/json'): Promise<Answer> {
  const res = await t.app.inject({ method: method as 'POST', url, headers: contentType === null ? {} : { 'content-type': contentType }, payload });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), body: res.body };
}

/** Writes `head` + `body` on a fresh connection and reads the answer; `timeoutMs` bounds the wait (a hang fails). */
function rawRequest(head: string | Buffer, body: Buffer | string = '', timeoutMs = 5000): Promise<Answer & { ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(head);
      socket.write(body);
    });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!m || end < 0) return reject(new Error(`no HTTP answer within ${timeoutMs} ms: ${JSON.stringify(text.slice(0, 200))}`));
      const headers = text.slice(0, end);
      const type = /\r\ncontent-type: *([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(headers)?.[1] ?? NaN);
      const rest = Buffer.concat(chunks).subarray(Buffer.byteLength(text.slice(0, end + 4)));
      resolve({ status: Number(m[1]), type, body: Number.isNaN(length) ? rest.toString() : rest.subarray(0, length).toString(), ms: performance.now() - started });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // stop at the end of the answer, whether or not the server closes
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, Math.max(0, end)))?.[1] ?? NaN);
      if (end >= 0 && !Number.isNaN(length) && Buffer.byteLength(text, 'latin1') >= end + 4 + length) finish();
    });
    socket.on('close', finish);
    socket.on('error', () => finish());
  });
}

const head = (method: string, target: string | Buffer, headers: Record<string, string>): Buffer =>
  Buffer.concat([
    Buffer.from(`${method} `),
    Buffer.isBuffer(target) ? target : Buffer.from(target),
    Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`),
  ]);

// JSON routes of both APIs (the /ajax-api mirror answers like /api/2.0)
const MLFLOW_JSON = ['/api/2.0/mlflow/experiments/create', '/api/2.0/mlflow/runs/log-batch', '/ajax-api/2.0/mlflow/registered-models/create'];
const FOODLENS_JSON: Array<[string, string]> = [
  ['POST', '/api/v1/mlops/alerts/rules'],
  ['PUT', '/api/v1/mlops/deployment'],
  ['POST', '/api/v1/predictions/0190a000-0000-7000-8000-000000000000/feedback'],
  ['PUT', '/api/v1/mlops/monitoring/drift/reference'],
];
const ALL_JSON: Array<[string, string]> = [...MLFLOW_JSON.map((u): [string, string] => ['POST', u]), ...FOODLENS_JSON];

/** `{"name": "xxx…"}` of exactly `bytes` bytes. */
const jsonOfSize = (bytes: number): string => `{"name":"${'x'.repeat(bytes - 11)}"}`;

describe('oversized JSON bodies', () => {
  it('one byte over 1 MiB: 413 too_large on /api/v1, 400 INVALID_PARAMETER_VALUE in MLflow form', async () => {
    const body = jsonOfSize(MiB + 1);
    expect(Buffer.byteLength(body)).toBe(MiB + 1);
    for (const [method, url] of ALL_JSON) {
      const res = await inject(method, url, body);
      const err = expectError(res, url, `${method} ${url} 1 MiB + 1`);
      if (shapeOf(url) === 'mlflow') expect(err).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
      else expect(res.status === 413 && err.error.reason === 'too_large', res.body).toBe(true);
    }
  });

  it('exactly 1 MiB is read, and answered by the route itself', async () => {
    const body = jsonOfSize(MiB);
    for (const [method, url] of FOODLENS_JSON) {
      const res = await inject(method, url, body);
      expect(res.status, `${url}: ${res.body.slice(0, 200)}`).not.toBe(413);
      expectError(res, url, `${method} ${url} 1 MiB`);
    }
    // MLflow: a 1 MiB experiment name is read, then refused for its length
    const res = await inject('POST', MLFLOW_JSON[0]!, body);
    expect(expectError(res, MLFLOW_JSON[0]!, 'create 1 MiB').message).not.toMatch(/too large/i);
  });

  it('a declared Content-Length of 100 MB with a small body is refused at once, without waiting for the rest', async () => {
    const small = '{"name":"x"}';
    const cases: Array<{ method: string; url: string; type: string; body: string; status: number }> = [
      { method: 'POST', url: '/api/2.0/mlflow/experiments/create', type: 'application/json', body: small, status: 400 },
      { method: 'POST', url: '/ajax-api/2.0/mlflow/runs/log-batch', type: 'application/json', body: small, status: 400 },
      { method: 'POST', url: '/api/v1/mlops/alerts/rules', type: 'application/json', body: small, status: 413 },
      { method: 'POST', url: '/api/v1/predictions/backfill', type: 'application/json', body: small, status: 413 },
      { method: 'POST', url: '/api/v1/predict', type: 'image/jpeg', body: '\u00ff\u00d8\u00ff', status: 413 },
      { method: 'POST', url: '/api/v1/predict', type: 'application/json', body: small, status: 413 },
      // multipart is read by the handler: refused from the header, even though the body would finish the form
      {
        method: 'POST', url: '/api/v1/predict', type: 'multipart/form-data; boundary=b', status: 413,
        body: '--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc\r\n--b--\r\n',
      },
      { method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/0/${'r'.repeat(32)}/artifacts/big.bin`, type: 'application/octet-stream', body: 'abc', status: 413 },
    ];
    for (const c of cases) {
      const res = await rawRequest(head(c.method, c.url, { 'Content-Type': c.type, 'Content-Length': '100000000', Connection: 'close' }), c.body);
      const err = expectError(res, c.url, `${c.method} ${c.url} (${c.type}) declaring 100 MB`, c.status);
      if (shapeOf(c.url) === 'foodlens') expect(err.error.reason).toBe('too_large');
      expect(res.ms, `${c.url} answered in ${Math.round(res.ms)} ms`).toBeLessThan(3000);
    }
  });
});

describe('deeply nested JSON', () => {
  const DEPTH = 100_000;
  const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
  const deepObject = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);

  it('100,000 levels as a field, as an item and as the whole body: a 4xx, never a stack overflow', async () => {
    for (const [method, url] of ALL_JSON) {
      for (const [what, body] of [
        ['whole body array', deepArray],
        ['whole body object', deepObject],
        ['field', `{"name": ${deepArray}, "model": ${deepObject}, "key": ${deepArray}, "run_id": ${deepArray}}`],
        ['list item', `{"name": "n", "tags": [${deepObject}], "metrics": [${deepArray}], "params": [{"key": ${deepArray}}]}`],
        ['with __proto__ inside', `{"a":${'{"a":'.repeat(DEPTH)}{"__proto__":{"x":1}}${'}'.repeat(DEPTH)}}`],
      ] as const) {
        expectError(await inject(method, url, body), url, `${method} ${url} ${what}`);
      }
    }
  });

  it('a model_json string nested 100,000 deep in runs/log-model is a 400, not a 500', async () => {
    const model = `{"artifact_path":"m","flavors":{},"utc_time_created":"2026-01-01","run_id":"${runId}","deep":${deepArray}}`;
    const res = await inject('POST', '/api/2.0/mlflow/runs/log-model', JSON.stringify({ run_id: runId, model_json: model }));
    expect(expectError(res, '/api/2.0/', 'log-model deep', 400).error_code).toBe('INVALID_PARAMETER_VALUE');
  });
});

describe('invalid UTF-8', () => {
  // a lone continuation byte, a truncated sequence, an overlong '/', a UTF-16 surrogate encoded in UTF-8, 0xFF
  const BAD_SEQUENCES = [[0x80], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff, 0xfe]];

  // On /api/v1 this relies on buildApp calling useStrictJsonBodies(app) (api/json-body.ts); MLflow's routes do it themselves.
  it('in a JSON body: 400 in the API\'s own shape, and nothing is stored', async () => {
    for (const seq of BAD_SEQUENCES) {
      const name = Buffer.concat([Buffer.from('bad-utf8-'), Buffer.from(seq)]);
      for (const [method, url] of ALL_JSON) {
        const body = Buffer.concat([Buffer.from('{"name":"'), name, Buffer.from('","experiment_id":"0","run_id":"'), Buffer.from(runId), Buffer.from('","model":"'), name, Buffer.from('"}')]);
        const res = await inject(method, url, body);
        const err = expectError(res, url, `${method} ${url} bytes ${Buffer.from(seq).toString('hex')}`, 400);
        expect(JSON.stringify(err), `${url}: the refusal names the encoding`).toMatch(/UTF-8/);
      }
    }
    const search = await inject('POST', '/api/2.0/mlflow/experiments/search', JSON.stringify({ filter: "name LIKE 'bad-utf8-%'" }));
    expect(search.status).toBe(200);
    expect(JSON.parse(search.body)).toEqual({});
  });

  it('percent-encoded in a query string: never a 5xx, refusals in the API\'s shape, no U+FFFD made up', async () => {
    for (const seq of BAD_SEQUENCES) {
      const enc = seq.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      for (const url of [
        `/api/2.0/mlflow/experiments/get-by-name?experiment_name=x${enc}`,
        `/api/2.0/mlflow/runs/get?run_id=${enc}`,
        `/ajax-api/2.0/mlflow/registered-models/get?name=${enc}`,
        `/api/2.0/mlflow/experiments/search?filter=name%3D${enc}`,
        `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${enc}`,
        `/api/2.0/mlflow-artifacts/artifacts?path=${enc}`,
        `/api/v1/mlops/monitoring/predictions?window=${enc}`,
        `/api/v1/predictions?cursor=${enc}`,
        `/api/v1/mlops/runs?experiment_id=${enc}`,
      ]) {
        const res = await inject('GET', url);
        expect(res.status, `${url} -> ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) expectError(res, url, url);
        // a value that is not UTF-8 is taken as the text it is, never decoded into replacement characters
        expect(res.body, url).not.toContain('\ufffd');
      }
      // lookups by such a name find nothing; searches refuse it as a filter
      expect((await inject('GET', `/api/2.0/mlflow/experiments/get-by-name?experiment_name=x${enc}`)).status).toBe(404);
      expect((await inject('GET', `/api/2.0/mlflow/experiments/search?filter=name%3D${enc}`)).status).toBe(400);
    }
  });

  // Refused by the router before any route: relies on buildApp passing `frameworkErrors` (api/error-handler.ts) to Fastify.
  it('percent-encoded in a path parameter: 400 in the API\'s shape', async () => {
    for (const seq of BAD_SEQUENCES) {
      const enc = seq.map((b) => `%${b.toString(16)}`).join('');
      for (const [method, url] of [
        ['POST', `/api/v1/predictions/${enc}/feedback`],
        ['GET', `/api/v1/mlops/alerts/rules/${enc}`],
        ['GET', `/api/2.0/mlflow-artifacts/artifacts/${enc}/x.txt`],
        ['PUT', `/ajax-api/2.0/mlflow-artifacts/artifacts/0/${enc}`],
      ] as const) {
        const res = await inject(method, url, method === 'GET' ? undefined : '{"correct":true}');
        expectError(res, url, `${method} ${url}`, 400);
      }
    }
  });

  // Refused by Node's HTTP parser: relies on buildApp passing `clientErrorHandler` (api/error-handler.ts) to Fastify.
  it('as raw bytes on the wire, in the path or the query: 400 in the API\'s shape (answered by the HTTP parser)', async () => {
    for (const target of [
      Buffer.concat([Buffer.from('/api/2.0/mlflow/experiments/get-by-name?experiment_name='), Buffer.from([0xff, 0xfe])]),
      Buffer.concat([Buffer.from('/api/2.0/mlflow-artifacts/artifacts/'), Buffer.from([0xc3, 0x28])]),
      Buffer.concat([Buffer.from('/api/v1/predictions/'), Buffer.from([0xff]), Buffer.from('/feedback')]),
      Buffer.concat([Buffer.from('/api/v1/mlops/monitoring/predictions?model='), Buffer.from([0x80])]),
    ]) {
      const url = target.toString('latin1');
      const res = await rawRequest(head('GET', target, { Connection: 'close' }));
      expectError(res, url, `raw ${target.toString('hex')}`, 400);
    }
    // the server is unharmed
    expect((await inject('GET', '/health')).status).toBe(200);
  });
});

describe('wrong content types', () => {
  const form = multipart([{ name: 'name', value: 'x' }]);
  const TYPES: Array<[string | null, string | Buffer]> = [
    [null, '{"name":"x"}'],
    ['text/plain', '{"name":"x"}'],
    ['application/xml', '<name>x</name>'],
    ['application/x-www-form-urlencoded', 'name=x'],
    [form.headers['content-type']!, form.payload],
    ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
    ['application/jsonx', '{"name":"x"}'],
    ['application/octet-stream', '{"name":"x"}'],
  ];

  it('MLflow routes: 400 INVALID_PARAMETER_VALUE in MLflow form, whatever the declared type', async () => {
    for (const url of MLFLOW_JSON) {
      for (const [type, body] of TYPES) {
        const res = await inject('POST', url, body, type);
        expect(expectError(res, url, `${url} as ${type}`, 400).error_code).toBe('INVALID_PARAMETER_VALUE');
      }
    }
  });

  it('FoodLens JSON routes: a 4xx JSON error (415 bad_format for a type no parser reads)', async () => {
    for (const [method, url] of FOODLENS_JSON) {
      for (const [type, body] of TYPES) {
        const res = await inject(method, url, body, type);
        const err = expectError(res, url, `${method} ${url} as ${type}`);
        // text/plain has a parser (its text then fails the schema); every other non-JSON type has none
        if (type !== 'text/plain') expect([res.status, err.error.reason], `${url} as ${type}: ${res.body}`).toEqual([415, 'bad_format']);
      }
    }
  });
});
