import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiError, checkToken, request } from './api';
import { forgetToken, onUnauthorised, storedToken, storeToken } from './auth-token';

const answer = (status: number, body: unknown) =>
  vi.fn().mockResolvedValue(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
const sentAuthorization = (fetch: ReturnType<typeof vi.fn>) => new Headers((fetch.mock.calls[0]![1] as RequestInit).headers).get('authorization');
const REFUSED = { error: { code: 'UNAUTHENTICATED', message: 'A reader token is needed', reason: 'missing_token' } };

afterEach(() => {
  vi.unstubAllGlobals();
  forgetToken();
});

describe('the access token', () => {
  it('is kept in sessionStorage, not localStorage', () => {
    const session = new Map<string, string>();
    const fake = { getItem: (k: string) => session.get(k) ?? null, setItem: (k: string, v: string) => session.set(k, v), removeItem: (k: string) => session.delete(k) };
    vi.stubGlobal('sessionStorage', fake);
    const local = vi.fn();
    vi.stubGlobal('localStorage', { getItem: local, setItem: local, removeItem: local });
    storeToken('tok-123');
    expect(session.get('foodlens.token')).toBe('tok-123');
    expect(storedToken()).toBe('tok-123');
    forgetToken();
    expect(session.has('foodlens.token')).toBe(false);
    expect(local).not.toHaveBeenCalled();
  });

  it('goes with every request as Bearer once kept, and not before', async () => {
    const fetch = answer(200, { n: 1 });
    vi.stubGlobal('fetch', fetch);
    await request(z.object({ n: z.number() }), '/api/v1/x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(sentAuthorization(fetch)).toBeNull();
    storeToken('tok-123');
    const second = answer(200, { n: 1 });
    vi.stubGlobal('fetch', second);
    await request(z.object({ n: z.number() }), '/api/v1/x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(sentAuthorization(second)).toBe('Bearer tok-123');
    expect(new Headers((second.mock.calls[0]![1] as RequestInit).headers).get('content-type')).toBe('application/json');
  });

  it('a 401 asks for a token again; checking a typed token does not', async () => {
    const refused = vi.fn();
    const stop = onUnauthorised(refused);
    try {
      storeToken('old-token');
      vi.stubGlobal('fetch', answer(401, REFUSED));
      const e = await request(z.object({}), '/api/v1/predictions').catch((err: unknown) => err);
      expect(e).toBeInstanceOf(ApiError);
      expect(e).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(refused).toHaveBeenCalledTimes(1);
      expect(refused).toHaveBeenLastCalledWith(true);
      forgetToken();
      await request(z.object({}), '/api/v1/predictions').catch(() => null);
      expect(refused).toHaveBeenLastCalledWith(false);

      const fetch = answer(401, REFUSED);
      vi.stubGlobal('fetch', fetch);
      await expect(checkToken('typed-token')).rejects.toMatchObject({ status: 401 });
      expect(sentAuthorization(fetch)).toBe('Bearer typed-token');
      expect(refused).toHaveBeenCalledTimes(2);
    } finally {
      stop();
    }
  });
});
