import type { Detection } from '../../inference/types.js';

export type PredictionStatus = 'ok' | 'error';

/** How the answering version was chosen: the deployment's champion, a weighted challenger, or a shadow run (never
 * answered to the client). */
export type PredictionVariant = 'champion' | 'challenger' | 'shadow';

/** One row of the prediction log, as the request path hands it over. */
export interface PredictionRecord {
  /** time-ordered id (UUIDv7), also the prediction_id answered to the client */
  id: string;
  /** epoch milliseconds */
  createdAt: number;
  userId: string | null;
  modelName: string | null;
  modelVersion: string | null;
  status: PredictionStatus;
  /** error class for failed predictions, e.g. 'bad_format', 'corrupt', 'pixel_limit', 'too_large', 'inference' */
  errorClass: string | null;
  foodName: string | null;
  confidence: number | null;
  /** top food detections (at most 5) */
  detections: Detection[];
  /** whole request latency, ms */
  latencyMs: number;
  /** model run time only, ms */
  inferenceMs: number | null;
  imageWidth: number | null;
  imageHeight: number | null;
  imageBytes: number | null;
  imageFormat: string | null;
  brightness: number | null;
  contrast: number | null;
  saturation: number | null;
  sharpness: number | null;
  /** null when unknown (rows from before deployments, requests rejected before a version was chosen) */
  variant?: PredictionVariant | null;
  /** shadow predictions: id of the served prediction they shadowed */
  shadowOf?: string | null;
}
