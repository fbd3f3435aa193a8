// Runs a predictor over a labelled dataset, one image at a time (so each latency is that of a lone request, as a
// user would see it), and summarises the answers: confusion matrix, accuracy, per-class precision/recall, latency.
import { readFile } from 'node:fs/promises';
import { classificationReport, type ClassificationReport } from './classification-metrics.js';
import { confusionMatrix, type ConfusionMatrix } from './confusion-matrix.js';
import type { DatasetItem } from './dataset.js';
import { NO_FOOD } from './labels.js';
import { quantiles } from './quantiles.js';

/**
 * The statistics of one image, as the serving path logs them with a prediction (serving/prediction-record.ts): the
 * size after EXIF orientation and the upload's bytes (images/decode.ts decodeUpload), and the engine's
 * computeImageStats of the decoded pixels (InferenceResult.stats). They let an evaluation run serve as a drift reference.
 */
export interface ImageFeatures {
  width: number;
  height: number;
  bytes: number;
  brightness: number;
  contrast: number;
  saturation: number;
  sharpness: number;
}

/** One image's answer: the top food (null when none was found), its confidence, and the image's statistics. */
export type Predictor = (image: Buffer) => Promise<{ label: string | null; confidence: number | null; image?: ImageFeatures }>;

export interface ImagePrediction {
  item: DatasetItem;
  /** NO_FOOD when the model found no food; null when the image could not be predicted (see error) */
  predicted: string | null;
  confidence: number | null;
  /** decode + inference, ms; null for a failed image */
  latencyMs: number | null;
  error: string | null;
  /** null for a failed image, or when the predictor gives no statistics */
  image: ImageFeatures | null;
}

export interface EvaluationSummary {
  confusion: ConfusionMatrix;
  report: ClassificationReport;
  /** images with a prediction; failed images are left out of every metric and counted here */
  evaluated: number;
  failed: number;
  latencyMs: { p50: number; p95: number; mean: number };
}

export async function predictDataset(
  items: readonly DatasetItem[],
  predictor: Predictor,
  onImage?: (p: ImagePrediction, index: number) => void,
): Promise<ImagePrediction[]> {
  const out: ImagePrediction[] = [];
  for (const [i, item] of items.entries()) {
    const bytes = await readFile(item.path);
    const started = performance.now();
    let p: ImagePrediction;
    try {
      const answer = await predictor(bytes);
      const latencyMs = performance.now() - started;
      p = { item, predicted: answer.label ?? NO_FOOD, confidence: answer.confidence, latencyMs, error: null, image: answer.image ?? null };
    } catch (err) {
      // A corrupt or unsupported file is the dataset's problem, not the model's: it is reported, not scored.
      p = { item, predicted: null, confidence: null, latencyMs: null, error: err instanceof Error ? err.message : String(err), image: null };
    }
    out.push(p);
    onImage?.(p, i);
  }
  return out;
}

export function summarise(predictions: readonly ImagePrediction[]): EvaluationSummary {
  const scored = predictions.filter((p) => p.predicted !== null);
  const confusion = confusionMatrix(scored.map((p) => ({ actual: p.item.label, predicted: p.predicted! })));
  const latencies = scored.map((p) => p.latencyMs!);
  const [p50, p95] = quantiles(latencies, [0.5, 0.95]) as [number, number];
  return {
    confusion,
    report: classificationReport(confusion),
    evaluated: scored.length,
    failed: predictions.length - scored.length,
    latencyMs: { p50, p95, mean: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : NaN },
  };
}

/** A label as part of a metric key: MLflow allows letters, digits, _ - . / and space; spaces become _ so keys need no
 * quoting in search filters ('hot dog' -> precision_hot_dog). */
export function metricKeyPart(label: string): string {
  return label.replace(/[^A-Za-z0-9_\-./]/g, '_');
}

/** The run's metrics: accuracy, macro and per-class precision/recall, latency quantiles, image counts. */
export function evaluationMetrics(s: EvaluationSummary): Record<string, number> {
  const metrics: Record<string, number> = {
    accuracy: s.report.accuracy,
    precision_macro: s.report.macroPrecision,
    recall_macro: s.report.macroRecall,
  };
  for (const c of s.report.perClass) {
    metrics[`precision_${metricKeyPart(c.label)}`] = c.precision;
    metrics[`recall_${metricKeyPart(c.label)}`] = c.recall;
  }
  Object.assign(metrics, {
    latency_p50_ms: s.latencyMs.p50,
    latency_p95_ms: s.latencyMs.p95,
    latency_mean_ms: s.latencyMs.mean,
    images_evaluated: s.evaluated,
    images_failed: s.failed,
  });
  return metrics;
}
