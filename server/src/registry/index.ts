// The model registry: MLflow's registered models, versions, tags, aliases and stages over the store, plus the events
// serving follows. The MLflow REST routes (api/mlflow/registry-*.routes.ts) and /api/v1 code use these.
export * from './types.js';
export { registryEvents, RegistryEvents, type RegistryEvent, type RegistryEventType } from './registry-events.js';
export type { RegistryDb } from './registry-db.js';
export {
  ensureModelVersion,
  getModelVersion,
  listModelVersions,
  parseModelVersion,
  InvalidModelVersionError,
  type EnsureModelVersionInput,
} from './registry.service.js';
export {
  createModelVersion,
  deleteModelVersion,
  deleteModelVersionTag,
  getLatestVersions,
  getModelVersionDetail,
  getModelVersionDownloadUri,
  setModelVersionTag,
  transitionModelVersionStage,
  updateModelVersion,
  type CreateModelVersionInput,
} from './model-versions.service.js';
export {
  createRegisteredModel,
  deleteRegisteredModel,
  deleteRegisteredModelTag,
  getRegisteredModel,
  renameRegisteredModel,
  setRegisteredModelTag,
  updateRegisteredModel,
  type CreateRegisteredModelInput,
} from './registered-models.service.js';
export { deleteAlias, getAliasVersion, getModelVersionByAlias, listAliases, setAlias } from './aliases.js';
export {
  MODEL_VERSIONS_MAX_RESULTS,
  REGISTERED_MODELS_MAX_RESULTS,
  searchModelVersions,
  searchRegisteredModels,
  type RegistrySearchInput,
} from './registry-search.js';
export {
  ACTIVE_STAGES,
  canonicalStage,
  MAX_REGISTERED_MODEL_ALIAS_LENGTH,
  MAX_REGISTERED_MODEL_TAG_KEY_LENGTH,
  MAX_REGISTERED_MODEL_TAG_VALUE_LENGTH,
  validateAlias,
} from './registry-validation.js';
