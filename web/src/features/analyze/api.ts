// The Analyze page's calls: a photo to POST /api/v1/predict (optionally naming the model), ground truth to
// POST /api/v1/predictions/{id}/feedback, and which models are deployed (GET /api/v1/mlops/monitoring/health).
// Responses are validated with the shared contracts.
import { FeedbackResponse, MonitoringHealth, PredictResponse } from '@foodlens/contracts';
import { z } from 'zod';
import { jsonInit, request } from '../../lib/api';

/** `model`: a deployed model's name; undefined lets the server pick its default (food-detector). */
export function predictPhoto(file: File, model?: string): Promise<PredictResponse> {
  const form = new FormData();
  // the form field, not ?model=: the query would win over it, and there is only one choice to make here
  if (model) form.append('model', model);
  form.append('file', file);
  return request(PredictResponse, '/api/v1/predict', { method: 'POST', body: form });
}

/** correct: the answer was right; otherwise `label` is the true food. */
export interface Feedback {
  correct: boolean;
  label?: string;
}

export function sendFeedback(predictionId: string, feedback: Feedback): Promise<FeedbackResponse> {
  return request(FeedbackResponse, `/api/v1/predictions/${encodeURIComponent(predictionId)}/feedback`, jsonInit('POST', feedback));
}

const DeployedModels = MonitoringHealth.pick({ models: true });
export type DeployedModel = z.infer<typeof DeployedModels>['models'][number];

/** Every model deployed on this server, the default first. */
export async function listDeployedModels(): Promise<DeployedModel[]> {
  return (await request(DeployedModels, '/api/v1/mlops/monitoring/health')).models;
}
