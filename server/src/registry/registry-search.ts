// registered-models/search and model-versions/search: MLflow's filter and order_by (parsed and compiled by
// tracking/search, never pasted into SQL), its max_results limits and its offset page tokens.
import type { Kysely } from 'kysely';
import { dialectOf } from '../db/dialect.js';
import type { Tables } from '../db/tables.js';
import { decodePageToken, encodePageToken } from '../tracking/page-token.js';
import {
  applyOrderBy,
  compileFilter,
  compileOrderBy,
  DEFAULT_SEARCH_SCHEMA,
  FilterSyntaxError,
  parseFilter,
  parseOrderBy,
} from '../tracking/search/index.js';
import { InvalidParameter } from '../util/errors.js';
import { kysely, type RegistryDb } from './registry-db.js';
import { withModelDetails, withVersionDetails } from './registry-mappers.js';
import type { ModelVersionDetail, RegisteredModel, RegistryPage } from './types.js';

/** MLflow's registered-models/search: 100 unless asked, at most 1000. */
export const REGISTERED_MODELS_MAX_RESULTS = { default: 100, max: 1000 } as const;
/** MLflow's model-versions/search: the proto's default and the store's cap are both 200000. */
export const MODEL_VERSIONS_MAX_RESULTS = { default: 200_000, max: 200_000 } as const;

export interface RegistrySearchInput {
  filter?: string | null;
  maxResults?: number | null;
  orderBy?: readonly string[] | null;
  pageToken?: string | null;
}

function maxResultsOf(given: number | null | undefined, limits: { default: number; max: number }): number {
  if (given === null || given === undefined) return limits.default;
  if (!Number.isSafeInteger(given) || given < 1) {
    throw new InvalidParameter(`Invalid value for request parameter max_results. It must be a positive integer, but got value ${given}`);
  }
  if (given > limits.max) {
    throw new InvalidParameter(`Invalid value for request parameter max_results. It must be at most ${limits.max}, but got value ${given}`);
  }
  return given;
}

function compile(db: Kysely<Tables>, kind: 'registered_models' | 'model_versions', input: RegistrySearchInput) {
  try {
    return {
      where: compileFilter(parseFilter(kind, input.filter), DEFAULT_SEARCH_SCHEMA, dialectOf(db)),
      order: compileOrderBy(parseOrderBy(kind, input.orderBy), DEFAULT_SEARCH_SCHEMA),
    };
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new InvalidParameter(err.message);
    throw err;
  }
}

export async function searchRegisteredModels(db: RegistryDb, input: RegistrySearchInput = {}): Promise<RegistryPage<RegisteredModel>> {
  const k = kysely(db);
  const maxResults = maxResultsOf(input.maxResults, REGISTERED_MODELS_MAX_RESULTS);
  const offset = decodePageToken(input.pageToken);
  const { where, order } = compile(k, 'registered_models', input);
  // One row more than asked tells whether another page exists without a count query.
  const rows = await applyOrderBy(k.selectFrom('registered_models').selectAll().where(where), order)
    .limit(maxResults + 1)
    .offset(offset)
    .execute();
  return {
    items: await withModelDetails(k, rows.slice(0, maxResults)),
    nextPageToken: rows.length > maxResults ? encodePageToken(offset + maxResults) : null,
  };
}

export async function searchModelVersions(db: RegistryDb, input: RegistrySearchInput = {}): Promise<RegistryPage<ModelVersionDetail>> {
  const k = kysely(db);
  const maxResults = maxResultsOf(input.maxResults, MODEL_VERSIONS_MAX_RESULTS);
  const offset = decodePageToken(input.pageToken);
  const { where, order } = compile(k, 'model_versions', input);
  const rows = await applyOrderBy(k.selectFrom('model_versions').selectAll().where(where), order)
    .limit(maxResults + 1)
    .offset(offset)
    .execute();
  return {
    items: await withVersionDetails(k, rows.slice(0, maxResults)),
    nextPageToken: rows.length > maxResults ? encodePageToken(offset + maxResults) : null,
  };
}
