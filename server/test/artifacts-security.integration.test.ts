// The artifact proxy under attack and under load, over a real socket (app.inject would normalize '..' and '%2e%2e' in
// the URL before the server sees them): traversal in every spelling, symlinks out of the root, the size limit,
// aborted and concurrent uploads. Around the root sit a canary file and a secret directory that must stay untouched.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerErrorHandler } from '../src/api/error-handler.js';
import { TEMP_PREFIX } from '../src/artifacts/artifact-path.js';
import { LocalArtifactStore, listRunArtifacts } from '../src/artifacts/artifact-store.js';
import { artifactRoutes } from '../src/artifacts/artifacts.routes.js';
import { InvalidParameter } from '../src/util/errors.js';
import { eventually } from './app-harness.js';
import { snapshotOutside } from './fs-snapshot.js';

const API = '/api/2.0/mlflow-artifacts/artifacts';
const MAX_BYTES = 1024 * 1024;

let dir: string;
let root: string;
let canary: string;
let app: FastifyInstance;
let port: number;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-artifacts-sec-'));
  root = path.join(dir, 'artifacts');
  canary = path.join(dir, 'canary.txt');
  writeFileSync(canary, 'canary');
  mkdirSync(path.join(dir, 'outside'));
  writeFileSync(path.join(dir, 'outside', 'secret.txt'), 'secret');
  mkdirSync(path.join(root, '1/run/artifacts'), { recursive: true });
  writeFileSync(path.join(root, '1/run/artifacts/ok.txt'), 'ok');
  app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(artifactRoutes, { store: new LocalArtifactStore({ root, maxBytes: MAX_BYTES }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});

afterEach(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  body: string;
}

/** One request with the path sent exactly as written (Node's client does not normalize it). */
function send(method: string, rawPath: string, body?: Buffer | string | Buffer[], headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // agent: false, so no keep-alive socket holds app.close() up for seconds
    const req = http.request({ host: '127.0.0.1', port, method, path: rawPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (Array.isArray(body)) {
      for (const b of body) req.write(b);
      req.end();
    } else {
      req.end(body);
    }
  });
}

const outsideSnapshot = () => snapshotOutside(dir, root);

function tempFilesUnder(d: string): string[] {
  return (readdirSync(d, { recursive: true }) as string[]).filter((p) => path.basename(p).startsWith(TEMP_PREFIX));
}

function expectInvalid(res: RawResponse, label: string): void {
  expect(res.status, `${label}: ${res.body}`).toBe(400);
  expect(JSON.parse(res.body), label).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/^Invalid path/) });
}

describe('path traversal', () => {
  // What follows ".../mlflow-artifacts/artifacts/" in the URL (and the value of ?path= for listings).
  const escapes = () => [
    '../canary.txt',
    '../../canary.txt',
    '1/../../canary.txt',
    '1/run/artifacts/../../../../canary.txt',
    '%2e%2e/canary.txt',
    '%2E%2E%2Fcanary.txt',
    '..%2fcanary.txt',
    '.%2e/canary.txt',
    '%2e%2e%2f%2e%2e%2fcanary.txt',
    '1/%2e%2e/%2e%2e/canary.txt',
    '%252e%252e%252fcanary.txt',
    '..%252fcanary.txt',
    '%25252e%25252e%25252fcanary.txt',
    '..%5ccanary.txt',
    '..\\canary.txt',
    '1\\..\\..\\canary.txt',
    `/${canary.slice(1)}`, // ".../artifacts//tmp/.../canary.txt": an absolute path
    encodeURIComponent(canary),
    `%252F${canary.slice(1)}`,
    'canary.txt%00.png',
    '..%00/canary.txt',
    '%00',
    'C:%5cWindows%5cwin.ini',
    `file:${encodeURIComponent(`//${canary}`)}`,
    `${TEMP_PREFIX}0123456789abcdef`,
    '1/run/artifacts/ok.txt%23fragment',
  ];

  it('refuses every spelling with 400 INVALID_PARAMETER_VALUE, for read, write, delete and list, touching nothing outside', async () => {
    expect(escapes().length).toBeGreaterThanOrEqual(15);
    const before = outsideSnapshot();
    for (const p of escapes()) {
      expectInvalid(await send('GET', `${API}/${p}`), `GET ${p}`);
      expectInvalid(await send('PUT', `${API}/${p}`, 'pwned', { 'content-type': 'text/plain' }), `PUT ${p}`);
      expectInvalid(await send('DELETE', `${API}/${p}`), `DELETE ${p}`);
      expectInvalid(await send('GET', `${API}?path=${p}`), `list ${p}`);
      expectInvalid(await send('PUT', `/ajax-api/2.0/mlflow-artifacts/artifacts/${p}`, 'pwned', { 'content-type': 'text/plain' }), `ajax PUT ${p}`);
    }
    expect(outsideSnapshot()).toEqual(before);
    expect(readFileSync(canary, 'utf8')).toBe('canary');
    // nothing was written inside the root either, and the legitimate file is still served
    expect(readdirSync(root, { recursive: true }).sort()).toEqual(['1', '1/run', '1/run/artifacts', '1/run/artifacts/ok.txt']);
    expect(await send('GET', `${API}/1/run/artifacts/ok.txt`)).toEqual({ status: 200, body: 'ok' });
  });

  it('refuses escapes in the tracking listing too', async () => {
    const store = new LocalArtifactStore({ root, maxBytes: MAX_BYTES });
    for (const p of ['../../..', '..%2f..', '%252e%252e', '/etc', 'a\\..\\..']) {
      await expect(listRunArtifacts(store, 'mlflow-artifacts:/1/run/artifacts', p), p).rejects.toBeInstanceOf(InvalidParameter);
    }
    await expect(listRunArtifacts(store, 'mlflow-artifacts:/1/run/../../..', '')).rejects.toBeInstanceOf(InvalidParameter);
  });
});

describe('symbolic links inside the root', () => {
  beforeEach(() => {
    symlinkSync(path.join(dir, 'outside'), path.join(root, '1/run/artifacts/escape'));
    symlinkSync(canary, path.join(root, '1/run/artifacts/escape.txt'));
    symlinkSync(path.join(root, '1/run'), path.join(root, 'inner'));
  });

  it('are never followed: reads, writes, deletes and listings through them are refused', async () => {
    const before = outsideSnapshot();
    const run = `${API}/1/run/artifacts`;
    expectInvalid(await send('GET', `${run}/escape/secret.txt`), 'read through a dir link');
    expectInvalid(await send('GET', `${run}/escape.txt`), 'read a file link');
    expectInvalid(await send('GET', `${API}/inner/artifacts/ok.txt`), 'read through a link that stays inside');
    expectInvalid(await send('PUT', `${run}/escape/new.txt`, 'pwned'), 'write through a dir link');
    expectInvalid(await send('PUT', `${run}/escape/sub/new.txt`, 'pwned'), 'mkdir through a dir link');
    expectInvalid(await send('PUT', `${run}/escape.txt`, 'pwned'), 'overwrite a file link');
    expectInvalid(await send('DELETE', `${run}/escape/secret.txt`), 'delete through a dir link');
    expectInvalid(await send('DELETE', `${run}/escape`), 'delete a dir link');
    expectInvalid(await send('DELETE', `${run}/escape.txt`), 'delete a file link');
    expectInvalid(await send('GET', `${API}?path=1/run/artifacts/escape`), 'list through a dir link');
    const store = new LocalArtifactStore({ root, maxBytes: MAX_BYTES });
    await expect(listRunArtifacts(store, 'mlflow-artifacts:/1/run/artifacts', 'escape')).rejects.toBeInstanceOf(InvalidParameter);

    // A listing shows neither link, and deleting the directory that holds them removes the links, not their targets.
    expect(JSON.parse((await send('GET', `${API}?path=1/run/artifacts`)).body)).toEqual({ files: [{ path: 'ok.txt', is_dir: false, file_size: 2 }] });
    expect((await send('DELETE', `${API}/1/run/artifacts`)).status).toBe(200);
    expect(existsSync(path.join(root, '1/run/artifacts'))).toBe(false);
    expect(outsideSnapshot()).toEqual(before);
    expect(readFileSync(canary, 'utf8')).toBe('canary');
    expect(readFileSync(path.join(dir, 'outside/secret.txt'), 'utf8')).toBe('secret');
  });
});

describe('size limit', () => {
  const target = `${API}/1/run/artifacts/big.bin`;

  it('accepts exactly the limit', async () => {
    const res = await send('PUT', target, Buffer.alloc(MAX_BYTES, 1), { 'content-type': 'application/octet-stream' });
    expect(res.status, res.body).toBe(200);
    expect(statSync(path.join(root, '1/run/artifacts/big.bin')).size).toBe(MAX_BYTES);
  });

  it('answers 413 over it, from Content-Length or while streaming, and leaves no partial file', async () => {
    writeFileSync(path.join(root, '1/run/artifacts/big.bin'), 'previous');
    const announced = await send('PUT', target, Buffer.alloc(MAX_BYTES + 1, 2), { 'content-type': 'application/octet-stream' });
    expect(announced.status, announced.body).toBe(413);
    expect(JSON.parse(announced.body)).toMatchObject({ error_code: expect.any(String), message: expect.stringContaining('FOODLENS_MAX_ARTIFACT_BYTES') });

    // chunked: no Content-Length, so the store finds out while writing
    const chunks = Array.from({ length: 40 }, () => Buffer.alloc(64 * 1024, 3));
    const streamed = await send('PUT', target, chunks, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
    expect(streamed.status, streamed.body).toBe(413);

    expect(readFileSync(path.join(root, '1/run/artifacts/big.bin'), 'utf8')).toBe('previous');
    expect(tempFilesUnder(root)).toEqual([]);
    // and the server is fine afterwards
    expect(await send('GET', `${API}/1/run/artifacts/ok.txt`)).toEqual({ status: 200, body: 'ok' });
  });

  it('removes the temporary file of an upload the client abandons', async () => {
    let sawTemp = false;
    await new Promise<void>((resolve) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        agent: false,
        method: 'PUT',
        path: `${API}/1/run/artifacts/abandoned.bin`,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(MAX_BYTES) },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(Buffer.alloc(256 * 1024, 4));
      // hang up only once the upload is half on disk, so there is a temporary file to clean up
      eventually(async () => (tempFilesUnder(root).length > 0 ? true : undefined), 5000).then(
        () => {
          sawTemp = true;
          req.destroy();
        },
        () => req.destroy(),
      );
    });
    expect(sawTemp).toBe(true);
    await eventually(async () => (tempFilesUnder(root).length === 0 ? true : undefined), 5000);
    expect(existsSync(path.join(root, '1/run/artifacts/abandoned.bin'))).toBe(false);
  });
});

describe('concurrency', () => {
  it('concurrent uploads to one path end with one complete file', async () => {
    const size = 512 * 1024;
    const bodies = Array.from({ length: 8 }, (_, i) => Buffer.alloc(size, i + 1));
    const results = await Promise.all(bodies.map((b) => send('PUT', `${API}/1/run/artifacts/same.bin`, b, { 'content-type': 'application/octet-stream' })));
    expect(results.map((r) => r.status)).toEqual(bodies.map(() => 200));
    const final = readFileSync(path.join(root, '1/run/artifacts/same.bin'));
    expect(final.length).toBe(size);
    expect(bodies.some((b) => b.equals(final))).toBe(true);
    expect(tempFilesUnder(root)).toEqual([]);
  });

  it('a reader never sees a half-written file while uploads replace it', async () => {
    const size = 256 * 1024;
    const p = `${API}/1/run/artifacts/live.bin`;
    await send('PUT', p, Buffer.alloc(size, 1));
    const writes = Array.from({ length: 6 }, (_, i) => send('PUT', p, Buffer.alloc(size, i + 2)));
    const reads = Array.from({ length: 12 }, () =>
      new Promise<Buffer>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject);
      }),
    );
    await Promise.all(writes);
    for (const body of await Promise.all(reads)) {
      expect(body.length).toBe(size);
      expect(body.every((b) => b === body[0])).toBe(true);
    }
  });
});
