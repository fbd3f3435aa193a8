// SQL for model_versions and model_version_tags beyond what ensureModelVersion needs (registry.repository.ts).
import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import { inTextList } from '../db/dialect.js';
import type { ModelVersionsTable, Tables } from '../db/tables.js';
import type { ModelVersionRow } from './registry.repository.js';
import type { RegistryTag } from './types.js';

/**
 * The number the next version of `name` would get: one past both the highest existing version and the highest ever
 * deleted. Null when the model does not exist.
 */
export async function nextVersionNumber(db: Kysely<Tables>, name: string): Promise<number | null> {
  const row = await db
    .selectFrom('registered_models as m')
    .select((eb) => [
      'm.max_deleted_version',
      eb
        .selectFrom('model_versions as v')
        .select((e) => e.fn.max<number | null>('v.version').as('top'))
        .whereRef('v.name', '=', 'm.name')
        .as('top'),
    ])
    .where('m.name', '=', name)
    .executeTakeFirst();
  if (!row) return null;
  return Math.max(Number(row.max_deleted_version), Number(row.top ?? 0)) + 1;
}

/** Inserts unless (name, version) is taken, which a concurrent creator may have just done; true when inserted. */
export async function insertModelVersionRow(db: Kysely<Tables>, row: Insertable<ModelVersionsTable>): Promise<boolean> {
  const result = await db
    .insertInto('model_versions')
    .values(row)
    .onConflict((oc) => oc.columns(['name', 'version']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function updateModelVersionRow(
  db: Kysely<Tables>,
  name: string,
  version: number,
  set: Updateable<ModelVersionsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('model_versions')
    .set(set)
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Moves every other version of the model in `stage` to Archived (transition-stage's archive_existing_versions). */
export async function archiveVersionsInStage(db: Kysely<Tables>, name: string, except: number, stage: string, time: number): Promise<void> {
  await db
    .updateTable('model_versions')
    .set({ current_stage: 'Archived', last_updated_time: time })
    .where('name', '=', name)
    .where('version', '!=', except)
    .where('current_stage', '=', stage)
    .execute();
}

/** Every version's last_updated_time, as MLflow does on a rename. */
export async function touchModelVersions(db: Kysely<Tables>, name: string, time: number): Promise<void> {
  await db.updateTable('model_versions').set({ last_updated_time: time }).where('name', '=', name).execute();
}

/** Deletes the version (its tags and servable cascade) and remembers its number so it is never reused. */
export async function deleteModelVersionRow(db: Kysely<Tables>, name: string, version: number): Promise<boolean> {
  const result = await db.deleteFrom('model_versions').where('name', '=', name).where('version', '=', version).executeTakeFirst();
  if (result.numDeletedRows === 0n) return false;
  await db
    .updateTable('registered_models')
    .set({ max_deleted_version: sql<number>`case when max_deleted_version > ${version} then max_deleted_version else ${version} end` })
    .where('name', '=', name)
    .execute();
  return true;
}

export async function upsertModelVersionTags(db: Kysely<Tables>, name: string, version: number, tags: readonly RegistryTag[]): Promise<void> {
  if (tags.length === 0) return;
  await db
    .insertInto('model_version_tags')
    .values(tags.map((t) => ({ name, version, key: t.key, value: t.value })))
    .onConflict((oc) => oc.columns(['name', 'version', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

export async function deleteModelVersionTagRow(db: Kysely<Tables>, name: string, version: number, key: string): Promise<void> {
  await db.deleteFrom('model_version_tags').where('name', '=', name).where('version', '=', version).where('key', '=', key).execute();
}

/** Tags of the given versions of one model. */
export async function selectModelVersionTags(
  db: Kysely<Tables>,
  keys: ReadonlyArray<{ name: string; version: number }>,
): Promise<Array<{ name: string; version: number; key: string; value: string | null }>> {
  if (keys.length === 0) return [];
  const names = [...new Set(keys.map((k) => k.name))];
  const wanted = new Set(keys.map((k) => `${k.version}/${k.name}`));
  // By name (indexed prefix of the key), then narrowed here: pages hold a few models' versions at most.
  const rows = await db
    .selectFrom('model_version_tags')
    .select(['name', 'version', 'key', 'value'])
    .where(inTextList(db, 'name', names))
    .orderBy('key')
    .execute();
  return rows.filter((r) => wanted.has(`${r.version}/${r.name}`));
}

/** The highest version per stage of each model (MLflow's latest_versions), as rows. */
export async function selectLatestPerStage(db: Kysely<Tables>, names: readonly string[]): Promise<ModelVersionRow[]> {
  if (names.length === 0) return [];
  return db
    .selectFrom('model_versions as v')
    .selectAll('v')
    .where(inTextList(db, 'v.name', names))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('model_versions as w')
            .select(sql.lit(1).as('one'))
            .whereRef('w.name', '=', 'v.name')
            .whereRef('w.current_stage', '=', 'v.current_stage')
            .whereRef('w.version', '>', 'v.version'),
        ),
      ),
    )
    .execute();
}
