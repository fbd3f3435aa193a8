// What each search accepts, as data: entity spellings, attribute keys and their types, comparators, order_by keys.
// Taken from MLflow 2.12's mlflow/utils/search_utils.py and the SQL stores that consume its output (which add a few
// checks of their own, e.g. model-version run_id allows IN but not NOT IN). Lookups use Maps, never object literals,
// because the keys come from the request: `constructor` or `__proto__` must not resolve to something.
import type { Comparator, EntityType, SearchKind } from './ast.js';
import { quotedList } from './errors.js';

export const NUMERIC_COMPARATORS: readonly Comparator[] = ['=', '!=', '>', '>=', '<', '<='];
export const STRING_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const LIST_COMPARATORS: readonly Comparator[] = [...STRING_COMPARATORS, 'IN', 'NOT IN'];

/** Run dataset fields (`datasets.name`, ...): `context` is the input's `mlflow.data.context` tag. */
export const DATASET_KEYS: readonly string[] = ['context', 'digest', 'name'];

export interface AttributeSpec {
  valueType: 'integer' | 'string';
  comparators: readonly Comparator[];
  /** may be compared with a parenthesised list (IN / NOT IN) */
  list: boolean;
  filterable: boolean;
  orderable: boolean;
}

export interface KindGrammar {
  /** every accepted entity prefix (case-sensitive, as in MLflow) -> canonical entity */
  entities: ReadonlyMap<string, EntityType>;
  invalidEntityMessage(given: string): string;
  attributes: ReadonlyMap<string, AttributeSpec>;
  /** alternative attribute spellings accepted in filters, -> canonical key */
  filterAliases: ReadonlyMap<string, string>;
  /** alternative attribute spellings accepted in order_by, -> canonical key */
  orderAliases: ReadonlyMap<string, string>;
  /** comparators for metric / param / tag / dataset operands; absent entities are not in `entities` */
  entityComparators: Partial<Record<Exclude<EntityType, 'attribute'>, readonly Comparator[]>>;
  /**
   * 'identifier': the order_by key is an identifier like in filters (runs, experiments, model versions);
   * 'whole-key': the whole clause head must be one of the attribute keys (registered models: MLflow matches the raw
   * token, so `attribute.name` is refused there).
   */
  orderByStyle: 'identifier' | 'whole-key';
  /** entities an order_by clause may name (runs: not datasets; the others: attributes only) */
  orderByEntities: ReadonlySet<EntityType>;
  /** whether a repeated order_by field is refused ("`order_by` contains duplicate fields") */
  rejectDuplicateOrderBy: boolean;
  /**
   * whether an integer attribute also takes a quoted number (`version_number = '3'`): model-version search reads
   * any quoted value for attributes and lets the database compare, the others demand a bare number.
   */
  quotedIntegers: boolean;
}

/** A text attribute; `listComparators` marks one that may also be compared with a list, and with which comparators. */
const str = (filterable: boolean, orderable: boolean, listComparators?: readonly Comparator[]): AttributeSpec => ({
  valueType: 'string',
  comparators: listComparators ?? STRING_COMPARATORS,
  list: listComparators !== undefined,
  filterable,
  orderable,
});
const int = (filterable: boolean, orderable: boolean): AttributeSpec => ({
  valueType: 'integer',
  comparators: NUMERIC_COMPARATORS,
  list: false,
  filterable,
  orderable,
});

const REGISTRY_ENTITIES = new Map<string, EntityType>([
  ['attribute', 'attribute'],
  ['tag', 'tag'],
  ['tags', 'tag'],
]);
const registryEntityMessage = (given: string): string =>
  `Invalid entity type '${given}'. Valid entity types are ('attribute', 'tag', 'tags')`;

const RUNS: KindGrammar = {
  entities: new Map<string, EntityType>([
    ['metric', 'metric'],
    ['metrics', 'metric'],
    ['parameter', 'param'],
    ['parameters', 'param'],
    ['param', 'param'],
    ['params', 'param'],
    ['tag', 'tag'],
    ['tags', 'tag'],
    ['attribute', 'attribute'],
    ['attributes', 'attribute'],
    ['attr', 'attribute'],
    ['run', 'attribute'],
    ['dataset', 'dataset'],
    ['datasets', 'dataset'],
  ]),
  invalidEntityMessage: (given) =>
    `Invalid entity type '${given}'. Valid values are ${quotedList(['metric', 'parameter', 'tag', 'attribute', 'dataset'])}`,
  attributes: new Map([
    ['run_id', str(true, true, LIST_COMPARATORS)],
    ['run_name', str(true, true)],
    ['user_id', str(true, true)],
    ['status', str(true, true)],
    ['artifact_uri', str(true, true)],
    ['start_time', int(true, true)],
    ['end_time', int(true, true)],
  ]),
  filterAliases: new Map([
    ['created', 'start_time'],
    ['Created', 'start_time'],
    ['run name', 'run_name'],
    ['Run name', 'run_name'],
    ['Run Name', 'run_name'],
  ]),
  // MLflow adds only the numeric aliases to the orderable keys.
  orderAliases: new Map([
    ['created', 'start_time'],
    ['Created', 'start_time'],
  ]),
  entityComparators: {
    metric: NUMERIC_COMPARATORS,
    param: STRING_COMPARATORS,
    tag: STRING_COMPARATORS,
    dataset: LIST_COMPARATORS,
  },
  orderByStyle: 'identifier',
  orderByEntities: new Set<EntityType>(['metric', 'param', 'tag', 'attribute']),
  rejectDuplicateOrderBy: true,
  quotedIntegers: false,
};

const ATTRIBUTES_ONLY: ReadonlySet<EntityType> = new Set<EntityType>(['attribute']);

const EXPERIMENTS: KindGrammar = {
  entities: REGISTRY_ENTITIES,
  invalidEntityMessage: registryEntityMessage,
  attributes: new Map([
    ['name', str(true, true)],
    ['creation_time', int(true, true)],
    ['last_update_time', int(true, true)],
    ['experiment_id', int(false, true)],
  ]),
  filterAliases: new Map(),
  orderAliases: new Map(),
  entityComparators: { tag: STRING_COMPARATORS },
  orderByStyle: 'identifier',
  orderByEntities: ATTRIBUTES_ONLY,
  // MLflow's experiment search does not check for repeats (ORDER BY name, name DESC is harmless).
  rejectDuplicateOrderBy: false,
  quotedIntegers: false,
};

const REGISTERED_MODELS: KindGrammar = {
  entities: REGISTRY_ENTITIES,
  invalidEntityMessage: registryEntityMessage,
  attributes: new Map([
    ['name', str(true, true)],
    ['last_updated_timestamp', int(false, true)],
  ]),
  filterAliases: new Map(),
  // MLflow 2.x orders both `timestamp` and `last_updated_timestamp` by last_updated_time, and refuses
  // `creation_timestamp` for registered models.
  orderAliases: new Map([['timestamp', 'last_updated_timestamp']]),
  entityComparators: { tag: STRING_COMPARATORS },
  orderByStyle: 'whole-key',
  orderByEntities: ATTRIBUTES_ONLY,
  rejectDuplicateOrderBy: true,
  quotedIntegers: false,
};

const MODEL_VERSIONS: KindGrammar = {
  entities: REGISTRY_ENTITIES,
  invalidEntityMessage: registryEntityMessage,
  attributes: new Map([
    ['name', str(true, true)],
    ['version_number', int(true, true)],
    // The SQL store allows IN for run_id but not NOT IN.
    ['run_id', str(true, false, [...STRING_COMPARATORS, 'IN'])],
    ['source_path', str(true, false)],
    ['creation_timestamp', int(false, true)],
    ['last_updated_timestamp', int(false, true)],
  ]),
  filterAliases: new Map(),
  orderAliases: new Map(),
  entityComparators: { tag: STRING_COMPARATORS },
  orderByStyle: 'identifier',
  orderByEntities: ATTRIBUTES_ONLY,
  rejectDuplicateOrderBy: true,
  quotedIntegers: true,
};

export const GRAMMARS: Readonly<Record<SearchKind, KindGrammar>> = {
  runs: RUNS,
  experiments: EXPERIMENTS,
  registered_models: REGISTERED_MODELS,
  model_versions: MODEL_VERSIONS,
};

export function grammarFor(kind: SearchKind): KindGrammar {
  // `kind` comes from code, but guard anyway: an unknown kind must not fall back to some other grammar.
  if (!Object.hasOwn(GRAMMARS, kind)) throw new Error(`unknown search kind ${JSON.stringify(kind)}`);
  return GRAMMARS[kind];
}

/** The canonical attribute keys usable in a filter (or in order_by), sorted, for messages. */
export function attributeKeys(grammar: KindGrammar, use: 'filter' | 'order'): string[] {
  return [...grammar.attributes]
    .filter(([, spec]) => (use === 'filter' ? spec.filterable : spec.orderable))
    .map(([key]) => key)
    .sort();
}
