// Time-bucketed rollups of the prediction log (monitoring/rollups/): per minute, hour and UTC day, per model,
// version and variant: counts, sums, fixed-bin histograms, a distinct-user sketch and a top-users summary (hours and
// days); per-food counts. Rows already in the log are rolled up here once, so history survives the upgrade.
import { sql, type Kysely, type Migration } from 'kysely';
import { dialectOf } from '../dialect.js';
import { backfillRollups } from '../../monitoring/rollups/rollup-backfill.js';

const KEY = ['grain', 'bucket_start', 'model_name', 'model_version', 'variant'];

export const rollups: Migration = {
  async up(db: Kysely<any>) {
    // SQLite: the per-food table is nothing but its key and a count, so store it clustered by that
    // key (one b-tree per upsert instead of a rowid table plus its key index; measured ~2x cheaper per upsert).
    const clustered = dialectOf(db) === 'sqlite' ? sql`without rowid` : sql``;
    const keyed = (table: string) =>
      db.schema
        .createTable(table)
        .addColumn('grain', 'text', (c) => c.notNull())
        .addColumn('bucket_start', 'bigint', (c) => c.notNull())
        .addColumn('model_name', 'text', (c) => c.notNull())
        .addColumn('model_version', 'text', (c) => c.notNull())
        .addColumn('variant', 'text', (c) => c.notNull());

    await keyed('prediction_rollups')
      .addColumn('requests', 'bigint', (c) => c.notNull())
      .addColumn('errors', 'bigint', (c) => c.notNull())
      .addColumn('no_food', 'bigint', (c) => c.notNull())
      .addColumn('anonymous', 'bigint', (c) => c.notNull())
      .addColumn('confidence_count', 'bigint', (c) => c.notNull())
      .addColumn('confidence_sum', 'double precision', (c) => c.notNull())
      .addColumn('latency_sum', 'double precision', (c) => c.notNull())
      .addColumn('confidence_hist', 'text', (c) => c.notNull())
      .addColumn('latency_hist', 'text', (c) => c.notNull())
      .addColumn('users_hll', 'text')
      .addColumn('users_top', 'text')
      .addPrimaryKeyConstraint('prediction_rollups_pk', KEY as any)
      .execute();

    await keyed('prediction_rollup_foods')
      .addColumn('food_name', 'text', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('prediction_rollup_foods_pk', [...KEY, 'food_name'] as any)
      .modifyEnd(clustered)
      .execute();

    // Only shadow rows carry shadow_of (a few percent at most): a partial index spares every other insert one b-tree
    // update (NULLs are indexed too). `shadow_of = x` implies NOT NULL, so both databases still use it.
    await db.schema.dropIndex('predictions_shadow_of_idx').execute();
    await db.schema.createIndex('predictions_shadow_of_idx').on('predictions').column('shadow_of').where(sql.ref('shadow_of'), 'is not', null).execute();

    await backfillRollups(db);
  },

  async down(db: Kysely<any>) {
    await db.schema.dropIndex('predictions_shadow_of_idx').execute();
    await db.schema.createIndex('predictions_shadow_of_idx').on('predictions').column('shadow_of').execute();
    for (const t of ['prediction_rollup_foods', 'prediction_rollups']) await db.schema.dropTable(t).execute();
  },
};
