// Compiles a parsed filter to one Kysely boolean expression for the outer query's WHERE.
//
// Attributes compare the entity's own columns. Metrics, params, tags and datasets become correlated EXISTS
// subqueries, like MLflow's SQL store (which inner-joins one filtered subquery per clause): a run matches
// `params.lr != '0.1'` only if it has that param. Every value from the request is a bound parameter.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Comparator, Comparison, FilterAst, Literal, ValueType } from './ast.js';
import { likeComparison, type SearchDialect } from './dialect.js';
import { FilterSyntaxError } from './errors.js';
import type { KeyValueTableMapping, SearchSchema } from './schema.js';
import { attributeColumn, columnRef, mappingFor, ownerMatch, tableAs, type KindMapping } from './sql-parts.js';

/** Symbols for the ordered comparators; only these ever reach sql.raw. */
const SQL_OPERATOR: Readonly<Record<'=' | '!=' | '>' | '>=' | '<' | '<=', string>> = {
  '=': '=',
  '!=': '<>',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};

type Ordered = keyof typeof SQL_OPERATOR;

const FALSE = sql<SqlBool>`1 = 0`;

/** MLflow's SQL store keeps ±Infinity as ±DBL_MAX, so a literal 1e999 must compare against that. */
function clampDouble(v: number): number {
  if (v === Infinity) return Number.MAX_VALUE;
  if (v === -Infinity) return -Number.MAX_VALUE;
  return v;
}

/**
 * Integer columns (epoch-ms times, version numbers) against any numeric literal, keeping the bound value an integer
 * so PostgreSQL can type the parameter as the column's bigint: `x > 1.5` is `x > 1`, `x = 1.5` is false, and a
 * literal beyond ±2^53 (beyond any time or version) decides the comparison outright.
 */
function integerComparison(lhs: Expression<unknown>, op: Ordered, v: number): RawBuilder<SqlBool> {
  const notNull = sql<SqlBool>`${lhs} is not null`;
  if (v > Number.MAX_SAFE_INTEGER) return op === '<' || op === '<=' || op === '!=' ? notNull : FALSE;
  if (v < -Number.MAX_SAFE_INTEGER) return op === '>' || op === '>=' || op === '!=' ? notNull : FALSE;
  if (!Number.isInteger(v)) {
    if (op === '=') return FALSE;
    if (op === '!=') return notNull;
    const bound = op === '>' || op === '<=' ? Math.floor(v) : Math.ceil(v);
    return sql<SqlBool>`${lhs} ${sql.raw(SQL_OPERATOR[op])} ${bound}`;
  }
  return sql<SqlBool>`${lhs} ${sql.raw(SQL_OPERATOR[op])} ${v}`;
}

/** `lhs <comparator> value` for one operand column; the parser has already matched comparator to value kind. */
function compare(
  lhs: Expression<unknown>,
  comparator: Comparator,
  value: Literal,
  valueType: ValueType,
  dialect: SearchDialect,
): RawBuilder<SqlBool> {
  switch (comparator) {
    case 'IN':
    case 'NOT IN': {
      if (value.type !== 'list') throw new Error('search compile: IN needs a list');
      const items = sql.join(value.values.map((v) => sql.val(v)));
      return comparator === 'IN' ? sql<SqlBool>`${lhs} in (${items})` : sql<SqlBool>`${lhs} not in (${items})`;
    }
    case 'LIKE':
    case 'ILIKE':
      if (value.type !== 'string') throw new Error('search compile: LIKE needs a string');
      return likeComparison(dialect, lhs, value.value, comparator === 'ILIKE');
    default: {
      if (value.type === 'list') throw new Error(`search compile: ${comparator} cannot take a list`);
      if (value.type === 'number' && valueType === 'integer') return integerComparison(lhs, comparator, value.value);
      const bound = value.type === 'number' ? clampDouble(value.value) : value.value;
      return sql<SqlBool>`${lhs} ${sql.raw(SQL_OPERATOR[comparator])} ${bound}`;
    }
  }
}

/** `exists (select 1 from <side> as <alias> where <owner match> and alias.key = ? and <condition on alias.value>)` */
function existsKeyValue(
  side: KeyValueTableMapping,
  alias: string,
  mapping: KindMapping,
  key: string,
  condition: (valueColumn: Expression<unknown>) => RawBuilder<SqlBool>,
): RawBuilder<SqlBool> {
  const from = tableAs(side.table, alias);
  const owner = ownerMatch(alias, side, mapping.entity);
  const keyMatch = sql`${columnRef(alias, side.key)} = ${key}`;
  return sql<SqlBool>`exists (select 1 from ${from} where ${owner} and ${keyMatch} and ${condition(columnRef(alias, side.value))})`;
}

/** True when a latest_metrics row holds NaN; works for a BOOLEAN column and a 0/1 INTEGER one alike. */
export function isNanExpression(isNanColumn: Expression<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`coalesce(cast(${isNanColumn} as integer), 0) <> 0`;
}

function compileComparison(c: Comparison, mapping: KindMapping, dialect: SearchDialect): RawBuilder<SqlBool> {
  const { operand, comparator, value } = c;
  const runs = (): NonNullable<KindMapping['runs']> => {
    if (!mapping.runs) throw new Error(`search compile: ${operand.entity} filters exist only for runs`);
    return mapping.runs;
  };
  switch (operand.entity) {
    case 'attribute':
      return compare(attributeColumn(mapping, operand.key), comparator, value, operand.valueType, dialect);
    case 'tag':
      return existsKeyValue(mapping.tags, 's_tag', mapping, operand.key, (col) =>
        compare(col, comparator, value, 'string', dialect),
      );
    case 'param':
      return existsKeyValue(runs().params, 's_param', mapping, operand.key, (col) =>
        compare(col, comparator, value, 'string', dialect),
      );
    case 'metric': {
      // NaN follows IEEE 754, as MLflow's file store and its fixed SQL store do (mlflow/mlflow#25640): a NaN
      // latest value matches only `!=`. The stored value of a NaN row (MLflow writes 0) never takes part.
      const m = runs().latestMetrics;
      const nan = isNanExpression(columnRef('s_metric', m.isNan));
      return existsKeyValue(m, 's_metric', mapping, operand.key, (col) => {
        const cmp = compare(col, comparator, value, 'double', dialect);
        return comparator === '!=' ? sql<SqlBool>`(${cmp} or ${nan})` : sql<SqlBool>`${cmp} and not (${nan})`;
      });
    }
    case 'dataset': {
      const d = runs().datasetInputs;
      // Valid MLflow syntax the store cannot answer yet: still the client's 400, not a server fault.
      if (!d) {
        throw new FilterSyntaxError('Filtering runs by datasets is not supported by this server', c.position, operand.raw);
      }
      const column = operand.key === 'name' ? d.name : operand.key === 'digest' ? d.digest : d.context;
      const match = ownerMatch('s_dataset', { owner: [d.runId] }, mapping.entity);
      const cmp = compare(columnRef('s_dataset', column), comparator, value, 'string', dialect);
      return sql<SqlBool>`exists (select 1 from ${tableAs(d.table, 's_dataset')} where ${match} and ${cmp})`;
    }
  }
}

/**
 * The WHERE expression for `ast` (`1 = 1` when the filter is empty). The caller selects from the entity table under
 * the name given as `ref` in the schema mapping and adds its own conditions (experiment ids, lifecycle stage).
 */
export function compileFilter(ast: FilterAst, schema: SearchSchema, dialect: SearchDialect): Expression<SqlBool> {
  const mapping = mappingFor(ast.kind, schema);
  if (ast.clauses.length === 0) return sql<SqlBool>`1 = 1`;
  const parts = ast.clauses.map((c) => sql`(${compileComparison(c, mapping, dialect)})`);
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}
