// Ground-truth feedback on predictions: one answer per prediction, a later answer replaces an earlier one. The
// prediction must exist; one that is answered but still in the prediction-log writer's queue counts (the caller's
// flush hook writes it first), so feedback sent right after a prediction is not a spurious 404. The prediction's time,
// model, version, variant, confidence and food are copied onto the feedback row, so monitoring reads feedback alone
// (and realised accuracy outlives the raw-row retention).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/connection.js';
import type { Tables } from '../../db/tables.js';
import { InvalidParameter, NotFound } from '../../util/errors.js';

export interface FeedbackInput {
  predictionId: string;
  correct: boolean;
  label?: string | null;
  now?: number;
}

export interface Feedback {
  predictionId: string;
  correct: boolean;
  label: string | null;
  updatedTime: number;
  replaced: boolean;
}

export interface FeedbackDeps {
  database: Database;
  /** writes queued predictions to the store (the prediction-log writer's flush) */
  flushPending?: () => Promise<void>;
}

export async function recordFeedback(deps: FeedbackDeps, input: FeedbackInput): Promise<Feedback> {
  const db = deps.database.db;
  let prediction = await findPrediction(db, input.predictionId);
  if (!prediction && deps.flushPending) {
    await deps.flushPending();
    prediction = await findPrediction(db, input.predictionId);
  }
  if (!prediction) throw new NotFound(`prediction ${input.predictionId} does not exist`);
  if (prediction.variant === 'shadow') {
    throw new InvalidParameter('feedback goes to the served prediction, not to a shadow run (shadows are scored from it)');
  }
  const now = input.now ?? Date.now();
  const label = input.label ?? null;
  return db.transaction().execute(async (trx) => {
    const earlier = await trx
      .selectFrom('prediction_feedback')
      .select('prediction_id')
      .where('prediction_id', '=', input.predictionId)
      .executeTakeFirst();
    const judged = {
      prediction_created_at: Number(prediction.created_at),
      model_name: prediction.model_name,
      model_version: prediction.model_version,
      variant: prediction.variant,
      confidence: prediction.confidence === null ? null : Number(prediction.confidence),
      food_name: prediction.food_name,
    };
    await trx
      .insertInto('prediction_feedback')
      .values({ prediction_id: input.predictionId, correct: input.correct ? 1 : 0, label, created_time: now, updated_time: now, ...judged })
      .onConflict((oc) => oc.column('prediction_id').doUpdateSet({ correct: input.correct ? 1 : 0, label, updated_time: now, ...judged }))
      .execute();
    return { predictionId: input.predictionId, correct: input.correct, label, updatedTime: now, replaced: earlier !== undefined };
  });
}

function findPrediction(db: Kysely<Tables>, id: string) {
  return db
    .selectFrom('predictions')
    .select(['id', 'created_at', 'model_name', 'model_version', 'variant', 'confidence', 'food_name'])
    .where('id', '=', id)
    .executeTakeFirst();
}
