// Experiment SQL. Functions take a Kysely instance or a transaction; no logic beyond the statements.
import { type Expression, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { ExperimentsTable, Tables } from '../db/tables.js';
import { applyOrderBy, type OrderByItem } from './search/index.js';

export type ExperimentRow = Selectable<ExperimentsTable>;
export type ExperimentTagRow = Selectable<Tables['experiment_tags']>;

export const DEFAULT_EXPERIMENT_ID = 0;
export const DEFAULT_EXPERIMENT_NAME = 'Default';

/** Inserts and returns the id the database assigned. */
export async function insertExperiment(
  db: Kysely<Tables>,
  row: { name: string; artifact_location: string; creation_time: number },
): Promise<number> {
  const inserted = await db
    .insertInto('experiments')
    .values({ ...row, lifecycle_stage: 'active', last_update_time: row.creation_time })
    .returning('experiment_id')
    .executeTakeFirstOrThrow();
  return Number(inserted.experiment_id);
}

/** Experiment 0 "Default" unless it (or any experiment named Default) exists; safe for instances starting together. */
export async function insertDefaultExperimentIfAbsent(db: Kysely<Tables>, artifactLocation: string, now: number): Promise<void> {
  await db
    .insertInto('experiments')
    .values({
      experiment_id: DEFAULT_EXPERIMENT_ID,
      name: DEFAULT_EXPERIMENT_NAME,
      artifact_location: artifactLocation,
      lifecycle_stage: 'active',
      creation_time: now,
      last_update_time: now,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function setArtifactLocation(db: Kysely<Tables>, id: number, location: string): Promise<void> {
  await db.updateTable('experiments').set({ artifact_location: location }).where('experiment_id', '=', id).execute();
}

export async function selectExperimentById(db: Kysely<Tables>, id: number): Promise<ExperimentRow | undefined> {
  return db.selectFrom('experiments').selectAll().where('experiment_id', '=', id).executeTakeFirst();
}

export async function selectExperimentByName(db: Kysely<Tables>, name: string): Promise<ExperimentRow | undefined> {
  return db.selectFrom('experiments').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function selectExperimentTags(db: Kysely<Tables>, ids: readonly number[]): Promise<ExperimentTagRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('experiment_tags')
    .selectAll()
    .where('experiment_id', 'in', ids)
    // insertion order is not kept by either database; key order is stable and readable
    .orderBy('experiment_id')
    .orderBy('key')
    .execute();
}

export async function renameExperiment(db: Kysely<Tables>, id: number, name: string, now: number): Promise<void> {
  await db.updateTable('experiments').set({ name, last_update_time: now }).where('experiment_id', '=', id).execute();
}

export async function setExperimentLifecycle(
  db: Kysely<Tables>,
  id: number,
  stage: 'active' | 'deleted',
  now: number,
): Promise<void> {
  await db.updateTable('experiments').set({ lifecycle_stage: stage, last_update_time: now }).where('experiment_id', '=', id).execute();
}

export async function upsertExperimentTags(
  db: Kysely<Tables>,
  id: number,
  tags: ReadonlyArray<{ key: string; value: string }>,
): Promise<void> {
  if (tags.length === 0) return;
  await db
    .insertInto('experiment_tags')
    .values(tags.map((t) => ({ experiment_id: id, key: t.key, value: t.value })))
    .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
    .execute();
}

export async function touchExperiment(db: Kysely<Tables>, id: number, now: number): Promise<void> {
  await db.updateTable('experiments').set({ last_update_time: now }).where('experiment_id', '=', id).execute();
}

export interface ExperimentSearchQuery {
  stages: ReadonlyArray<'active' | 'deleted'>;
  filter: Expression<SqlBool>;
  order: readonly OrderByItem[];
  limit: number;
  offset: number;
}

/** The compiled filter and order refer to the table as `experiments` (TRACKING_SEARCH_SCHEMA). */
export async function searchExperimentRows(db: Kysely<Tables>, q: ExperimentSearchQuery): Promise<ExperimentRow[]> {
  const query = db
    .selectFrom('experiments')
    .selectAll('experiments')
    .where('experiments.lifecycle_stage', 'in', q.stages)
    .where(q.filter)
    .limit(q.limit)
    .offset(q.offset);
  return applyOrderBy(query, q.order).execute();
}

/** True when the error is the unique constraint on experiments.name (both dialects). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
