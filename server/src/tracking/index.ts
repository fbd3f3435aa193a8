// The tracking module's public surface: the service, its types, and the defaults other code may need.
export * from './types.js';
export { createTrackingService, ensureDefaultExperiment, type TrackingServiceOptions } from './tracking.service.js';
export { defaultArtifactLocation } from './experiments.service.js';
export { DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME } from './experiments.repository.js';
export { RUN_NAME_TAG } from './runs.service.js';
export { LOGGED_MODELS_TAG } from './log-batch.service.js';
export { DATASET_CONTEXT_TAG } from './inputs.service.js';
export {
  MAX_ENTITY_KEY_LENGTH,
  MAX_METRICS_PER_BATCH,
  MAX_PARAMS_TAGS_PER_BATCH,
  MAX_PARAM_VAL_LENGTH,
  MAX_TAG_VAL_LENGTH,
  SEARCH_MAX_RESULTS_DEFAULT,
  SEARCH_MAX_RESULTS_THRESHOLD,
} from './validation.js';
