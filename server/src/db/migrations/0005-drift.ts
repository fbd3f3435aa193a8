// Drift monitoring: per-bucket drift feature summaries on the rollups (filled here from the raw rows still kept), and
// the reference summaries each model version's drift is measured against.
import type { Kysely, Migration } from 'kysely';
import { backfillFeatureSummaries } from '../../monitoring/rollups/rollup-backfill.js';

export const drift: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('prediction_rollups').addColumn('features', 'text').execute();

    await db.schema
      .createTable('drift_references')
      .addColumn('model_name', 'text', (c) => c.notNull())
      .addColumn('model_version', 'text', (c) => c.notNull())
      .addColumn('features', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('row_count', 'bigint', (c) => c.notNull())
      .addColumn('range_from', 'bigint')
      .addColumn('range_to', 'bigint')
      .addColumn('created_time', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('drift_references_pk', ['model_name', 'model_version'])
      .execute();

    await backfillFeatureSummaries(db);
  },

  async down(db: Kysely<any>) {
    await db.schema.dropTable('drift_references').execute();
    await db.schema.alterTable('prediction_rollups').dropColumn('features').execute();
  },
};
