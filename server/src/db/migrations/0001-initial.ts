// Initial schema: the prediction log and MLflow-shaped registry tables. Portable column types only; times are
// BIGINT epoch ms and ids text, both made in application code (no NOW(), no gen_random_uuid()).
import { sql, type Kysely, type Migration } from 'kysely';
import { dialectOf, orderedKeyType } from '../dialect.js';

export const initial: Migration = {
  async up(db: Kysely<any>) {
    const dialect = dialectOf(db);

    await db.schema
      .createTable('predictions')
      .addColumn('id', orderedKeyType(dialect), (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('model_name', 'text')
      .addColumn('model_version', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error_class', 'text')
      .addColumn('food_name', 'text')
      .addColumn('confidence', 'double precision')
      .addColumn('detections', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('latency_ms', 'double precision', (c) => c.notNull())
      .addColumn('inference_ms', 'double precision')
      .addColumn('image_width', 'integer')
      .addColumn('image_height', 'integer')
      .addColumn('image_bytes', 'integer')
      .addColumn('image_format', 'text')
      .addColumn('brightness', 'double precision')
      .addColumn('contrast', 'double precision')
      .addColumn('saturation', 'double precision')
      .addColumn('sharpness', 'double precision')
      .addCheckConstraint('predictions_status_check', sql`status in ('ok', 'error')`)
      .execute();
    await db.schema.createIndex('predictions_created_at_idx').on('predictions').column('created_at').execute();
    await db.schema
      .createIndex('predictions_model_created_at_idx')
      .on('predictions')
      .columns(['model_name', 'model_version', 'created_at'])
      .execute();
    await db.schema.createIndex('predictions_user_id_idx').on('predictions').column('user_id').execute();
    await db.schema.createIndex('predictions_food_name_idx').on('predictions').column('food_name').execute();

    // MLflow's registry tables (mlflow/store/model_registry/dbmodels/models.py), minus what later migrations add
    // (tags, aliases). Names cascade on update too, so a later rename_registered_model is one UPDATE.
    await db.schema
      .createTable('registered_models')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('creation_time', 'bigint', (c) => c.notNull())
      .addColumn('last_updated_time', 'bigint', (c) => c.notNull())
      .addColumn('description', 'text')
      .execute();
    await db.schema
      .createTable('model_versions')
      .addColumn('name', 'text', (c) => c.notNull().references('registered_models.name').onDelete('cascade').onUpdate('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('creation_time', 'bigint', (c) => c.notNull())
      .addColumn('last_updated_time', 'bigint', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('user_id', 'text')
      .addColumn('current_stage', 'text', (c) => c.notNull().defaultTo('None'))
      .addColumn('source', 'text')
      .addColumn('run_id', 'text')
      .addColumn('run_link', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('READY'))
      .addColumn('status_message', 'text')
      .addPrimaryKeyConstraint('model_versions_pk', ['name', 'version'])
      .execute();
  },

  async down(db: Kysely<any>) {
    await db.schema.dropTable('model_versions').execute();
    await db.schema.dropTable('registered_models').execute();
    await db.schema.dropTable('predictions').execute();
  },
};
