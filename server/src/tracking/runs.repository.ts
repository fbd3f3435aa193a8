// Run SQL: the runs table itself (lifecycle, info updates, search). Side data lives in run-data.repository.ts.
import type { Expression, Insertable, Kysely, Selectable, SqlBool, Updateable } from 'kysely';
import { inTextList } from '../db/dialect.js';
import type { RunsTable, Tables } from '../db/tables.js';
import { applyOrderBy, type OrderByItem } from './search/index.js';

export type RunRow = Selectable<RunsTable>;

export async function insertRun(db: Kysely<Tables>, row: Insertable<RunsTable>): Promise<void> {
  await db.insertInto('runs').values(row).execute();
}

export async function selectRun(db: Kysely<Tables>, runId: string): Promise<RunRow | undefined> {
  return db.selectFrom('runs').selectAll().where('run_uuid', '=', runId).executeTakeFirst();
}

/** What a write needs to know about its run: does it exist, and is it active. */
export async function selectRunLifecycle(
  db: Kysely<Tables>,
  runId: string,
): Promise<{ experiment_id: number; lifecycle_stage: 'active' | 'deleted' } | undefined> {
  return db.selectFrom('runs').select(['experiment_id', 'lifecycle_stage']).where('run_uuid', '=', runId).executeTakeFirst();
}

export async function updateRun(db: Kysely<Tables>, runId: string, set: Updateable<RunsTable>): Promise<void> {
  await db.updateTable('runs').set(set).where('run_uuid', '=', runId).execute();
}

/** Deletes or restores every run of an experiment (MLflow cascades experiment delete/restore to its runs). */
export async function setExperimentRunsLifecycle(
  db: Kysely<Tables>,
  experimentId: number,
  stage: 'active' | 'deleted',
  now: number,
): Promise<void> {
  await db
    .updateTable('runs')
    .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? now : null })
    .where('experiment_id', '=', experimentId)
    .execute();
}

export interface RunSearchQuery {
  experimentIds: readonly number[];
  stages: ReadonlyArray<'active' | 'deleted'>;
  filter: Expression<SqlBool>;
  order: readonly OrderByItem[];
  limit: number;
  offset: number;
}

/**
 * The compiled filter and order refer to the table as `runs` (TRACKING_SEARCH_SCHEMA). Two steps: the page's ids in
 * order first, then their rows. Sorting only ids (the sort keys are correlated lookups evaluated for every matching
 * run) measured ~30% faster over 10,000 runs than sorting whole rows.
 */
export async function searchRunRows(db: Kysely<Tables>, q: RunSearchQuery): Promise<RunRow[]> {
  if (q.experimentIds.length === 0) return [];
  const query = db
    .selectFrom('runs')
    .select('runs.run_uuid')
    .where('runs.experiment_id', 'in', q.experimentIds)
    .where('runs.lifecycle_stage', 'in', q.stages)
    .where(q.filter)
    .limit(q.limit)
    .offset(q.offset);
  const ids = (await applyOrderBy(query, q.order).execute()).map((r) => r.run_uuid);
  if (ids.length === 0) return [];
  const rows = await selectRunsByIds(db, ids);
  const byId = new Map(rows.map((r) => [r.run_uuid, r]));
  // a run deleted for good between the two reads (mlflow gc) is simply left out
  return ids.map((id) => byId.get(id)).filter((r): r is RunRow => r !== undefined);
}

export async function selectRunsByIds(db: Kysely<Tables>, ids: readonly string[]): Promise<RunRow[]> {
  return db.selectFrom('runs').selectAll().where(inTextList(db, 'run_uuid', ids)).execute();
}
