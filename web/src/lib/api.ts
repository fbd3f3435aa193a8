// Typed calls to the FoodLens API. Responses are validated with the shared contracts so a server change that breaks
// the web app fails loudly here rather than rendering undefined.
import {
  AlertList,
  ConfidenceMonitoring,
  DriftReport,
  ErrorBody,
  Health,
  ModelVersionList,
  MonitoringHealth,
  PerformanceMonitoring,
  PredictionList,
  PredictionMonitoring,
  PredictResponse,
  VersionComparison,
  type TimeWindow,
} from '@foodlens/contracts';
import type { z } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** e.g. "GET /api/v1/mlops/monitoring/drift": which call failed, for error messages */
    readonly endpoint = '',
    /** the server's finer cause, e.g. no_reference */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** One call: the answer validated with `schema`, or an ApiError naming the endpoint. Each feature module (features/<name>/api.ts)
 * build their calls on it. */
export async function request<S extends z.ZodType>(schema: S, url: string, init?: RequestInit): Promise<z.infer<S>> {
  const endpoint = `${init?.method ?? 'GET'} ${url.split('?')[0]}`;
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, 'NETWORK_ERROR', `the server could not be reached (${(e as Error).message})`, endpoint);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(body);
    throw parsed.success
      ? new ApiError(res.status, parsed.data.error.code, parsed.data.error.message, endpoint, parsed.data.error.reason)
      : new ApiError(res.status, 'HTTP_ERROR', `${res.status} ${res.statusText}`, endpoint);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'body';
    throw new ApiError(res.status, 'BAD_RESPONSE', `unexpected response at ${where}: ${issue?.message ?? 'invalid'}`, endpoint);
  }
  return parsed.data;
}

/** Drops undefined values so optional filters are simply left out of the query string. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  return q.toString();
}

export function predict(file: File, userId?: string): Promise<PredictResponse> {
  const form = new FormData();
  if (userId) form.append('user_id', userId);
  form.append('file', file);
  return request(PredictResponse, '/api/v1/predict', { method: 'POST', body: form });
}

export function listPredictions(limit = 20, cursor?: string): Promise<PredictionList> {
  return request(PredictionList, `/api/v1/predictions?${query({ limit, cursor })}`);
}

export function getHealth(): Promise<Health> {
  return request(Health, '/health');
}

/** The dashboard's range and model filter, shared by the monitoring endpoints. */
export interface MonitoringFilter {
  window: TimeWindow;
  model?: string;
  version?: string;
}

export function getPredictionMonitoring(f: MonitoringFilter, topFoods = 10): Promise<PredictionMonitoring> {
  return request(
    PredictionMonitoring,
    `/api/v1/mlops/monitoring/predictions?${query({ ...f, top_foods: topFoods, top_users: 5 })}`,
  );
}

export function getConfidenceMonitoring(f: MonitoringFilter, bins = 10): Promise<ConfidenceMonitoring> {
  return request(ConfidenceMonitoring, `/api/v1/mlops/monitoring/confidence?${query({ ...f, bins })}`);
}

export function getPerformanceMonitoring(f: MonitoringFilter): Promise<PerformanceMonitoring> {
  return request(PerformanceMonitoring, `/api/v1/mlops/monitoring/performance?${query({ ...f })}`);
}

export function getMonitoringHealth(): Promise<MonitoringHealth> {
  return request(MonitoringHealth, '/api/v1/mlops/monitoring/health');
}

/** Drift of a model version (default: the model's champion) against its stored reference; 404 without a reference. */
export function getDrift(f: MonitoringFilter): Promise<DriftReport> {
  return request(DriftReport, `/api/v1/mlops/monitoring/drift?${query({ ...f })}`);
}

export function listModelVersions(window: TimeWindow, model?: string): Promise<ModelVersionList> {
  return request(ModelVersionList, `/api/v1/mlops/model-versions?${query({ window, model })}`);
}

export function compareVersions(model: string, versions: string[], window: TimeWindow): Promise<VersionComparison> {
  return request(VersionComparison, `/api/v1/mlops/compare?${query({ model, versions: versions.join(','), window })}`);
}

/** Pending and firing alerts. */
export function listCurrentAlerts(): Promise<AlertList> {
  return request(AlertList, `/api/v1/mlops/alerts?${query({ scope: 'current', history: 0 })}`);
}

/** RequestInit for a JSON body (POST, PUT, PATCH). */
export function jsonInit(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', body?: unknown): RequestInit {
  return body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
