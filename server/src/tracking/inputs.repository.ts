// Datasets and run inputs (runs/log-inputs). A dataset is shared by the runs of its experiment, keyed by name and
// digest; a run uses it once (its input tags come with the first use).
import type { Kysely, Selectable } from 'kysely';
import { inTextList } from '../db/dialect.js';
import type { DatasetsTable, InputTagsTable, RunInputsTable, Tables } from '../db/tables.js';

export type DatasetRow = Selectable<DatasetsTable>;
export type RunInputRow = Selectable<RunInputsTable>;
export type InputTagRow = Selectable<InputTagsTable>;

/** Inserts the dataset unless (experiment, name, digest) exists, and returns the stored row. */
export async function ensureDataset(db: Kysely<Tables>, row: DatasetRow): Promise<DatasetRow> {
  await db
    .insertInto('datasets')
    .values(row)
    .onConflict((oc) => oc.columns(['experiment_id', 'name', 'digest']).doNothing())
    .execute();
  return db
    .selectFrom('datasets')
    .selectAll()
    .where('experiment_id', '=', row.experiment_id)
    .where('name', '=', row.name)
    .where('digest', '=', row.digest)
    .executeTakeFirstOrThrow();
}

/** True when this call linked the dataset to the run (false: the run already had it). */
export async function insertRunInputIfAbsent(db: Kysely<Tables>, row: Omit<RunInputRow, 'position'>): Promise<boolean> {
  const count = await db
    .selectFrom('run_inputs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_uuid', '=', row.run_uuid)
    .executeTakeFirstOrThrow();
  const result = await db
    .insertInto('run_inputs')
    .values({ ...row, position: Number(count.n) })
    .onConflict((oc) => oc.columns(['run_uuid', 'dataset_uuid']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function insertInputTags(db: Kysely<Tables>, rows: InputTagRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('input_tags')
    .values(rows)
    .onConflict((oc) => oc.columns(['run_uuid', 'dataset_uuid', 'key']).doNothing())
    .execute();
}

export interface RunInputsOfRuns {
  inputs: Array<RunInputRow & { dataset: DatasetRow }>;
  tags: InputTagRow[];
}

export async function selectInputsOfRuns(db: Kysely<Tables>, runIds: readonly string[]): Promise<RunInputsOfRuns> {
  if (runIds.length === 0) return { inputs: [], tags: [] };
  const ids = [...runIds];
  const rows = await db
    .selectFrom('run_inputs as i')
    .innerJoin('datasets as d', 'd.dataset_uuid', 'i.dataset_uuid')
    .select([
      'i.run_uuid', 'i.dataset_uuid', 'i.position', 'i.name', 'i.digest', 'i.context',
      'd.experiment_id', 'd.source_type', 'd.source', 'd.schema', 'd.profile',
    ])
    .where(inTextList(db, 'i.run_uuid', ids))
    .orderBy('i.run_uuid')
    .orderBy('i.position')
    .execute();
  if (rows.length === 0) return { inputs: [], tags: [] };
  const tags = await db.selectFrom('input_tags').selectAll().where(inTextList(db, 'run_uuid', ids)).orderBy('key').execute();
  return {
    inputs: rows.map((r) => ({
      run_uuid: r.run_uuid,
      dataset_uuid: r.dataset_uuid,
      position: r.position,
      name: r.name,
      digest: r.digest,
      context: r.context,
      dataset: {
        dataset_uuid: r.dataset_uuid,
        experiment_id: r.experiment_id,
        name: r.name,
        digest: r.digest,
        source_type: r.source_type,
        source: r.source,
        schema: r.schema,
        profile: r.profile,
      },
    })),
    tags,
  };
}
