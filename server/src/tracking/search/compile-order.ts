// Compiles a parsed order_by list to ORDER BY items, with MLflow's defaults and tie-breakers appended.
//
// Missing values sort last whatever the direction (MLflow's SQL store sorts by a CASE rank first, because SQLite
// has no NULLS LAST); for metrics NaN sorts after every number and before missing. Metric/param/tag values are
// correlated scalar subqueries on the outer row, so the caller needs no joins; they rely on one row per
// (owner, key), which the planned primary keys guarantee.
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { OrderByAst, OrderByClause, SearchKind } from './ast.js';
import { isNanExpression } from './compile.js';
import type { KeyValueTableMapping, SearchSchema } from './schema.js';
import { attributeColumn, columnRef, mappingFor, ownerMatch, tableAs, type KindMapping } from './sql-parts.js';

export type OrderDirection = 'asc' | 'desc';

export interface OrderByItem {
  expression: Expression<unknown>;
  direction: OrderDirection;
}

type Spec = { key: string; ascending: boolean };

/** Used when the caller gives no order_by at all. */
const DEFAULT_ORDER: Readonly<Record<SearchKind, readonly Spec[]>> = {
  runs: [], // only the tie-breakers below: start_time DESC, run_id ASC
  experiments: [
    { key: 'creation_time', ascending: false },
    { key: 'experiment_id', ascending: true },
  ],
  registered_models: [],
  model_versions: [
    { key: 'last_updated_timestamp', ascending: false },
    { key: 'name', ascending: true },
    { key: 'version_number', ascending: false },
  ],
};

/**
 * Appended when the list does not already order by that attribute. Experiments break ties by experiment_id
 * DESCENDING when the caller gave an order_by (MLflow's quirk; its default list says ASC).
 */
const TIE_BREAKERS: Readonly<Record<SearchKind, readonly Spec[]>> = {
  runs: [
    { key: 'start_time', ascending: false },
    { key: 'run_id', ascending: true },
  ],
  experiments: [{ key: 'experiment_id', ascending: false }],
  registered_models: [{ key: 'name', ascending: true }],
  model_versions: [
    { key: 'name', ascending: true },
    { key: 'version_number', ascending: false },
  ],
};

const dir = (ascending: boolean): OrderDirection => (ascending ? 'asc' : 'desc');

/** Rank (present first, then missing) and the value itself. */
function nullsLast(value: Expression<unknown>, ascending: boolean): OrderByItem[] {
  return [
    { expression: sql`case when ${value} is null then 1 else 0 end`, direction: 'asc' },
    { expression: value, direction: dir(ascending) },
  ];
}

/** `(select <expr> from <side> as alias where <owner match> and alias.key = ?)` */
function sideValue(
  side: KeyValueTableMapping,
  alias: string,
  mapping: KindMapping,
  key: string,
  what: Expression<unknown>,
): RawBuilder<unknown> {
  const owner = ownerMatch(alias, side, mapping.entity);
  return sql`(select ${what} from ${tableAs(side.table, alias)} where ${owner} and ${columnRef(alias, side.key)} = ${key})`;
}

function runClause(c: OrderByClause, mapping: KindMapping): OrderByItem[] {
  const runs = mapping.runs!;
  switch (c.entity) {
    case 'attribute':
      return nullsLast(attributeColumn(mapping, c.key), c.ascending);
    case 'metric': {
      const m = runs.latestMetrics;
      const nan = isNanExpression(columnRef('s_metric', m.isNan));
      // 0 = a number, 1 = NaN, 2 = no such metric; the NaN row's stored value never decides anything.
      const nanRank = sideValue(m, 's_metric', mapping, c.key, sql`case when ${nan} then 1 else 0 end`);
      const value = sideValue(m, 's_metric', mapping, c.key, columnRef('s_metric', m.value));
      return [
        { expression: sql`coalesce(${nanRank}, 2)`, direction: 'asc' },
        { expression: value, direction: dir(c.ascending) },
      ];
    }
    case 'param':
    case 'tag': {
      const side = c.entity === 'param' ? runs.params : runs.tags;
      const alias = c.entity === 'param' ? 's_param' : 's_tag';
      return nullsLast(sideValue(side, alias, mapping, c.key, columnRef(alias, side.value)), c.ascending);
    }
  }
}

/**
 * ORDER BY items for `ast` plus MLflow's default order (when the list is empty) and tie-breakers, so paging by
 * offset is stable. Apply them in order, e.g. with applyOrderBy.
 */
export function compileOrderBy(ast: OrderByAst, schema: SearchSchema): OrderByItem[] {
  const mapping = mappingFor(ast.kind, schema);
  const clauses: readonly (Spec & { clause?: OrderByClause })[] =
    ast.clauses.length > 0
      ? ast.clauses.map((c) => ({ key: c.key, ascending: c.ascending, clause: c }))
      : DEFAULT_ORDER[ast.kind];

  const items: OrderByItem[] = [];
  const orderedAttributes = new Set<string>();
  for (const spec of clauses) {
    const clause = spec.clause;
    if (!clause || clause.entity === 'attribute') orderedAttributes.add(spec.key);
    // Only runs have non-attribute order keys; the parser refuses them for the other kinds.
    if (clause && ast.kind === 'runs') items.push(...runClause(clause, mapping));
    else items.push(...nullsLast(attributeColumn(mapping, spec.key), spec.ascending));
  }
  for (const t of TIE_BREAKERS[ast.kind]) {
    if (orderedAttributes.has(t.key)) continue;
    // Default-list keys already present count too (experiments' default ends with experiment_id ASC).
    items.push({ expression: attributeColumn(mapping, t.key), direction: dir(t.ascending) });
  }
  return items;
}

/** Anything with Kysely's `orderBy(expression, direction)`, e.g. a SelectQueryBuilder. */
export interface OrderableQuery<Q> {
  orderBy(expression: Expression<any>, direction: OrderDirection): Q;
}

/** Applies the items to a query builder in order. */
export function applyOrderBy<Q extends OrderableQuery<Q>>(query: Q, items: readonly OrderByItem[]): Q {
  let q = query;
  for (const item of items) q = q.orderBy(item.expression, item.direction);
  return q;
}
