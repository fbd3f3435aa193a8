// Shadow runs by model version and time, for the version comparison's shadow agreement and shadow accuracy: without
// it those reads walk every prediction of the version in the window (seconds over a month of a busy version) to find
// the few percent that are shadow runs. Partial, so served predictions (nearly every insert) do not maintain it.
import { sql, type Kysely, type Migration } from 'kysely';

export const shadowRunsIndex: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('predictions_shadow_runs_idx')
      .on('predictions')
      .columns(['model_name', 'model_version', 'created_at'])
      .where(sql.ref('shadow_of'), 'is not', null)
      .execute();
  },

  async down(db: Kysely<any>) {
    await db.schema.dropIndex('predictions_shadow_runs_idx').execute();
  },
};
