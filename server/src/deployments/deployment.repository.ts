// SQL for deployments (the live revision of each model) and deployment_revisions (every revision ever applied).
// Functions take a Kysely instance or a transaction; no logic beyond the statements.
import type { Kysely, Selectable } from 'kysely';
import type { DeploymentRevisionsTable, DeploymentsTable, Tables } from '../db/tables.js';

export type DeploymentRow = Selectable<DeploymentsTable>;
export type DeploymentRevisionRow = Selectable<DeploymentRevisionsTable>;

export async function selectDeployment(db: Kysely<Tables>, model: string): Promise<DeploymentRow | undefined> {
  return db.selectFrom('deployments').selectAll().where('model_name', '=', model).executeTakeFirst();
}

/** Newest first. */
export async function selectRevisions(db: Kysely<Tables>, model: string, limit: number): Promise<DeploymentRevisionRow[]> {
  if (limit <= 0) return [];
  return db
    .selectFrom('deployment_revisions')
    .selectAll()
    .where('model_name', '=', model)
    .orderBy('revision', 'desc')
    .limit(limit)
    .execute();
}

export async function selectRevision(db: Kysely<Tables>, model: string, revision: number): Promise<DeploymentRevisionRow | undefined> {
  return db
    .selectFrom('deployment_revisions')
    .selectAll()
    .where('model_name', '=', model)
    .where('revision', '=', revision)
    .executeTakeFirst();
}

/** Revision 1 of a model's deployment unless it has one; true when this call created it. Run in a transaction. */
export async function insertFirstRevision(trx: Kysely<Tables>, model: string, config: string, now: number, comment: string): Promise<boolean> {
  const inserted = await trx
    .insertInto('deployments')
    .values({ model_name: model, revision: 1, config, updated_time: now })
    .onConflict((oc) => oc.column('model_name').doNothing())
    .executeTakeFirst();
  if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) return false;
  await trx.insertInto('deployment_revisions').values({ model_name: model, revision: 1, config, created_time: now, comment }).execute();
  return true;
}

/**
 * Makes `config` revision expected + 1, if the live revision is still `expected` (another instance may have moved
 * it). Returns the new revision, or null when it was not `expected`. Run in a transaction.
 */
export async function appendRevision(
  trx: Kysely<Tables>,
  model: string,
  expected: number,
  config: string,
  now: number,
  comment: string | null,
): Promise<number | null> {
  const revision = expected + 1;
  const updated = await trx
    .updateTable('deployments')
    .set({ revision, config, updated_time: now })
    .where('model_name', '=', model)
    .where('revision', '=', expected)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return null;
  await trx.insertInto('deployment_revisions').values({ model_name: model, revision, config, created_time: now, comment }).execute();
  return revision;
}
