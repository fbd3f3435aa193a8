// An evaluation run: a model version over a folder of labelled images, logged as an MLflow run in the experiment
// `food-detector-evaluation` with params (model, dataset digest, image count), metrics (accuracy, per-class
// precision/recall, latency), the dataset as a run input, and the confusion matrix (JSON and CSV) and per-image
// predictions with each image's statistics (predictions.csv) as artifacts. compare_models lines such runs up side by
// side; PUT /api/v1/mlops/monitoring/drift/reference takes one as a model version's drift reference.
import os from 'node:os';
import path from 'node:path';
import type { ModelSpec } from '../inference/types.js';
import { EVALUATION_EXPERIMENT, MODEL_NAME_TAG, MODEL_VERSION_TAG, RUN_TYPE_TAG } from '../tracking/tracker/run-tags.js';
import { confusionMatrixCsv } from './confusion-matrix.js';
import { datasetDigest, type DatasetDigest } from './dataset-digest.js';
import { DatasetError, walkDataset } from './dataset.js';
import type { EvaluationTracker } from './evaluation-tracker.js';
import { evaluationMetrics, predictDataset, summarise, type EvaluationSummary, type ImagePrediction, type Predictor } from './predict-dataset.js';
import { predictionsCsv } from './predictions-csv.js';

export const EVALUATION_ARTIFACTS = ['confusion_matrix.json', 'confusion_matrix.csv', 'predictions.csv'] as const;

export interface EvaluationRunOptions {
  /** where the run goes: localEvaluationTracker (a store) or MlflowRestTracker (a running server) */
  tracker: EvaluationTracker;
  /** the version evaluated: any ModelSpec (its runtime is logged, and a built-in's architecture) */
  model: ModelSpec | (Pick<ModelSpec, 'name' | 'version' | 'runtime'> & { architecture?: string });
  predictor: Predictor;
  dataDir: string;
  runName?: string;
  /** progress lines (the CLI prints them) */
  onImage?: (p: ImagePrediction, index: number, total: number) => void;
}

export interface EvaluationRunResult {
  runId: string;
  experimentId: string;
  artifactUri: string;
  digest: DatasetDigest;
  params: Record<string, string>;
  metrics: Record<string, number>;
  summary: EvaluationSummary;
  predictions: ImagePrediction[];
}

export async function runEvaluation(opts: EvaluationRunOptions): Promise<EvaluationRunResult> {
  // Everything that can be checked before a run exists is checked first, so a typo leaves no FAILED run behind.
  const dataDir = path.resolve(opts.dataDir);
  const items = await walkDataset(dataDir);
  if (items.length === 0) {
    throw new DatasetError(`no images in ${dataDir}: expected <label>/<image>.jpg|jpeg|png|webp below it`);
  }
  const digest = await datasetDigest(items);
  const labels = [...new Set(items.map((i) => i.label))].sort();
  const { name, version } = opts.model;

  const { tracker } = opts;
  const experimentId = await tracker.ensureExperiment(EVALUATION_EXPERIMENT, [
    { key: 'mlflow.note.content', value: 'FoodLens evaluation runs: `npm run evaluate -- --model <name>/<version> --data <folder>`.' },
  ]);
  const run = await tracker.createRun({
    experimentId,
    userId: safeUsername(),
    runName: opts.runName ?? `${name}-v${version}-${path.basename(dataDir)}-${digest.digest}`,
    startTime: Date.now(),
    tags: [
      { key: RUN_TYPE_TAG, value: 'evaluation' },
      { key: MODEL_NAME_TAG, value: name },
      { key: MODEL_VERSION_TAG, value: version },
      { key: 'mlflow.source.type', value: 'LOCAL' },
      { key: 'mlflow.source.name', value: 'foodlens evaluate' },
    ],
  });
  const { runId } = run;
  try {
    const params = {
      model_name: name,
      model_version: version,
      ...modelParams(opts.model),
      dataset_name: path.basename(dataDir),
      dataset_path: dataDir,
      dataset_digest: digest.digest,
      image_count: String(items.length),
      labels: labels.join(','),
    };
    await tracker.logParams(runId, params);
    await tracker.logInputs(runId, [
      {
        tags: [{ key: 'mlflow.data.context', value: 'evaluation' }],
        dataset: {
          name: path.basename(dataDir),
          digest: digest.digest,
          // MLflow's LocalArtifactDatasetSource: source_type "local", source {"uri": ...}
          sourceType: 'local',
          source: JSON.stringify({ uri: dataDir }),
          schema: null,
          profile: JSON.stringify({ num_images: items.length, num_labels: labels.length, sha256: digest.sha256 }),
        },
      },
    ]);

    const predictions = await predictDataset(items, opts.predictor, (p, i) => opts.onImage?.(p, i, items.length));
    const summary = summarise(predictions);
    if (summary.evaluated === 0) {
      throw new DatasetError(`none of the ${items.length} images could be predicted (first error: ${predictions[0]?.error})`);
    }
    const metrics = evaluationMetrics(summary);
    await tracker.logMetrics(runId, metrics, { step: 0, timestamp: Date.now() });

    const put = (file: string, text: string) => tracker.putArtifact(run, file, Buffer.from(text, 'utf8'));
    await put('confusion_matrix.json', `${JSON.stringify(confusionMatrixJson(summary, opts.model, digest), null, 2)}\n`);
    await put('confusion_matrix.csv', confusionMatrixCsv(summary.confusion));
    await put('predictions.csv', predictionsCsv(predictions));

    await tracker.updateRun(runId, 'FINISHED', Date.now());
    return {
      runId,
      experimentId,
      artifactUri: run.artifactUri,
      digest,
      params,
      metrics,
      summary,
      predictions,
    };
  } catch (err) {
    // best effort: the error that stopped the run (the server gone, say) is the one worth reporting
    await tracker.updateRun(runId, 'FAILED', Date.now()).catch(() => {});
    throw err;
  }
}

/** What identifies how the model runs: its runtime, and for a built-in detector its architecture. */
function modelParams(model: EvaluationRunOptions['model']): Record<string, string> {
  const architecture = 'architecture' in model ? model.architecture : undefined;
  return { model_runtime: model.runtime, ...(architecture ? { model_architecture: architecture } : {}) };
}

/** The confusion matrix artifact: rows are actual labels, columns predicted (scikit-learn's orientation). */
function confusionMatrixJson(s: EvaluationSummary, model: EvaluationRunOptions['model'], digest: DatasetDigest) {
  return {
    model: { name: model.name, version: model.version },
    dataset_digest: digest.digest,
    orientation: 'rows are actual labels, columns predicted labels',
    labels: s.confusion.labels,
    matrix: s.confusion.matrix,
    accuracy: s.report.accuracy,
    per_class: s.report.perClass.map((c) => ({
      label: c.label,
      precision: c.precision,
      recall: c.recall,
      support: c.support,
      predicted: c.predicted,
    })),
    zero_division: 0,
  };
}

function safeUsername(): string | null {
  try {
    return os.userInfo().username;
  } catch {
    return null; // no passwd entry (some containers)
  }
}
