// Registry SQL for seeding known versions (ensureModelVersion) and plain reads. Functions take a Kysely instance or a
// transaction; no logic beyond the statement itself.
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ModelVersionsTable, RegisteredModelsTable, Tables } from '../db/tables.js';

export type ModelVersionRow = Selectable<ModelVersionsTable>;

/** Inserts the model unless one with that name exists; true when this call created it. */
export async function insertRegisteredModelIfAbsent(
  db: Kysely<Tables>,
  row: Insertable<RegisteredModelsTable>,
): Promise<boolean> {
  const result = await db
    .insertInto('registered_models')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Inserts the version unless (name, version) exists; true when this call created it. */
export async function insertModelVersionIfAbsent(db: Kysely<Tables>, row: Insertable<ModelVersionsTable>): Promise<boolean> {
  const result = await db
    .insertInto('model_versions')
    .values(row)
    .onConflict((oc) => oc.columns(['name', 'version']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function selectModelVersion(
  db: Kysely<Tables>,
  name: string,
  version: number,
): Promise<ModelVersionRow | undefined> {
  return db
    .selectFrom('model_versions')
    .selectAll()
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function selectModelVersions(db: Kysely<Tables>, name: string): Promise<ModelVersionRow[]> {
  return db.selectFrom('model_versions').selectAll().where('name', '=', name).orderBy('version', 'asc').execute();
}
