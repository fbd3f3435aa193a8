// Kysely table types: the shape of rows as the drivers return them. Times are epoch milliseconds (BIGINT, parsed to
// JS numbers on PostgreSQL); JSON is stored as text on every dialect. Migrations do not import these: a migration is
// frozen in time, these types follow the latest schema.
import type { Generated } from 'kysely';

export interface PredictionsTable {
  id: string;
  created_at: number;
  user_id: string | null;
  model_name: string | null;
  model_version: string | null;
  status: 'ok' | 'error';
  error_class: string | null;
  food_name: string | null;
  confidence: number | null;
  /** JSON array of detections */
  detections: string;
  latency_ms: number;
  inference_ms: number | null;
  image_width: number | null;
  image_height: number | null;
  image_bytes: number | null;
  image_format: string | null;
  brightness: number | null;
  contrast: number | null;
  saturation: number | null;
  sharpness: number | null;
}

/** MLflow's `registered_models`. */
export interface RegisteredModelsTable {
  name: string;
  creation_time: number;
  last_updated_time: number;
  description: string | null;
}

/** MLflow's `model_versions`. */
export interface ModelVersionsTable {
  name: string;
  version: number;
  creation_time: number;
  last_updated_time: number;
  description: string | null;
  user_id: string | null;
  current_stage: Generated<string>;
  source: string | null;
  run_id: string | null;
  run_link: string | null;
  status: Generated<string>;
  status_message: string | null;
}

export interface Tables {
  predictions: PredictionsTable;
  registered_models: RegisteredModelsTable;
  model_versions: ModelVersionsTable;
}
