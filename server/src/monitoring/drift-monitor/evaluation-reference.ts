// A drift reference from an evaluation run (`npm run evaluate`): the run must be a finished evaluation of the model
// version, and its predictions.csv artifact (evaluation/predictions-csv.ts) is summarised row by row into the same
// feature summaries as live predictions. The rows follow the live rules (reference.repository.ts summarises only
// status 'ok' rows; feature-summaries.ts counts a missing value as missing):
//   - an image that could not be predicted (empty `predicted`, message in `error`) is a failed prediction: left out;
//   - "no food" (predicted NO_FOOD with an empty confidence, as a served prediction with no food has food_name null and
//     no confidence) is the food '' (reported as "(no food)") with a missing confidence;
//   - anything else is the predicted food with its confidence and the image's statistics.
import type { Readable } from 'node:stream';
import { joinArtifactPath } from '../../artifacts/artifact-path.js';
import { resolveArtifactUri, type ArtifactStore } from '../../artifacts/artifact-store.js';
import { NO_FOOD } from '../../evaluation/labels.js';
import { CsvSyntaxError, IMAGE_STAT_COLUMNS, parseCsv, PREDICTION_COLUMNS } from '../../evaluation/predictions-csv.js';
import { MODEL_NAME_TAG, MODEL_VERSION_TAG, RUN_TYPE_TAG } from '../../tracking/tracker/run-tags.js';
import type { Run, TrackingService } from '../../tracking/types.js';
import { InvalidParameter, NotFound } from '../../util/errors.js';
import { addPrediction, emptyWindow, type WindowSummaries } from './feature-summaries.js';

export const PREDICTIONS_ARTIFACT = 'predictions.csv';

export interface EvaluationReference {
  summaries: WindowSummaries;
  run: Run;
  /** images that failed in the run, left out */
  failed: number;
  description: string;
}

const valueOf = (items: ReadonlyArray<{ key: string; value: string }>, key: string): string | undefined =>
  items.find((t) => t.key === key)?.value;

/** The run, checked to be a finished evaluation of `model` version `version`: 404 when there is none, 400 saying why not. */
export async function evaluationRunOf(tracking: Pick<TrackingService, 'getRun'>, runId: string, model: string, version: string): Promise<Run> {
  let run: Run;
  try {
    run = await tracking.getRun(runId);
  } catch (err) {
    if (err instanceof NotFound) throw new NotFound(`no run with id ${runId}`, { reason: 'run_not_found' });
    throw err;
  }
  const { tags, params } = run.data;
  const type = valueOf(tags, RUN_TYPE_TAG);
  if (type !== 'evaluation') {
    throw new InvalidParameter(
      `run ${runId} is not an evaluation run (its tag ${RUN_TYPE_TAG} is ${type === undefined ? 'not set' : JSON.stringify(type)}): ` +
        `give a run logged by \`npm run evaluate -- --model ${model}/${version} --data <folder>\``,
      { reason: 'not_evaluation_run' },
    );
  }
  const runModel = valueOf(tags, MODEL_NAME_TAG) ?? valueOf(params, 'model_name');
  const runVersion = valueOf(tags, MODEL_VERSION_TAG) ?? valueOf(params, 'model_version');
  if (runModel !== model || runVersion !== version) {
    throw new InvalidParameter(
      `run ${runId} evaluated ${runModel ?? '(unknown model)'} version ${runVersion ?? '(unknown)'}, not ${model} version ${version}: ` +
        `a reference must come from an evaluation of the same model version`,
      { reason: 'wrong_model_version' },
    );
  }
  if (run.info.lifecycleStage !== 'active') {
    throw new InvalidParameter(`run ${runId} is deleted: restore it first`, { reason: 'run_deleted' });
  }
  if (run.info.status !== 'FINISHED') {
    throw new InvalidParameter(`run ${runId} is ${run.info.status}, not FINISHED: only a finished evaluation run has its predictions`, {
      reason: 'run_not_finished',
    });
  }
  return run;
}

/** Summarises a run's predictions.csv. The store is read as a stream, one row at a time. */
export async function summariseEvaluationRun(
  deps: { tracking: Pick<TrackingService, 'getRun'>; artifacts: ArtifactStore },
  q: { runId: string; model: string; version: string },
): Promise<EvaluationReference> {
  const run = await evaluationRunOf(deps.tracking, q.runId, q.model, q.version);
  const file = joinArtifactPath(resolveArtifactUri(run.info.artifactUri), PREDICTIONS_ARTIFACT);
  let stream: Readable;
  try {
    ({ stream } = await deps.artifacts.get(file));
  } catch (err) {
    if (err instanceof NotFound) {
      throw new InvalidParameter(`run ${q.runId} has no ${PREDICTIONS_ARTIFACT} artifact (at ${file}): it cannot serve as a reference`, {
        reason: 'no_predictions',
      });
    }
    throw err;
  }
  try {
    const { summaries, failed } = await summarisePredictionsCsv(stream, { runId: q.runId, model: q.model, version: q.version });
    if (summaries.rows === 0) {
      throw new InvalidParameter(`run ${q.runId} has no predicted image in its ${PREDICTIONS_ARTIFACT}: nothing to use as a reference`, {
        reason: 'empty_reference',
      });
    }
    const params = run.data.params;
    const dataset = valueOf(params, 'dataset_name');
    const digest = valueOf(params, 'dataset_digest');
    const description =
      `${summaries.rows} images of evaluation run ${run.info.runName ? `${run.info.runName} (${q.runId})` : q.runId}` +
      `${dataset ? ` on dataset ${dataset}${digest ? ` (digest ${digest})` : ''}` : ''}` +
      `${failed ? `; ${failed} that could not be predicted left out` : ''}`;
    return { summaries, run, failed, description };
  } finally {
    stream.destroy();
  }
}

/** predictions.csv rows -> summaries; 400 for a file that is not one, or of a run logged before image statistics. */
export async function summarisePredictionsCsv(
  chunks: AsyncIterable<string | Uint8Array>,
  ctx: { runId: string; model: string; version: string },
): Promise<{ summaries: WindowSummaries; failed: number }> {
  const summaries = emptyWindow();
  let failed = 0;
  let header: string[] | null = null;
  let at: Record<string, number> = {};
  /** data rows read (records after the header) */
  let row = 0;
  const bad = (message: string) =>
    new InvalidParameter(`run ${ctx.runId}'s ${PREDICTIONS_ARTIFACT} ${message}`, { reason: 'invalid_predictions' });
  try {
    for await (const fields of parseCsv(chunks)) {
      if (header === null) {
        header = fields;
        at = Object.fromEntries(fields.map((name, i) => [name, i]));
        const missing = PREDICTION_COLUMNS.filter((c) => at[c] === undefined);
        if (missing.length) throw bad(`is not an evaluation's predictions file: it has no column ${missing.join(', ')}`);
        if (IMAGE_STAT_COLUMNS.some((c) => at[c] === undefined)) {
          throw new InvalidParameter(
            `run ${ctx.runId}'s ${PREDICTIONS_ARTIFACT} has no image statistics (${IMAGE_STAT_COLUMNS.join(', ')}): it was logged by ` +
              `an older evaluate. Re-run \`npm run evaluate -- --model ${ctx.model}/${ctx.version} --data <folder>\` and set the ` +
              `reference from the new run`,
            { reason: 'no_image_stats' },
          );
        }
        continue;
      }
      row++;
      if (fields.length !== header.length) throw bad(`row ${row} has ${fields.length} fields, the header ${header.length}`);
      const text = (column: string) => fields[at[column]!]!;
      const num = (column: string): number | null => {
        const s = text(column).trim();
        if (s === '') return null;
        const x = Number(s);
        if (Number.isNaN(x) && s !== 'NaN') throw bad(`row ${row}: ${column} ${JSON.stringify(s)} is not a number`);
        return x;
      };
      const predicted = text('predicted');
      if (predicted === '' || text('error') !== '') {
        failed++;
        continue;
      }
      const confidence = num('confidence');
      addPrediction(summaries, {
        foodName: predicted === NO_FOOD && confidence === null ? null : predicted,
        confidence,
        imageWidth: num('image_width'),
        imageHeight: num('image_height'),
        imageBytes: num('image_bytes'),
        brightness: num('brightness'),
        contrast: num('contrast'),
        saturation: num('saturation'),
        sharpness: num('sharpness'),
      });
    }
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw bad(`is not valid CSV: ${err.message}`);
    throw err;
  }
  if (header === null) throw bad('is empty');
  return { summaries, failed };
}
