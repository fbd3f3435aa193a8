// Property-based tests of artifact paths: arbitrary path strings ('..', '%2e%2e' and double encodings, backslashes,
// NUL, absolute paths, drive letters, unicode look-alikes, lone surrogates, over-long names) never reach outside the
// artifact root. Checked on the real filesystem: the root sits six levels deep in a temporary folder next to a canary
// file and a secret folder, and no path may hold more '..' than that, so any escape would land inside the folder
// and show in its snapshot. Two layers: the store itself (every method, and the run-artifact listing), and the MLflow
// artifact proxy over a real socket (app.inject would normalise '..' before the server saw it), where every refusal
// must be a 4xx in MLflow's JSON error shape.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameworkErrors, registerErrorHandler } from '../../src/api/error-handler.js';
import { LocalArtifactStore, listRunArtifacts, resolveArtifactUri } from '../../src/artifacts/artifact-store.js';
import { artifactRoutes } from '../../src/artifacts/artifacts.routes.js';
import { AppError } from '../../src/util/errors.js';
import { runs } from './fc-config.js';
import { snapshotOutside } from '../fs-snapshot.js';

const DEPTH = 6;
let dir: string;
let root: string;
let store: LocalArtifactStore;

const outsideSnapshot = () => snapshotOutside(dir, root);

/** Everything under the root is a plain file or folder whose real path is inside the root. */
function expectRootContained(): void {
  const realRoot = realpathSync(root);
  for (const rel of readdirSync(root, { recursive: true }) as string[]) {
    const p = path.join(root, rel);
    const st = lstatSync(p);
    expect(st.isFile() || st.isDirectory(), `${rel} is a file or folder`).toBe(true);
    expect(realpathSync(p).startsWith(realRoot + path.sep), `${rel} inside the root`).toBe(true);
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-hostile-paths-'));
  root = path.join(dir, ...Array.from({ length: DEPTH - 1 }, (_, i) => `d${i}`), 'artifacts');
  mkdirSync(path.join(root, '1/run/artifacts'), { recursive: true });
  writeFileSync(path.join(root, '1/run/artifacts/ok.txt'), 'ok');
  writeFileSync(path.join(dir, 'canary.txt'), 'canary');
  mkdirSync(path.join(dir, 'outside'));
  writeFileSync(path.join(dir, 'outside', 'secret.txt'), 'secret');
  store = new LocalArtifactStore({ root, maxBytes: 1024 });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------
// Hostile paths

const SEGMENTS = [
  '..', '.', '', '...', '%2e%2e', '%2E%2e', '.%2e', '%2e.', '%252e%252e', '%25252e%25252e', '%2f', '%2F', '%5c', '%255c', '%00', '%',
  '%%', '%zz', '%e2%80%ae', '%ff%fe', '\\', '..\\..', '\u0000', '\u0001', '\u007f', '\n', '#', '?', ';', ':', 'C:', 'c:%5c', 'file:',
  'file:%2F%2F', '~', '$HOME', '\u2024\u2024', '\uff0e\uff0e', '\u002e\u0301\u002e', '\u202e', '\ufeff', '\u00e9', '\u{1F355}', '\ud800',
  '\udfff', 'a', 'b.txt', '1', 'run', 'artifacts', 'ok.txt', 'x'.repeat(256), '\u00e9'.repeat(128), '.foodlens-tmp-0123', 'canary.txt',
  'outside', 'secret.txt',
];

/** A path string; at most DEPTH '..'-like segments, so an escape cannot get above `dir`. */
function hostilePath(absolute: () => string): fc.Arbitrary<string> {
  const segment = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...SEGMENTS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  );
  const joined = fc
    .tuple(fc.array(segment, { minLength: 1, maxLength: 8 }), fc.constantFrom('/', '//', '\\', '/./'), fc.constantFrom('', '/'))
    .map(([segs, sep, lead]) => lead + segs.join(sep));
  return fc
    .oneof(
      { weight: 8, arbitrary: joined },
      { weight: 1, arbitrary: fc.constant(null).map(() => absolute()) },
      { weight: 1, arbitrary: fc.constantFrom('../canary.txt', '../../../../../../canary.txt', '1/run/artifacts/../../../../../../../outside/secret.txt') },
    )
    .filter((p) => p.split(/[/\\]|%2f|%5c/i).filter((s) => /^(\.|%2e|%252e|%25252e){2}$/i.test(s)).length <= DEPTH);
}

const isClientError = (err: unknown) => err instanceof AppError && err.statusCode >= 400 && err.statusCode < 500;

async function drain(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

describe('the artifact store', () => {
  it('put/get/list/delete on arbitrary paths: a 4xx AppError or an effect inside the root, nothing outside touched', async () => {
    const before = outsideSnapshot();
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(
        hostilePath(() => path.join(dir, 'outside', 'secret.txt')),
        fc.constantFrom('put', 'get', 'list', 'delete'),
        async (p, op) => {
          try {
            if (op === 'put') {
              const body = Buffer.from(`pwned ${p}`);
              await store.put(p, (async function* () {
                yield body;
              })());
              // stored: it reads back whole, from a place inside the root
              const { stream } = await store.get(p);
              expect((await drain(stream)).equals(body)).toBe(true);
              stored += 1;
            } else if (op === 'get') {
              const { stream } = await store.get(p);
              await drain(stream);
            } else if (op === 'list') {
              for (const f of await store.list(p)) expect(f.path).not.toMatch(/[/\\]/);
            } else {
              // never the canary's own folder: only what lies below the root
              await store.delete(p);
            }
          } catch (err) {
            if (!isClientError(err)) throw err;
          }
        },
      ),
      runs(600),
    );
    expect(outsideSnapshot()).toEqual(before);
    expectRootContained();
    // some paths were legitimate, so the property saw both sides
    expect(stored).toBeGreaterThan(0);
  });

  it('the run-artifact listing and mlflow-artifacts: URIs refuse the same paths', async () => {
    await fc.assert(
      fc.asyncProperty(hostilePath(() => dir), hostilePath(() => dir), async (p, uriPath) => {
        for (const call of [() => listRunArtifacts(store, 'mlflow-artifacts:/1/run/artifacts', p), async () => resolveArtifactUri(`mlflow-artifacts:/${uriPath}`)]) {
          try {
            await call();
          } catch (err) {
            if (!isClientError(err)) throw err;
          }
        }
        const resolved = (() => {
          try {
            return resolveArtifactUri(`mlflow-artifacts:/${uriPath}`);
          } catch {
            return null;
          }
        })();
        if (resolved !== null) expect(path.resolve(root, resolved).startsWith(root)).toBe(true);
      }),
      runs(400),
    );
    expectRootContained();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The proxy over a real socket

describe('the MLflow artifact proxy over HTTP', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    // frameworkErrors as buildApp should pass it: a malformed escape in the path fails before routing
    app = Fastify({ logger: false, frameworkErrors });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    await app.register(artifactRoutes, { store });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
  });

  /** The path as a request target: bytes outside printable Latin-1 percent-encoded (as UTF-8), all else raw. */
  function target(p: string): string {
    let out = '';
    for (const ch of p) {
      const c = ch.codePointAt(0)!;
      out += c > 0x20 && c < 0x7f ? ch : [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    }
    return out;
  }

  function send(method: string, rawPath: string, body?: string): Promise<{ status: number; type: string; body: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/octet-stream' };
      const req = http.request({ host: '127.0.0.1', port, method, path: rawPath, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers 2xx inside the root or a 4xx MLflow error, never 5xx, and writes nothing outside', async () => {
    const before = outsideSnapshot();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        hostilePath(() => path.join(dir, 'canary.txt')),
        fc.constantFrom('GET', 'PUT', 'DELETE', 'LIST'),
        fc.constantFrom('/api/2.0', '/ajax-api/2.0'),
        async (p, op, prefix) => {
          const base = `${prefix}/mlflow-artifacts/artifacts`;
          const res =
            op === 'LIST'
              ? await send('GET', `${base}?path=${target(p).replaceAll('&', '%26').replaceAll('#', '%23')}`)
              : await send(op, `${base}/${target(p)}`, op === 'PUT' ? 'pwned' : undefined);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${op} ${JSON.stringify(p)}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.type).toMatch(/^application\/json/);
            expect(JSON.parse(res.body)).toEqual({ error_code: expect.any(String), message: expect.any(String) });
          }
        },
      ),
      runs(500),
    );
    expect(outsideSnapshot()).toEqual(before);
    expect(readFileSync(path.join(dir, 'canary.txt'), 'utf8')).toBe('canary');
    expectRootContained();
    // both sides seen: accepted and refused requests
    expect([...statuses.keys()].some((s) => s < 300) && [...statuses.keys()].some((s) => s === 400), JSON.stringify([...statuses])).toBe(true);
  });
});
