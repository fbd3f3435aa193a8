// MLflow search filters and order_by for the tracking and registry searches: parse (typed FilterSyntaxError ->
// 400 INVALID_PARAMETER_VALUE), then compile to Kysely expressions against a caller-supplied schema mapping.
export type {
  Comparator,
  Comparison,
  EntityType,
  FilterAst,
  Literal,
  Operand,
  OrderByAst,
  OrderByClause,
  SearchKind,
  ValueType,
} from './ast.js';
export { SEARCH_KINDS } from './ast.js';
export { FilterSyntaxError } from './errors.js';
export { MAX_FILTER_CLAUSES, MAX_LIST_VALUES, parseFilter } from './parser.js';
export { MAX_ORDER_BY_CLAUSES, parseOrderBy } from './order-by-parser.js';
export { compileFilter } from './compile.js';
export { applyOrderBy, compileOrderBy, type OrderByItem, type OrderDirection, type OrderableQuery } from './compile-order.js';
export { likeToGlob, type SearchDialect } from './dialect.js';
export * from './schema.js';
