import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiError, fetchOk, request } from './api';

const answer = (status: number, body: unknown) =>
  vi.fn().mockResolvedValue(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

const failure = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
};

afterEach(() => vi.unstubAllGlobals());

describe('request', () => {
  it('returns the validated answer', async () => {
    vi.stubGlobal('fetch', answer(200, { n: 1 }));
    expect(await request(z.object({ n: z.number() }), '/api/v1/x?a=1')).toEqual({ n: 1 });
  });

  it("reads FoodLens's error body, reason included", async () => {
    vi.stubGlobal('fetch', answer(422, { error: { code: 'INVALID_PARAMETER_VALUE', message: 'bad file', reason: 'bad_format' } }));
    const e = await failure(request(z.object({}), '/api/v1/mlops/register-model?x=1', { method: 'POST' }));
    expect(e).toMatchObject({ status: 422, code: 'INVALID_PARAMETER_VALUE', message: 'bad file', reason: 'bad_format' });
    expect(e.endpoint).toBe('POST /api/v1/mlops/register-model');
  });

  it("reads MLflow's error body", async () => {
    vi.stubGlobal('fetch', answer(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run abc not found' }));
    const e = await failure(request(z.object({}), '/api/2.0/mlflow/runs/get?run_id=abc'));
    expect(e).toMatchObject({ status: 404, code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run abc not found', reason: undefined });
    expect(e.endpoint).toBe('GET /api/2.0/mlflow/runs/get');
  });

  it('falls back to the status for any other error body', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('<html>', { status: 502, statusText: 'Bad Gateway' })));
    expect(await failure(request(z.object({}), '/api/v1/x'))).toMatchObject({ code: 'HTTP_ERROR', message: '502 Bad Gateway' });
  });

  it('names a response that does not match the schema', async () => {
    vi.stubGlobal('fetch', answer(200, { n: 'one' }));
    const e = await failure(request(z.object({ n: z.number() }), '/api/v1/x'));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toMatch(/^unexpected response at n: /);
  });

  it('says when the server cannot be reached, but lets an abort through', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    expect(await failure(request(z.object({}), '/api/v1/x'))).toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    const abort = new DOMException('aborted', 'AbortError');
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(abort));
    await expect(fetchOk('/api/v1/x')).rejects.toBe(abort);
  });
});
