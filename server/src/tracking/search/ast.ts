// Syntax trees for MLflow search filters and order_by lists. The parser resolves aliases before building them
// (`metric.` -> metric, `created` -> start_time, `source_path` stays a logical key the schema mapping turns into a
// column), so consumers never see MLflow's spelling variants.

/** Which search the filter belongs to; each has its own grammar (allowed entities, keys and comparators). */
export type SearchKind = 'runs' | 'experiments' | 'registered_models' | 'model_versions';

export const SEARCH_KINDS: readonly SearchKind[] = ['runs', 'experiments', 'registered_models', 'model_versions'];

/** Canonical entity types (MLflow's own names are metric, parameter, tag, attribute, dataset). */
export type EntityType = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

/**
 * How the operand compares: metrics are doubles (NaN-aware), numeric attributes are integer columns (epoch ms,
 * version numbers), everything else is text.
 */
export type ValueType = 'double' | 'integer' | 'string';

export interface Operand {
  entity: EntityType;
  /** Canonical key: the metric/param/tag name, or the attribute/dataset field after alias resolution. */
  key: string;
  valueType: ValueType;
  /** The identifier as written, for messages. */
  raw: string;
  position: number;
}

export type Literal =
  | { type: 'number'; value: number; raw: string }
  | { type: 'string'; value: string; raw: string }
  | { type: 'list'; values: string[]; raw: string };

export interface Comparison {
  type: 'comparison';
  operand: Operand;
  comparator: Comparator;
  value: Literal;
  position: number;
}

/** MLflow filters are a flat conjunction: no OR, no parentheses, no NOT. An empty list matches everything. */
export interface FilterAst {
  type: 'and';
  kind: SearchKind;
  clauses: Comparison[];
}

export interface OrderByClause {
  entity: Exclude<EntityType, 'dataset'>;
  /** Canonical key, as for Operand. */
  key: string;
  valueType: ValueType;
  ascending: boolean;
  /** The clause as given, for messages. */
  raw: string;
}

/** The caller's order_by list, parsed. Defaults and tie-breakers are added by compileOrderBy, not here. */
export interface OrderByAst {
  kind: SearchKind;
  clauses: OrderByClause[];
}
