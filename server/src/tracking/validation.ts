// MLflow's input rules (mlflow/utils/validation.py, 2.12), with its messages, so clients see the errors they know.
// Pure functions: they throw InvalidParameter (400 INVALID_PARAMETER_VALUE) or return the value to store.
import { InvalidParameter } from '../util/errors.js';

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 1000;
export const MAX_ENTITY_KEY_LENGTH = 250;
export const MAX_PARAM_VAL_LENGTH = 6000;
/** 5000 in 2.12 (8000 from 2.17) */
export const MAX_TAG_VAL_LENGTH = 5000;
export const MAX_EXPERIMENT_NAME_LENGTH = 500;
export const MAX_EXPERIMENT_TAG_KEY_LENGTH = 250;
export const MAX_EXPERIMENT_TAG_VAL_LENGTH = 5000;
export const MAX_DATASET_NAME_SIZE = 500;
export const MAX_DATASET_DIGEST_SIZE = 36;
export const MAX_DATASET_SOURCE_SIZE = 65_535;
export const MAX_DATASET_SCHEMA_SIZE = 1_048_575;
export const MAX_DATASET_PROFILE_SIZE = 16_777_215;
export const MAX_INPUT_TAG_KEY_SIZE = 255;
export const MAX_INPUT_TAG_VALUE_SIZE = 500;
/** MLflow's SEARCH_MAX_RESULTS_THRESHOLD, for runs and experiments */
export const SEARCH_MAX_RESULTS_THRESHOLD = 50_000;
export const SEARCH_MAX_RESULTS_DEFAULT = 1000;

// Python's \w (MLflow's pattern is ^[/\w.\- ]*$ on str) is Unicode-aware: letters and digits of any script.
const VALID_NAME = /^[/\p{L}\p{N}_.\- ]*$/u;
const BAD_CHARACTERS_MESSAGE =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).';

/** Python's posixpath.normpath, enough to decide MLflow's path_not_unique. */
function normpath(p: string): string {
  if (p === '') return '.';
  const initialSlashes = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (initialSlashes === 0 && out.length === 0) || out[out.length - 1] === '..') out.push(part);
    else if (out.length > 0) out.pop();
  }
  const joined = '/'.repeat(initialSlashes) + out.join('/');
  return joined || '.';
}

function pathNotUnique(name: string): boolean {
  const norm = normpath(name);
  return norm !== name || norm === '.' || norm.startsWith('..') || norm.startsWith('/');
}

/**
 * Metric, param and tag keys: MLflow's character set, no path tricks ("a/../b", "./x", "/x"), at most 250 characters.
 * `what` is MLflow's wording: "metric", "parameter" or "tag".
 */
export function validateKey(what: 'metric' | 'parameter' | 'tag', name: unknown): string {
  if (typeof name !== 'string') {
    throw new InvalidParameter(`Invalid ${what} name: '${String(name)}'. ${what[0]!.toUpperCase()}${what.slice(1)} name cannot be None.`);
  }
  if (!VALID_NAME.test(name)) throw new InvalidParameter(`Invalid ${what} name: '${name}'. ${BAD_CHARACTERS_MESSAGE}`);
  if (pathNotUnique(name)) {
    throw new InvalidParameter(
      `Invalid ${what} name: '${name}'. Names may be treated as files in certain cases, and must not resolve to other ` +
        `names when treated as such. This name would resolve to '${normpath(name)}'`,
    );
  }
  const entity = what === 'metric' ? 'Metric name' : what === 'parameter' ? 'Param key' : 'Tag key';
  return checkLength(entity, MAX_ENTITY_KEY_LENGTH, name);
}

/** Over the limit is a 400 (keys, names). */
export function checkLength(entity: string, limit: number, value: string): string {
  if (value.length <= limit) return value;
  const shown = value.length > 1000 ? `${value.slice(0, 1000)}...` : value;
  throw new InvalidParameter(`${entity} '${shown}' had length ${value.length}, which exceeded length limit of ${limit}`);
}

/** Param and run-tag values over the limit are cut, not refused (MLflow's MLFLOW_TRUNCATE_LONG_VALUES default). */
export function truncate(value: string, limit: number): string {
  return value.length <= limit ? value : value.slice(0, limit);
}

export function validateBatchLimits(metrics: number, params: number, tags: number): void {
  const check = (entity: string, limit: number, length: number) => {
    if (length > limit) {
      throw new InvalidParameter(
        `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. ` +
          `Please split up ${entity} across multiple requests and try again.`,
      );
    }
  };
  check('metrics', MAX_METRICS_PER_BATCH, metrics);
  check('params', MAX_PARAMS_TAGS_PER_BATCH, params);
  check('tags', MAX_PARAMS_TAGS_PER_BATCH, tags);
  const total = metrics + params + tags;
  if (total > MAX_ENTITIES_PER_BATCH) {
    throw new InvalidParameter(
      `A batch logging request can contain at most ${MAX_ENTITIES_PER_BATCH} metrics, params, and tags in total. ` +
        `Got ${total} total across all entities. Please split up metrics, params, and tags across multiple ` +
        'requests and try again.',
    );
  }
}

/** int64 fields arrive as JS numbers; beyond 2^53 they could not be stored exactly, so they are refused. */
export function validateInteger(field: string, value: unknown, context = ''): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InvalidParameter(`Got invalid ${field} ${formatValue(value)}${context}. ${field[0]!.toUpperCase()}${field.slice(1)} must be an integer.`);
  }
  return value;
}

export function validateMetricValue(key: string, value: unknown, timestamp: unknown): number {
  if (typeof value !== 'number') {
    throw new InvalidParameter(
      `Got invalid value ${formatValue(value)} for metric '${key}' (timestamp=${formatValue(timestamp)}). ` +
        'Please specify value as a valid double (64-bit floating point)',
    );
  }
  return value;
}

export function validateExperimentName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new InvalidParameter(`Invalid experiment name: '${String(name ?? '')}'`);
  return checkLength('Experiment name', MAX_EXPERIMENT_NAME_LENGTH, name);
}

export function validateExperimentArtifactLocation(location: string | null | undefined): void {
  if (location && location.toLowerCase().startsWith('runs:')) {
    throw new InvalidParameter(`Artifact location cannot be a runs:/ URI. Given: '${location}'`);
  }
}

export function validateExperimentTag(key: unknown, value: unknown): { key: string; value: string } {
  const k = validateKey('tag', key);
  checkLength('Tag key', MAX_EXPERIMENT_TAG_KEY_LENGTH, k);
  if (typeof value !== 'string') throw new InvalidParameter(`Invalid value for tag '${k}': expected a string`);
  return { key: k, value: checkLength('Tag value', MAX_EXPERIMENT_TAG_VAL_LENGTH, value) };
}

function formatValue(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}
