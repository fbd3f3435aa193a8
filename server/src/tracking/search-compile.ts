// Request filter/order_by strings -> parsed syntax trees -> parameterised Kysely expressions (tracking/search), plus
// the view-type and max_results rules both searches share. A filter never reaches SQL as text.
import type { Expression, SqlBool } from 'kysely';
import { dialectOf } from '../db/dialect.js';
import { InvalidParameter } from '../util/errors.js';
import type { TrackingContext } from './context.js';
import { TRACKING_SEARCH_SCHEMA } from './search-schema.js';
import {
  compileFilter,
  compileOrderBy,
  FilterSyntaxError,
  parseFilter,
  parseOrderBy,
  type OrderByItem,
} from './search/index.js';
import type { ViewType } from './types.js';
import { SEARCH_MAX_RESULTS_DEFAULT, SEARCH_MAX_RESULTS_THRESHOLD } from './validation.js';

export interface CompiledSearch {
  filter: Expression<SqlBool>;
  order: OrderByItem[];
}

/** Parse errors become 400 INVALID_PARAMETER_VALUE with the parser's message (what is wrong, and where). */
export function compileSearch(
  ctx: TrackingContext,
  kind: 'runs' | 'experiments',
  filter: string | null | undefined,
  orderBy: readonly string[] | null | undefined,
): CompiledSearch {
  try {
    const dialect = dialectOf(ctx.db);
    return {
      filter: compileFilter(parseFilter(kind, filter), TRACKING_SEARCH_SCHEMA, dialect),
      order: compileOrderBy(parseOrderBy(kind, orderBy), TRACKING_SEARCH_SCHEMA),
    };
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new InvalidParameter(err.message);
    throw err;
  }
}

export function stagesFor(viewType: ViewType | null | undefined): Array<'active' | 'deleted'> {
  if (viewType === 'DELETED_ONLY') return ['deleted'];
  if (viewType === 'ALL') return ['active', 'deleted'];
  return ['active'];
}

export function validateMaxResults(maxResults: number | null | undefined): number {
  if (maxResults === null || maxResults === undefined) return SEARCH_MAX_RESULTS_DEFAULT;
  if (!Number.isSafeInteger(maxResults) || maxResults <= 0) {
    throw new InvalidParameter(
      `Invalid value for request parameter max_results. It must be a positive integer, but got value ${maxResults}`,
    );
  }
  if (maxResults > SEARCH_MAX_RESULTS_THRESHOLD) {
    throw new InvalidParameter(
      `Invalid value for request parameter max_results. It must be at most ${SEARCH_MAX_RESULTS_THRESHOLD}, but got value ${maxResults}`,
    );
  }
  return maxResults;
}
