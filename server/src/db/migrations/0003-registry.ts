// Registry tags and aliases (MLflow's registered_model_tags, model_version_tags, registered_model_aliases), what
// FoodLens needs to serve a registered version (model_version_servables), deployments with their revision history,
// ground-truth feedback on predictions, and the serving variant of each logged prediction. Names cascade on update, so
// a rename is one UPDATE.
import type { Kysely, Migration } from 'kysely';
import { dialectOf, orderedKeyType } from '../dialect.js';

export const registry: Migration = {
  async up(db: Kysely<any>) {
    const sortable = orderedKeyType(dialectOf(db));

    // The highest version number ever deleted from the model, so a new version never reuses a deleted one's number
    // (MLflow keeps deleted versions as hidden rows for the same reason; predictions and runs refer to versions).
    await db.schema
      .alterTable('registered_models')
      .addColumn('max_deleted_version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('registered_model_tags')
      .addColumn('name', 'text', (c) => c.notNull().references('registered_models.name').onDelete('cascade').onUpdate('cascade'))
      .addColumn('key', sortable, (c) => c.notNull())
      .addColumn('value', 'text')
      .addPrimaryKeyConstraint('registered_model_tags_pk', ['name', 'key'])
      .execute();

    await db.schema
      .createTable('model_version_tags')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('key', sortable, (c) => c.notNull())
      .addColumn('value', 'text')
      .addPrimaryKeyConstraint('model_version_tags_pk', ['name', 'version', 'key'])
      .addForeignKeyConstraint('model_version_tags_fk', ['name', 'version'], 'model_versions', ['name', 'version'], (fk) =>
        fk.onDelete('cascade').onUpdate('cascade'),
      )
      .execute();

    // As in MLflow's schema the alias references the model, not the version: deleting a version deletes its aliases
    // in the registry service.
    await db.schema
      .createTable('registered_model_aliases')
      .addColumn('name', 'text', (c) => c.notNull().references('registered_models.name').onDelete('cascade').onUpdate('cascade'))
      .addColumn('alias', sortable, (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('registered_model_aliases_pk', ['name', 'alias'])
      .execute();

    // How to serve a version: runtime, the JSON serving spec (task, labels, input, normalisation) and where the model
    // file lives, relative to MLFLOW_ARTIFACT_LOCATION. Built-in versions (food-detector 1 and 2) have no row.
    await db.schema
      .createTable('model_version_servables')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('runtime', 'text', (c) => c.notNull())
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('model_path', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('load_ms', 'double precision')
      .addColumn('created_time', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_version_servables_pk', ['name', 'version'])
      .addForeignKeyConstraint('model_version_servables_fk', ['name', 'version'], 'model_versions', ['name', 'version'], (fk) =>
        fk.onDelete('cascade').onUpdate('cascade'),
      )
      .execute();

    // The live deployment of a model (champion = alias `champion`; challengers and shadow in config JSON) and every
    // earlier revision, so a rollback is "apply revision N-1 again".
    await db.schema
      .createTable('deployments')
      .addColumn('model_name', 'text', (c) => c.primaryKey().references('registered_models.name').onDelete('cascade').onUpdate('cascade'))
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('updated_time', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('deployment_revisions')
      .addColumn('model_name', 'text', (c) => c.notNull().references('registered_models.name').onDelete('cascade').onUpdate('cascade'))
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('created_time', 'bigint', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addPrimaryKeyConstraint('deployment_revisions_pk', ['model_name', 'revision'])
      .execute();

    // Ground truth sent back by users: one row per prediction, a later answer replaces an earlier one. No foreign key:
    // the prediction may still be in the writer's queue, or its raw row past retention, when feedback arrives.
    await db.schema
      .createTable('prediction_feedback')
      .addColumn('prediction_id', orderedKeyType(dialectOf(db)), (c) => c.primaryKey())
      .addColumn('correct', 'integer', (c) => c.notNull())
      .addColumn('label', 'text')
      .addColumn('created_time', 'bigint', (c) => c.notNull())
      .addColumn('updated_time', 'bigint', (c) => c.notNull())
      .execute();

    // 'champion' | 'challenger' | 'shadow' (null for rows logged before deployments existed). A shadow prediction
    // points at the served prediction it shadowed, for agreement rates.
    await db.schema.alterTable('predictions').addColumn('variant', 'text').execute();
    await db.schema.alterTable('predictions').addColumn('shadow_of', 'text').execute();
    await db.schema.createIndex('predictions_shadow_of_idx').on('predictions').column('shadow_of').execute();
  },

  async down(db: Kysely<any>) {
    await db.schema.dropIndex('predictions_shadow_of_idx').execute();
    await db.schema.alterTable('predictions').dropColumn('shadow_of').execute();
    await db.schema.alterTable('predictions').dropColumn('variant').execute();
    await db.schema.alterTable('registered_models').dropColumn('max_deleted_version').execute();
    for (const t of ['prediction_feedback', 'deployment_revisions', 'deployments', 'model_version_servables', 'registered_model_aliases', 'model_version_tags', 'registered_model_tags']) {
      await db.schema.dropTable(t).execute();
    }
  },
};
