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
  WhoAmI,
} from '@foodlens/contracts';
import { z } from 'zod';
import { reportUnauthorised, storedToken } from './auth-token';

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

/** MLflow's own error body, which the /api/2.0/mlflow endpoints answer (FoodLens's is ErrorBody). */
const MlflowErrorBody = z.object({ error_code: z.string(), message: z.string() });

const endpointOf = (url: string, init?: RequestInit) => `${init?.method ?? 'GET'} ${url.split('?')[0]}`;

/** A failed answer as an ApiError with the server's code and message, from whichever of the two error bodies it is. */
function errorOf(res: Response, body: unknown, endpoint: string): ApiError {
  const foodlens = ErrorBody.safeParse(body);
  if (foodlens.success) {
    const { code, message, reason } = foodlens.data.error;
    return new ApiError(res.status, code, message, endpoint, reason);
  }
  const mlflow = MlflowErrorBody.safeParse(body);
  if (mlflow.success) return new ApiError(res.status, mlflow.data.error_code, mlflow.data.message, endpoint);
  return new ApiError(res.status, 'HTTP_ERROR', `${res.status} ${res.statusText}`, endpoint);
}

/** fetch whose failures are ApiErrors naming the endpoint; the body of a successful answer is left unread, for callers
 * that stream it (request() reads JSON). An abort is rethrown as is: the caller cancelled, the server is not at fault.
 * The stored access token goes along as Bearer, unless the call brings its own; a 401 for the stored one (or for none)
 * opens the token dialog. */
export async function fetchOk(url: string, init?: RequestInit): Promise<Response> {
  const endpoint = endpointOf(url, init);
  const headers = new Headers(init?.headers);
  const ownCredentials = headers.has('authorization');
  const token = storedToken();
  if (token !== null && !ownCredentials) headers.set('authorization', `Bearer ${token}`);
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', `the server could not be reached (${(e as Error).message})`, endpoint);
  }
  if (res.status === 401 && !ownCredentials) reportUnauthorised(token !== null);
  if (!res.ok) throw errorOf(res, await res.json().catch(() => null), endpoint);
  return res;
}

/** One call: the answer validated with `schema`, or an ApiError naming the endpoint. Each feature module (features/<name>/api.ts)
 * builds its calls on it, FoodLens's endpoints and MLflow's alike. */
export async function request<S extends z.ZodType>(schema: S, url: string, init?: RequestInit): Promise<z.infer<S>> {
  const res = await fetchOk(url, init);
  const parsed = schema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'body';
    throw new ApiError(res.status, 'BAD_RESPONSE', `unexpected response at ${where}: ${issue?.message ?? 'invalid'}`, endpointOf(url, init));
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

/** Whether the server needs a token, and the role of the stored one. */
export function getWhoAmI(): Promise<WhoAmI> {
  return request(WhoAmI, '/api/v1/auth/whoami');
}

/** What a token typed into the dialog may do; a token the server does not know fails with a 401 ApiError. */
export function checkToken(token: string): Promise<WhoAmI> {
  return request(WhoAmI, '/api/v1/auth/whoami', { headers: { authorization: `Bearer ${token}` } });
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
