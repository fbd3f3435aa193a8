// A PostgreSQL introspector that sees one schema only, for Kysely's Migrator. The stock one lists every table of
// every schema, resolving schema names as it goes: slow in a big shared database, and it fails with "schema ...
// does not exist" when another schema is dropped meanwhile (parallel test files do exactly that).
import { Kysely, PostgresDialect, sql, type DatabaseIntrospector, type SchemaMetadata, type TableMetadata } from 'kysely';
import type pg from 'pg';

class SchemaScopedIntrospector implements DatabaseIntrospector {
  constructor(
    readonly db: Kysely<any>,
    readonly schema: string,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<SchemaMetadata>`select nspname as name from pg_catalog.pg_namespace where nspname = ${this.schema}`.execute(this.db);
    return rows;
  }

  /** Names only (columns empty): all the Migrator asks for. */
  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; kind: string }>`
      select c.relname as name, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${this.schema} and c.relkind in ('r', 'v', 'p')`.execute(this.db);
    return rows.map((r) => ({ name: r.name, schema: this.schema, isView: r.kind === 'v', columns: [] }));
  }

  async getMetadata(): Promise<{ tables: TableMetadata[] }> {
    return { tables: await this.getTables() };
  }
}

/**
 * A Kysely over `pool` whose introspection is limited to `schema`. Shares the pool: never destroy() it (that would
 * end the pool); the owning Database closes the pool.
 */
export function schemaScopedKysely(pool: pg.Pool, schema: string): Kysely<any> {
  const base = new PostgresDialect({ pool });
  return new Kysely<any>({
    dialect: {
      createAdapter: () => base.createAdapter(),
      createDriver: () => base.createDriver(),
      createQueryCompiler: () => base.createQueryCompiler(),
      createIntrospector: (db) => new SchemaScopedIntrospector(db, schema),
    },
  });
}
