// The Models pages' calls: the MLflow registry (/api/2.0/mlflow), the serving view of versions, comparisons,
// deployments and model registration. Responses are validated: FoodLens contracts where they exist, local schemas for
// MLflow's registry JSON (which has no contract: it is MLflow's own format).
import {
  DeploymentState,
  ModelVersionList,
  RegisteredModelVersion,
  VersionComparison,
  type DeploymentConfig,
  type ServingSpec,
  type TimeWindow,
} from '@foodlens/contracts';
import { z } from 'zod';
import { ApiError, jsonInit, query, request } from '../../lib/api';

// ---- MLflow registry JSON (MLflow leaves out unset fields and empty lists) ----------------------------------------

const MlflowTag = z.object({ key: z.string(), value: z.string() });

export const MlflowModelVersion = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number(),
  user_id: z.string().optional(),
  current_stage: z.string(),
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string(),
  status_message: z.string().optional(),
  tags: z.array(MlflowTag).default([]),
  run_link: z.string().optional(),
  aliases: z.array(z.string()).default([]),
});
export type MlflowModelVersion = z.infer<typeof MlflowModelVersion>;

export const MlflowRegisteredModel = z.object({
  name: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number(),
  description: z.string().optional(),
  latest_versions: z.array(MlflowModelVersion).default([]),
  tags: z.array(MlflowTag).default([]),
  aliases: z.array(z.object({ alias: z.string(), version: z.string() })).default([]),
});
export type MlflowRegisteredModel = z.infer<typeof MlflowRegisteredModel>;

const RegisteredModelSearch = z.object({
  registered_models: z.array(MlflowRegisteredModel).default([]),
  next_page_token: z.string().optional(),
});
export type RegisteredModelSearch = z.infer<typeof RegisteredModelSearch>;

const ModelVersionSearch = z.object({
  model_versions: z.array(MlflowModelVersion).default([]),
  next_page_token: z.string().optional(),
});
export type ModelVersionSearch = z.infer<typeof ModelVersionSearch>;

const MlflowError = z.object({ error_code: z.string(), message: z.string() });
const Empty = z.object({});

/** Like lib/api's request, but MLflow's endpoints answer errors as {error_code, message}, not {error: {...}}: read
 * that shape so the user sees MLflow's own message. */
async function mlflowRequest<S extends z.ZodType>(schema: S, path: string, init?: RequestInit): Promise<z.infer<S>> {
  const url = `/api/2.0/mlflow/${path}`;
  const endpoint = `${init?.method ?? 'GET'} ${url.split('?')[0]}`;
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, 'NETWORK_ERROR', `the server could not be reached (${(e as Error).message})`, endpoint);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = MlflowError.safeParse(body);
    throw err.success
      ? new ApiError(res.status, err.data.error_code, err.data.message, endpoint)
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

/** An MLflow filter string literal: backslashes and the quote doubled, as MLflow's parser reads them. */
export function filterString(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

export function searchRegisteredModels(filter: string | undefined, maxResults: number, pageToken?: string): Promise<RegisteredModelSearch> {
  return mlflowRequest(
    RegisteredModelSearch,
    `registered-models/search?${query({ filter, max_results: maxResults, page_token: pageToken, order_by: 'name ASC' })}`,
  );
}

export async function getRegisteredModel(name: string): Promise<MlflowRegisteredModel> {
  const body = await mlflowRequest(z.object({ registered_model: MlflowRegisteredModel }), `registered-models/get?${query({ name })}`);
  return body.registered_model;
}

export function searchModelVersions(name: string, maxResults: number): Promise<ModelVersionSearch> {
  return mlflowRequest(
    ModelVersionSearch,
    `model-versions/search?${query({ filter: `name = ${filterString(name)}`, max_results: maxResults, order_by: 'version_number DESC' })}`,
  );
}

export async function setAlias(name: string, alias: string, version: string): Promise<void> {
  await mlflowRequest(Empty, 'registered-models/alias', jsonInit('POST', { name, alias, version }));
}

export async function deleteAlias(name: string, alias: string): Promise<void> {
  await mlflowRequest(Empty, 'registered-models/alias', jsonInit('DELETE', { name, alias }));
}

export async function transitionStage(name: string, version: string, stage: string, archiveExisting: boolean): Promise<void> {
  await mlflowRequest(
    z.object({ model_version: MlflowModelVersion }),
    'model-versions/transition-stage',
    jsonInit('POST', { name, version, stage, archive_existing_versions: archiveExisting }),
  );
}

// ---- FoodLens API ------------------------------------------------------------------------------------------------

/** Every version with its serving state; all models when `model` is left out. */
export function listModelVersions(window: TimeWindow, model?: string): Promise<ModelVersionList> {
  return request(ModelVersionList, `/api/v1/mlops/model-versions?${query({ window, model })}`);
}

export function compareVersions(model: string, versions: string[], window: TimeWindow): Promise<VersionComparison> {
  return request(VersionComparison, `/api/v1/mlops/compare?${query({ model, versions: versions.join(','), window })}`);
}

export function getDeployment(model: string, history = 10): Promise<DeploymentState> {
  return request(DeploymentState, `/api/v1/mlops/deployment?${query({ model, history })}`);
}

/** Answers once the new versions are loaded and warmed, so it can take seconds. */
export function putDeployment(model: string, config: DeploymentConfig, comment?: string): Promise<DeploymentState> {
  return request(DeploymentState, '/api/v1/mlops/deployment', jsonInit('PUT', { model, ...config, comment }));
}

export function rollbackDeployment(model: string): Promise<DeploymentState> {
  return request(DeploymentState, '/api/v1/mlops/deployment/rollback', jsonInit('POST', { model }));
}

export interface Registration {
  name: string;
  description?: string;
  spec: ServingSpec | string;
  files: File[];
}

/** Multipart: the fields first, then the file(s), as the server reads them in order. */
export function registerModel(r: Registration): Promise<RegisteredModelVersion> {
  const form = new FormData();
  form.append('name', r.name);
  if (r.description) form.append('description', r.description);
  form.append('spec', typeof r.spec === 'string' ? r.spec : JSON.stringify(r.spec));
  for (const f of r.files) form.append('file', f, f.name);
  return request(RegisteredModelVersion, '/api/v1/mlops/register-model', { method: 'POST', body: form });
}
