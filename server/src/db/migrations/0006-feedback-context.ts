// Feedback carries what it judges: the prediction's time, model, version, variant, confidence and food are copied
// onto the feedback row when it is recorded. Realised accuracy and the CBPE calibration then read the small
// feedback table alone (one index range), never a per-row lookup into the 10M-row log, and outlive the raw-row
// retention like the rollups do. Existing feedback is filled from the log; feedback whose prediction is already gone
// keeps nulls and is left out of monitoring (it cannot be placed in time).
import { sql, type Kysely, type Migration } from 'kysely';

const COPIED = ['created_at', 'model_name', 'model_version', 'variant', 'confidence', 'food_name'] as const;

export const feedbackContext: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('prediction_feedback').addColumn('prediction_created_at', 'bigint').execute();
    for (const c of ['model_name', 'model_version', 'variant', 'food_name']) await db.schema.alterTable('prediction_feedback').addColumn(c, 'text').execute();
    await db.schema.alterTable('prediction_feedback').addColumn('confidence', 'double precision').execute();
    for (const c of COPIED) {
      const target = c === 'created_at' ? 'prediction_created_at' : c;
      await sql`update prediction_feedback set ${sql.ref(target)} = (select p.${sql.ref(c)} from predictions p where p.id = prediction_feedback.prediction_id)`.execute(db);
    }
    // covering for the served-accuracy read: the range, the key filters and the two values it needs
    await db.schema
      .createIndex('prediction_feedback_time_idx')
      .on('prediction_feedback')
      .columns(['prediction_created_at', 'model_name', 'model_version', 'variant', 'confidence', 'correct'])
      .where(sql.ref('prediction_created_at'), 'is not', null)
      .execute();
  },

  async down(db: Kysely<any>) {
    await db.schema.dropIndex('prediction_feedback_time_idx').execute();
    for (const c of ['prediction_created_at', 'model_name', 'model_version', 'variant', 'food_name', 'confidence']) {
      await db.schema.alterTable('prediction_feedback').dropColumn(c).execute();
    }
  },
};
