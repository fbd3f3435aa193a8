// The Models pages' calls: the MLflow registry (/api/2.0/mlflow), deployments and model registration (the serving view
// of versions and comparisons are lib/api's). Responses are validated: FoodLens contracts where they exist, local
// schemas for MLflow's registry JSON (which has no contract: it is MLflow's own format).
import { DeploymentState, RegisteredModelVersion, type DeploymentConfig, type ServingSpec } from '@foodlens/contracts';
import { z } from 'zod';
import { jsonInit, query, request } from '../../lib/api';

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

const Empty = z.object({});
const MLFLOW = '/api/2.0/mlflow';

/** An MLflow filter string literal: backslashes and the quote doubled, as MLflow's parser reads them. */
export function filterString(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

export function searchRegisteredModels(filter: string | undefined, maxResults: number, pageToken?: string): Promise<RegisteredModelSearch> {
  return request(
    RegisteredModelSearch,
    `${MLFLOW}/registered-models/search?${query({ filter, max_results: maxResults, page_token: pageToken, order_by: 'name ASC' })}`,
  );
}

export async function getRegisteredModel(name: string): Promise<MlflowRegisteredModel> {
  const body = await request(z.object({ registered_model: MlflowRegisteredModel }), `${MLFLOW}/registered-models/get?${query({ name })}`);
  return body.registered_model;
}

export function searchModelVersions(name: string, maxResults: number): Promise<ModelVersionSearch> {
  return request(
    ModelVersionSearch,
    `${MLFLOW}/model-versions/search?${query({ filter: `name = ${filterString(name)}`, max_results: maxResults, order_by: 'version_number DESC' })}`,
  );
}

export async function setAlias(name: string, alias: string, version: string): Promise<void> {
  await request(Empty, `${MLFLOW}/registered-models/alias`, jsonInit('POST', { name, alias, version }));
}

export async function deleteAlias(name: string, alias: string): Promise<void> {
  await request(Empty, `${MLFLOW}/registered-models/alias`, jsonInit('DELETE', { name, alias }));
}

export async function transitionStage(name: string, version: string, stage: string, archiveExisting: boolean): Promise<void> {
  await request(
    z.object({ model_version: MlflowModelVersion }),
    `${MLFLOW}/model-versions/transition-stage`,
    jsonInit('POST', { name, version, stage, archive_existing_versions: archiveExisting }),
  );
}

// ---- FoodLens API ------------------------------------------------------------------------------------------------

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
