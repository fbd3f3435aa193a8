// The registry's domain objects (MLflow's RegisteredModel and ModelVersion), in camelCase with epoch-ms times. The
// MLflow REST adapter prints them as MLflow's JSON; /api/v1 code and the deployment router use them as they are.

export interface RegistryTag {
  key: string;
  value: string;
}

/** MLflow's stages, in the order responses list them. Deprecated in MLflow since 2.9 in favour of aliases. */
export const MODEL_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

export interface ModelVersion {
  name: string;
  version: number;
  /** epoch ms */
  creationTime: number;
  /** epoch ms */
  lastUpdatedTime: number;
  description: string | null;
  userId: string | null;
  /** MLflow stage: 'None' | 'Staging' | 'Production' | 'Archived' */
  currentStage: string;
  source: string | null;
  runId: string | null;
  runLink: string | null;
  /** MLflow status: 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY' */
  status: string;
  statusMessage: string | null;
}

/** A version with what MLflow's responses carry beside the row: its tags and the aliases pointing at it. */
export interface ModelVersionDetail extends ModelVersion {
  tags: RegistryTag[];
  aliases: string[];
}

export interface RegisteredModelAlias {
  alias: string;
  version: number;
}

export interface RegisteredModel {
  name: string;
  creationTime: number;
  lastUpdatedTime: number;
  description: string | null;
  /** the highest version in each stage, in MODEL_STAGES order */
  latestVersions: ModelVersionDetail[];
  tags: RegistryTag[];
  aliases: RegisteredModelAlias[];
}

export interface RegistryPage<T> {
  items: T[];
  /** null on the last page */
  nextPageToken: string | null;
}
