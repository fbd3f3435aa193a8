// SQL for registered_models and registered_model_tags. Functions take a Kysely instance or a transaction.
import type { Insertable, Kysely, Selectable } from 'kysely';
import { inTextList } from '../db/dialect.js';
import type { RegisteredModelsTable, Tables } from '../db/tables.js';
import type { RegistryTag } from './types.js';

export type RegisteredModelRow = Selectable<RegisteredModelsTable>;

export async function selectRegisteredModel(db: Kysely<Tables>, name: string): Promise<RegisteredModelRow | undefined> {
  return db.selectFrom('registered_models').selectAll().where('name', '=', name).executeTakeFirst();
}

/** True when this call created the model; false when the name is taken. */
export async function insertRegisteredModel(db: Kysely<Tables>, row: Insertable<RegisteredModelsTable>): Promise<boolean> {
  const result = await db
    .insertInto('registered_models')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Renames; the foreign keys cascade the new name to versions, tags, aliases and deployments. False when absent. */
export async function updateRegisteredModelName(db: Kysely<Tables>, name: string, newName: string, time: number): Promise<boolean> {
  const result = await db
    .updateTable('registered_models')
    .set({ name: newName, last_updated_time: time })
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function updateRegisteredModelDescription(
  db: Kysely<Tables>,
  name: string,
  description: string | null,
  time: number,
): Promise<boolean> {
  const result = await db
    .updateTable('registered_models')
    .set({ description, last_updated_time: time })
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function touchRegisteredModel(db: Kysely<Tables>, name: string, time: number): Promise<void> {
  await db.updateTable('registered_models').set({ last_updated_time: time }).where('name', '=', name).execute();
}

/** Deletes the model; versions, tags, aliases and deployments go with it (ON DELETE CASCADE). */
export async function deleteRegisteredModelRow(db: Kysely<Tables>, name: string): Promise<boolean> {
  const result = await db.deleteFrom('registered_models').where('name', '=', name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function upsertRegisteredModelTags(db: Kysely<Tables>, name: string, tags: readonly RegistryTag[]): Promise<void> {
  if (tags.length === 0) return;
  await db
    .insertInto('registered_model_tags')
    .values(tags.map((t) => ({ name, key: t.key, value: t.value })))
    .onConflict((oc) => oc.columns(['name', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

export async function deleteRegisteredModelTagRow(db: Kysely<Tables>, name: string, key: string): Promise<void> {
  await db.deleteFrom('registered_model_tags').where('name', '=', name).where('key', '=', key).execute();
}

export async function selectRegisteredModelTags(
  db: Kysely<Tables>,
  names: readonly string[],
): Promise<Array<{ name: string; key: string; value: string | null }>> {
  if (names.length === 0) return [];
  return db
    .selectFrom('registered_model_tags')
    .select(['name', 'key', 'value'])
    .where(inTextList(db, 'name', names))
    .orderBy('name')
    .orderBy('key')
    .execute();
}
