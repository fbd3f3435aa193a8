import { describe, expect, it } from 'vitest';
import { AccessGate } from './access-gate.js';
import { readCredentials } from './credentials.js';
import { TokenVerifier } from './token-verifier.js';
import { parseTokenList } from './tokens.js';

const ADMIN = 'admin-token-0123456789abcdef';
const WRITER = 'writer-token-0123456789abcdef';
const READER = 'reader-token-0123456789abcdef';
const tokens = parseTokenList(`admin:${ADMIN}:alice,writer:${WRITER},reader:${READER}:dash`);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('readCredentials', () => {
  it('reads Bearer, and Basic with the token as password (any username)', () => {
    expect(readCredentials(`Bearer ${READER}`)).toEqual({ kind: 'token', scheme: 'bearer', token: READER });
    expect(readCredentials(`bearer  ${READER} `)).toEqual({ kind: 'token', scheme: 'bearer', token: READER });
    expect(readCredentials(basic('mlflow', READER))).toEqual({ kind: 'token', scheme: 'basic', token: READER });
    expect(readCredentials(basic('', `${READER}`))).toEqual({ kind: 'token', scheme: 'basic', token: READER });
    // a colon in the password stays in it
    expect(readCredentials(basic('u', 'a:b'))).toEqual({ kind: 'token', scheme: 'basic', token: 'a:b' });
  });

  it('tells none from unreadable', () => {
    expect(readCredentials(undefined)).toEqual({ kind: 'none' });
    expect(readCredentials('')).toEqual({ kind: 'none' });
    expect(readCredentials('Token abc').kind).toBe('malformed');
    expect(readCredentials('Bearer').kind).toBe('malformed');
    expect(readCredentials(`Basic ${Buffer.from('no-colon').toString('base64')}`).kind).toBe('malformed');
    expect(readCredentials(['Bearer a', 'Bearer b']).kind).toBe('malformed');
  });
});

describe('TokenVerifier', () => {
  it('knows each configured token, nothing near it, and keeps no token', () => {
    const v = new TokenVerifier(tokens);
    expect(v.verify(ADMIN)).toEqual({ role: 'admin', name: 'alice' });
    expect(v.verify(READER)).toEqual({ role: 'reader', name: 'dash' });
    expect(v.verify(WRITER)).toEqual({ role: 'writer', name: null });
    for (const guess of ['', ADMIN.slice(0, -1), `${ADMIN}x`, ADMIN.toUpperCase(), 'x'.repeat(1000)]) expect(v.verify(guess)).toBeNull();
    expect(JSON.stringify(v)).not.toContain(ADMIN);
  });
});

describe('AccessGate', () => {
  const gate = new AccessGate({ tokens, predictRequiresToken: false });

  it('lets a role do what it and the roles below it may, and no more', () => {
    const bearer = (t: string) => `Bearer ${t}`;
    const allowed = (method: string, url: string, token: string) => gate.check(method, url, bearer(token)).allowed;
    expect(allowed('GET', '/api/v1/predictions', READER)).toBe(true);
    expect(allowed('POST', '/api/v1/predictions/:id/feedback', READER)).toBe(false);
    expect(allowed('POST', '/api/v1/predictions/:id/feedback', WRITER)).toBe(true);
    expect(allowed('PUT', '/api/v1/mlops/deployment', WRITER)).toBe(false);
    expect(allowed('PUT', '/api/v1/mlops/deployment', ADMIN)).toBe(true);
    expect(allowed('GET', '/metrics', ADMIN)).toBe(true);
  });

  it('answers 401 without a token or with a wrong one, 403 with too low a role', () => {
    expect(gate.check('GET', '/metrics', undefined)).toMatchObject({ allowed: false, refusal: { status: 401, reason: 'missing_token' } });
    expect(gate.check('GET', '/metrics', undefined)).toMatchObject({ refusal: { message: expect.stringMatching(/^A reader token is needed/) } });
    expect(gate.check('PUT', '/api/v1/mlops/deployment', undefined)).toMatchObject({ refusal: { message: expect.stringMatching(/^An admin token is needed/) } });
    expect(gate.check('GET', '/metrics', 'Bearer not-a-token-at-all')).toMatchObject({ allowed: false, refusal: { status: 401, reason: 'invalid_token' } });
    expect(gate.check('GET', '/metrics', 'Digest x')).toMatchObject({ allowed: false, refusal: { status: 401, reason: 'invalid_token' } });
    const denied = gate.check('PUT', '/api/v1/mlops/deployment', basic('x', READER));
    expect(denied).toMatchObject({ allowed: false, refusal: { status: 403, reason: 'insufficient_role', need: 'admin' } });
    expect(!denied.allowed && denied.refusal.message).toBe('This needs the admin role; the token of dash has the reader role.');
  });

  it('leaves open routes open, whatever is sent; predict by setting', () => {
    expect(gate.check('GET', '/health', undefined).allowed).toBe(true);
    expect(gate.check('GET', '/health', 'Bearer wrong').allowed).toBe(true);
    expect(gate.check('POST', '/api/v1/predict', undefined).allowed).toBe(true);
    const closed = new AccessGate({ tokens, predictRequiresToken: true });
    expect(closed.check('POST', '/api/v1/predict', undefined)).toMatchObject({ allowed: false, refusal: { status: 401 } });
    expect(closed.check('POST', '/api/v1/predict', `Bearer ${READER}`).allowed).toBe(true);
  });

  it('closes a route the table has no rule for to all but admin', () => {
    expect(gate.need('POST', '/api/v1/not-in-the-table')).toBe('admin');
    expect(gate.check('POST', '/api/v1/not-in-the-table', `Bearer ${WRITER}`).allowed).toBe(false);
  });

  it('allows everything when no token is configured', () => {
    const off = new AccessGate({ tokens: [], predictRequiresToken: true });
    expect(off.required).toBe(false);
    expect(off.check('PUT', '/api/v1/mlops/deployment', undefined).allowed).toBe(true);
    expect(off.check('POST', '/api/v1/not-in-the-table', undefined).allowed).toBe(true);
  });
});
