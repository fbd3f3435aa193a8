// Typed calls to the FoodLens API. Responses are validated with the shared contracts so a server change that breaks
// the web app fails loudly here rather than rendering undefined.
import { ErrorBody, Health, PredictionList, PredictResponse } from '@foodlens/contracts';
import type { z } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<S extends z.ZodType>(schema: S, url: string, init?: RequestInit): Promise<z.infer<S>> {
  const res = await fetch(url, init);
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(body);
    throw parsed.success
      ? new ApiError(res.status, parsed.data.error.code, parsed.data.error.message)
      : new ApiError(res.status, 'HTTP_ERROR', `${res.status} ${res.statusText}`);
  }
  return schema.parse(body);
}

export function predict(file: File, userId?: string): Promise<PredictResponse> {
  const form = new FormData();
  if (userId) form.append('user_id', userId);
  form.append('file', file);
  return request(PredictResponse, '/api/v1/predict', { method: 'POST', body: form });
}

export function listPredictions(limit = 20, cursor?: string): Promise<PredictionList> {
  const q = new URLSearchParams({ limit: String(limit) });
  if (cursor) q.set('cursor', cursor);
  return request(PredictionList, `/api/v1/predictions?${q}`);
}

export function getHealth(): Promise<Health> {
  return request(Health, '/health');
}
