// MLflow's registry input rules (mlflow/utils/validation.py and the model-registry store, 2.12), with its messages.
// Pure functions: they throw InvalidParameter (400 INVALID_PARAMETER_VALUE) or return the value to use.
import { checkLength, validateKey } from '../tracking/validation.js';
import { InvalidParameter } from '../util/errors.js';
import { MODEL_STAGES, type ModelStage, type RegistryTag } from './types.js';

export const MAX_REGISTERED_MODEL_TAG_KEY_LENGTH = 250;
export const MAX_REGISTERED_MODEL_TAG_VALUE_LENGTH = 5000;
export const MAX_MODEL_VERSION_TAG_KEY_LENGTH = 250;
export const MAX_MODEL_VERSION_TAG_VALUE_LENGTH = 5000;
export const MAX_REGISTERED_MODEL_ALIAS_LENGTH = 255;
/** PostgreSQL's integer column; MLflow versions are positive int32 too */
const MAX_VERSION = 2_147_483_647;

export function validateModelName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new InvalidParameter('Registered model name cannot be empty.');
  return name;
}

/**
 * A version as requests give it ("3" or 3). MLflow's message; 400 rather than 404 because no version could ever
 * have that number.
 */
export function validateVersion(version: unknown): number {
  const n = typeof version === 'string' && /^\s*\d+\s*$/.test(version) ? Number(version) : version;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > MAX_VERSION) {
    throw new InvalidParameter(`Model version must be an integer, got '${String(version)}'`);
  }
  return n;
}

/** Registered-model and model-version tags: MLflow's tag-name rules; keys and values over the limits are refused. */
export function validateRegistryTag(owner: 'Registered model' | 'Model version', key: unknown, value: unknown): RegistryTag {
  const k = validateKey('tag', key);
  checkLength(`${owner} key`, owner === 'Registered model' ? MAX_REGISTERED_MODEL_TAG_KEY_LENGTH : MAX_MODEL_VERSION_TAG_KEY_LENGTH, k);
  if (typeof value !== 'string') throw new InvalidParameter(`${owner} tag value for key '${k}' must be a string`);
  checkLength(`${owner} value`, owner === 'Registered model' ? MAX_REGISTERED_MODEL_TAG_VALUE_LENGTH : MAX_MODEL_VERSION_TAG_VALUE_LENGTH, value);
  return { key: k, value };
}

export function validateRegistryTags(owner: 'Registered model' | 'Model version', tags: readonly RegistryTag[] | undefined): RegistryTag[] {
  // A repeated key keeps the last value, as MLflow's session merge does.
  const byKey = new Map<string, RegistryTag>();
  for (const t of tags ?? []) {
    const valid = validateRegistryTag(owner, t.key, t.value);
    byKey.set(valid.key, valid);
  }
  return [...byKey.values()];
}

const ALIAS = /^[\w-]*$/;
const VERSION_ALIAS = /^[vV]\d+$/;

/** Alias names: word characters and dashes, at most 255; `latest` and `v<digits>` are reserved (they name versions). */
export function validateAlias(alias: unknown): string {
  if (typeof alias !== 'string' || alias === '') throw new InvalidParameter('Registered model alias name cannot be empty.');
  if (!ALIAS.test(alias)) {
    throw new InvalidParameter(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`);
  }
  checkLength('Registered model alias name', MAX_REGISTERED_MODEL_ALIAS_LENGTH, alias);
  if (alias.toLowerCase() === 'latest') throw new InvalidParameter("'latest' alias name (case insensitive) is reserved.");
  if (VERSION_ALIAS.test(alias)) throw new InvalidParameter(`Version alias name '${alias}' is reserved.`);
  return alias;
}

const CANONICAL_STAGES = new Map<string, ModelStage>(MODEL_STAGES.map((s) => [s.toLowerCase(), s]));

/** Stage names are case-insensitive; answered in MLflow's spelling. */
export function canonicalStage(stage: unknown): ModelStage {
  const found = typeof stage === 'string' ? CANONICAL_STAGES.get(stage.toLowerCase()) : undefined;
  if (!found) {
    throw new InvalidParameter(`Invalid Model Version stage: ${String(stage)}. Value must be one of ${MODEL_STAGES.join(', ')}.`);
  }
  return found;
}

/** Stages whose earlier occupants archive_existing_versions may archive. */
export const ACTIVE_STAGES: readonly ModelStage[] = ['Staging', 'Production'];
