// SQL for registered_model_aliases. An alias names one version of a model; the row references the model only (as in
// MLflow), so deleting a version deletes its aliases explicitly.
import type { Kysely } from 'kysely';
import { inTextList } from '../db/dialect.js';
import type { Tables } from '../db/tables.js';

export interface AliasRow {
  name: string;
  alias: string;
  version: number;
}

export async function selectAlias(db: Kysely<Tables>, name: string, alias: string): Promise<AliasRow | undefined> {
  return db.selectFrom('registered_model_aliases').selectAll().where('name', '=', name).where('alias', '=', alias).executeTakeFirst();
}

export async function upsertAlias(db: Kysely<Tables>, row: AliasRow): Promise<void> {
  await db
    .insertInto('registered_model_aliases')
    .values(row)
    .onConflict((oc) => oc.columns(['name', 'alias']).doUpdateSet({ version: row.version }))
    .execute();
}

export async function deleteAliasRow(db: Kysely<Tables>, name: string, alias: string): Promise<boolean> {
  const result = await db.deleteFrom('registered_model_aliases').where('name', '=', name).where('alias', '=', alias).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Deletes the aliases pointing at a version; returns their names. */
export async function deleteAliasesOfVersion(db: Kysely<Tables>, name: string, version: number): Promise<string[]> {
  const rows = await db
    .deleteFrom('registered_model_aliases')
    .where('name', '=', name)
    .where('version', '=', version)
    .returning('alias')
    .execute();
  return rows.map((r) => r.alias).sort();
}

/** Aliases of the given models, ordered by model then alias. */
export async function selectAliases(db: Kysely<Tables>, names: readonly string[]): Promise<AliasRow[]> {
  if (names.length === 0) return [];
  return db
    .selectFrom('registered_model_aliases')
    .selectAll()
    .where(inTextList(db, 'name', names))
    .orderBy('name')
    .orderBy('alias')
    .execute();
}
