// Params, tags and metrics of runs: the batch write path (db/dialect.ts bulk statements, one per table per batch)
// and the reads that assemble Run objects for many runs at once.
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/connection.js';
import { bulkInsert, defineBulkInsert, inTextList } from '../db/dialect.js';
import type { LatestMetricsTable, RunKeyValueTable, Tables } from '../db/tables.js';

export type KeyValueRow = Selectable<RunKeyValueTable>;
export type LatestMetricRow = Selectable<LatestMetricsTable>;

/** Rows in column order: [run_uuid, key, value]. A param that exists is left alone; the caller compares values. */
const INSERT_PARAMS = defineBulkInsert({
  table: 'params',
  columns: [
    { name: 'run_uuid', type: 'text' },
    { name: 'key', type: 'text' },
    { name: 'value', type: 'text' },
  ],
  conflictColumns: ['run_uuid', 'key'],
});

/** [run_uuid, key, value]; keys must be distinct within one call. */
const UPSERT_TAGS = defineBulkInsert({
  table: 'tags',
  columns: INSERT_PARAMS.spec.columns,
  conflictColumns: ['run_uuid', 'key'],
  conflictAction: 'do update set "value" = excluded."value"',
});

/** [run_uuid, key, step, timestamp, value, is_nan]; the very same point logged again is skipped, as in MLflow. */
const INSERT_METRICS = defineBulkInsert({
  table: 'metrics',
  columns: [
    { name: 'run_uuid', type: 'text' },
    { name: 'key', type: 'text' },
    { name: 'step', type: 'bigint' },
    { name: 'timestamp', type: 'bigint' },
    { name: 'value', type: 'double' },
    { name: 'is_nan', type: 'integer' },
  ],
  conflictColumns: ['run_uuid', 'key', 'step', 'timestamp', 'value', 'is_nan'],
});

/**
 * [run_uuid, key, step, timestamp, value, is_nan], one row per key: replaces the latest point only when the new one
 * is larger by (step, timestamp, value), which is MLflow's rule. The comparison runs in the database, so concurrent
 * writers cannot move the latest value backwards.
 */
const UPSERT_LATEST_METRICS = defineBulkInsert({
  table: 'latest_metrics',
  columns: INSERT_METRICS.spec.columns,
  conflictColumns: ['run_uuid', 'key'],
  conflictAction:
    'do update set "step" = excluded."step", "timestamp" = excluded."timestamp", "value" = excluded."value", ' +
    '"is_nan" = excluded."is_nan" where (excluded."step", excluded."timestamp", excluded."value") > ' +
    '("latest_metrics"."step", "latest_metrics"."timestamp", "latest_metrics"."value")',
});

export type ParamRow = readonly [runId: string, key: string, value: string];
export type MetricRow = readonly [runId: string, key: string, step: number, timestamp: number, value: number, isNan: 0 | 1];

/** All four run inside `trx`, a transaction opened on `database.db`. */
export async function insertParamsIfAbsent(database: Database, trx: Kysely<Tables>, rows: readonly ParamRow[]): Promise<void> {
  await bulkInsert(database, trx, INSERT_PARAMS, rows);
}

export async function upsertTags(database: Database, trx: Kysely<Tables>, rows: readonly ParamRow[]): Promise<void> {
  await bulkInsert(database, trx, UPSERT_TAGS, rows);
}

export async function insertMetrics(database: Database, trx: Kysely<Tables>, rows: readonly MetricRow[]): Promise<void> {
  await bulkInsert(database, trx, INSERT_METRICS, rows);
}

export async function upsertLatestMetrics(database: Database, trx: Kysely<Tables>, rows: readonly MetricRow[]): Promise<void> {
  await bulkInsert(database, trx, UPSERT_LATEST_METRICS, rows);
}

export async function selectParams(db: Kysely<Tables>, runId: string, keys: readonly string[]): Promise<KeyValueRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('params').selectAll().where('run_uuid', '=', runId).where('key', 'in', keys).execute();
}

export async function deleteTag(db: Kysely<Tables>, runId: string, key: string): Promise<boolean> {
  const result = await db.deleteFrom('tags').where('run_uuid', '=', runId).where('key', '=', key).executeTakeFirst();
  return (result.numDeletedRows ?? 0n) > 0n;
}

export async function selectTag(db: Kysely<Tables>, runId: string, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('tags').select('value').where('run_uuid', '=', runId).where('key', '=', key).executeTakeFirst();
  return row?.value;
}

// ---------------------------------------------------------------------------------------------------------------
// Reads for many runs (a search page), the list of ids bound as one parameter. Unordered: sorting thousands of rows in
// SQL measured slower than sorting each run's handful in the mapper.

export function selectParamsOfRuns(db: Kysely<Tables>, runIds: readonly string[]): Promise<KeyValueRow[]> {
  return db.selectFrom('params').selectAll().where(inTextList(db, 'run_uuid', runIds)).execute();
}

export function selectTagsOfRuns(db: Kysely<Tables>, runIds: readonly string[]): Promise<KeyValueRow[]> {
  return db.selectFrom('tags').selectAll().where(inTextList(db, 'run_uuid', runIds)).execute();
}

export function selectLatestMetricsOfRuns(db: Kysely<Tables>, runIds: readonly string[]): Promise<LatestMetricRow[]> {
  return db.selectFrom('latest_metrics').selectAll().where(inTextList(db, 'run_uuid', runIds)).execute();
}
