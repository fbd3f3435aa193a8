// MLflow tracking tables (after mlflow/store/tracking/dbmodels/models.py), named as tracking/search/schema.ts
// expects them. Portable types only: times are BIGINT epoch ms and run/dataset ids uuid4 hex, both made in application
// code. Experiment ids are integers the database assigns (MLflow's autoincrement), so two instances creating
// experiments at once cannot collide; experiment "0" (Default) is inserted explicitly at start (tracking/seed.ts).
import { sql, type Kysely, type Migration } from 'kysely';
import { dialectOf, orderedKeyType } from '../dialect.js';

export const tracking: Migration = {
  async up(db: Kysely<any>) {
    const dialect = dialectOf(db);
    // Text that searches sort by (run ids break every tie; names, param and tag values are order_by keys) compares
    // bytewise on both dialects, as SQLite does, so results come in the same order whatever the database's locale.
    const runId = orderedKeyType(dialect);
    const sortable = orderedKeyType(dialect);

    let experiments = db.schema.createTable('experiments');
    experiments =
      dialect === 'postgres'
        ? experiments.addColumn('experiment_id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        : // An INTEGER PRIMARY KEY is SQLite's rowid: a new row gets max(id) + 1, and experiments are never removed.
          experiments.addColumn('experiment_id', 'integer', (c) => c.primaryKey());
    await experiments
      .addColumn('name', sortable, (c) => c.notNull().unique())
      .addColumn('artifact_location', 'text', (c) => c.notNull())
      .addColumn('lifecycle_stage', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('creation_time', 'bigint')
      .addColumn('last_update_time', 'bigint')
      .addCheckConstraint('experiments_lifecycle_stage_check', sql`lifecycle_stage in ('active', 'deleted')`)
      .execute();
    await db.schema.createIndex('experiments_creation_time_idx').on('experiments').columns(['creation_time', 'experiment_id']).execute();

    await db.schema
      .createTable('experiment_tags')
      .addColumn('experiment_id', 'integer', (c) => c.notNull().references('experiments.experiment_id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text')
      .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
      .execute();

    await db.schema
      .createTable('runs')
      .addColumn('run_uuid', runId, (c) => c.primaryKey())
      .addColumn('experiment_id', 'integer', (c) => c.notNull().references('experiments.experiment_id').onDelete('cascade'))
      .addColumn('name', sortable, (c) => c.notNull())
      .addColumn('user_id', sortable)
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('start_time', 'bigint')
      .addColumn('end_time', 'bigint')
      .addColumn('deleted_time', 'bigint')
      .addColumn('lifecycle_stage', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('artifact_uri', 'text', (c) => c.notNull())
      .addCheckConstraint('runs_lifecycle_stage_check', sql`lifecycle_stage in ('active', 'deleted')`)
      .addCheckConstraint('runs_status_check', sql`status in ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED')`)
      .execute();
    // Run search: experiment + view type, then the default order (start_time DESC, run_uuid ASC) straight off the index.
    await db.schema
      .createIndex('runs_experiment_start_time_idx')
      .on('runs')
      .columns(['experiment_id', 'lifecycle_stage', 'start_time', 'run_uuid'])
      .execute();

    // Side tables are read by (run, key) and nothing else. On SQLite, WITHOUT ROWID keeps each row inside its primary
    // key's B-tree: one seek per lookup instead of index then table, which halves the cost of search filters and
    // sorts (one lookup per candidate run and clause) and of the write path's upserts.
    const withoutRowid = <T extends { modifyEnd(e: ReturnType<typeof sql>): T }>(builder: T): T =>
      dialect === 'sqlite' ? builder.modifyEnd(sql`without rowid`) : builder;
    const sideTable = (name: string) =>
      withoutRowid(
        db.schema
          .createTable(name)
          .addColumn('run_uuid', runId, (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('value', sortable, (c) => c.notNull())
          .addPrimaryKeyConstraint(`${name}_pk`, ['run_uuid', 'key']),
      ).execute();
    await sideTable('params');
    await sideTable('tags');

    // Full metric history. The key is MLflow's (every column), so logging the very same point twice stores it once;
    // it is also the history read path: (run, key) then step, timestamp, value order. SQLite keeps the rows in that
    // index itself (WITHOUT ROWID), one B-tree insert per point instead of two.
    const metrics = db.schema
      .createTable('metrics')
      .addColumn('run_uuid', runId, (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('step', 'bigint', (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      // NaN is stored as 0 with is_nan = 1 and ±Infinity as ±DBL_MAX, as MLflow's SQL store does.
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('is_nan', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('metrics_pk', ['run_uuid', 'key', 'step', 'timestamp', 'value', 'is_nan']);
    await withoutRowid(metrics).execute();

    // One row per (run, key): the point with the largest (step, timestamp, value). Run search filters and sorts on it,
    // one (run, key) lookup per candidate run. No index on (key, value): every logged metric would pay for it, and
    // the searches start from the experiment's runs.
    const latest = db.schema
      .createTable('latest_metrics')
      .addColumn('run_uuid', runId, (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('step', 'bigint', (c) => c.notNull())
      .addColumn('is_nan', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('latest_metrics_pk', ['run_uuid', 'key']);
    await withoutRowid(latest).execute();

    // Datasets belong to an experiment and are shared by its runs (MLflow dedupes them by name and digest).
    await db.schema
      .createTable('datasets')
      .addColumn('dataset_uuid', 'text', (c) => c.primaryKey())
      .addColumn('experiment_id', 'integer', (c) => c.notNull().references('experiments.experiment_id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('source_type', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('schema', 'text')
      .addColumn('profile', 'text')
      .addUniqueConstraint('datasets_experiment_name_digest_uq', ['experiment_id', 'name', 'digest'])
      .execute();
    // A run's use of a dataset. name, digest and the `mlflow.data.context` tag are copied here (datasets never
    // change), so the dataset search filter reads one table.
    await db.schema
      .createTable('run_inputs')
      .addColumn('run_uuid', runId, (c) => c.notNull().references('runs.run_uuid').onDelete('cascade'))
      .addColumn('dataset_uuid', 'text', (c) => c.notNull().references('datasets.dataset_uuid').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('context', 'text')
      .addPrimaryKeyConstraint('run_inputs_pk', ['run_uuid', 'dataset_uuid'])
      .execute();
    await db.schema
      .createTable('input_tags')
      .addColumn('run_uuid', runId, (c) => c.notNull())
      .addColumn('dataset_uuid', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('input_tags_pk', ['run_uuid', 'dataset_uuid', 'key'])
      .addForeignKeyConstraint('input_tags_input_fk', ['run_uuid', 'dataset_uuid'], 'run_inputs', ['run_uuid', 'dataset_uuid'], (c) =>
        c.onDelete('cascade'),
      )
      .execute();
  },

  async down(db: Kysely<any>) {
    for (const table of ['input_tags', 'run_inputs', 'datasets', 'latest_metrics', 'metrics', 'tags', 'params', 'runs', 'experiment_tags', 'experiments']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
