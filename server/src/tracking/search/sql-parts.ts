// Small SQL-building helpers shared by the filter and order_by compilers. Identifiers come only from the schema
// mapping (code), never from the request; they are still checked against a plain-name pattern and then quoted by
// Kysely, so a bad mapping fails loudly instead of producing odd SQL. Request values only ever become parameters.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { SearchKind } from './ast.js';
import type {
  EntityTableMapping,
  ExperimentsMapping,
  KeyValueTableMapping,
  ModelVersionsMapping,
  RegisteredModelsMapping,
  RunsMapping,
  SearchSchema,
} from './schema.js';

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(name: string): string {
  if (!SAFE_NAME.test(name)) throw new Error(`search schema: unsafe SQL identifier ${JSON.stringify(name)}`);
  return name;
}

/** `"table"."column"` for a qualifier (table name or alias) and a column. */
export function columnRef(qualifier: string, column: string): RawBuilder<unknown> {
  return sql.ref(`${checkName(qualifier)}.${checkName(column)}`);
}

/** `"table" as "alias"` */
export function tableAs(table: string, alias: string): RawBuilder<unknown> {
  return sql`${sql.table(checkName(table))} as ${sql.id(checkName(alias))}`;
}

/** `alias.owner1 = outer.key1 and ...`: correlates a side table with the row of the outer query. */
export function ownerMatch(
  alias: string,
  side: Pick<KeyValueTableMapping, 'owner'>,
  entity: Pick<EntityTableMapping<string>, 'ref' | 'key'>,
): RawBuilder<SqlBool> {
  if (side.owner.length === 0 || side.owner.length !== entity.key.length) {
    throw new Error(`search schema: owner columns [${side.owner.join(', ')}] do not match key [${entity.key.join(', ')}]`);
  }
  const parts = side.owner.map((o, i) => sql`${columnRef(alias, o)} = ${columnRef(entity.ref, entity.key[i]!)}`);
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

export interface KindMapping {
  entity: EntityTableMapping<string>;
  tags: KeyValueTableMapping;
  runs?: RunsMapping;
}

/** The mapping part for `kind`, normalised so both compilers can treat the entity table uniformly. */
export function mappingFor(kind: SearchKind, schema: SearchSchema): KindMapping {
  const missing = (): never => {
    throw new Error(`search schema has no mapping for ${kind}`);
  };
  switch (kind) {
    case 'runs': {
      const m: RunsMapping = schema.runs ?? missing();
      return { entity: m.runs, tags: m.tags, runs: m };
    }
    case 'experiments': {
      const m: ExperimentsMapping = schema.experiments ?? missing();
      return { entity: m.experiments, tags: m.tags };
    }
    case 'registered_models': {
      const m: RegisteredModelsMapping = schema.registeredModels ?? missing();
      return { entity: m.registeredModels, tags: m.tags };
    }
    case 'model_versions': {
      const m: ModelVersionsMapping = schema.modelVersions ?? missing();
      return { entity: m.modelVersions, tags: m.tags };
    }
  }
}

/** The column behind a canonical attribute key; the parser guarantees the key exists for the kind. */
export function attributeColumn(mapping: KindMapping, key: string): RawBuilder<unknown> {
  const columns = mapping.entity.columns as Readonly<Record<string, string>>;
  if (!Object.hasOwn(columns, key)) throw new Error(`search schema: no column mapped for attribute ${key}`);
  return columnRef(mapping.entity.ref, columns[key]!);
}
