// POST /api/v1/mlops/register-model: a servable model version from an upload (multipart: `name`, `spec` JSON,
// optional `description`, then the file(s): one .onnx, one TF.js zip, or model.json + its .bin shards) or from the
// artifact store (JSON below).
import { z } from 'zod';
import { ServingSpec } from './model-spec.js';

/** Registered model names become a directory under the artifact root: one safe path segment. */
export const ServableModelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a model name is 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const RegisterModelFromArtifacts = z.object({
  name: ServableModelName,
  description: z.string().max(5000).optional(),
  /** 'runs:/<run_id>/<path>' or 'mlflow-artifacts:/<path>': an ONNX file, or a folder holding model.json + shards */
  source: z.string().min(1).max(4096),
  spec: ServingSpec,
});
export type RegisterModelFromArtifacts = z.infer<typeof RegisterModelFromArtifacts>;

export const RegisteredModelVersion = z.object({
  name: z.string(),
  version: z.number().int(),
  runtime: z.enum(['onnx', 'tfjs-graph']),
  task: z.enum(['classification', 'detection']),
  labels: z.array(z.string()),
  /** the entry file relative to MLFLOW_ARTIFACT_LOCATION */
  model_path: z.string(),
  /** the registry source: as given, or the mlflow-artifacts: folder an upload was stored in */
  source: z.string(),
  size_bytes: z.number(),
  sha256: z.string(),
  /** load + warm-up in the validation worker */
  load_ms: z.number(),
  /** memory the loaded model took in the validation worker, and how it was measured */
  memory_bytes: z.number(),
  memory_method: z.enum(['tfjs-memory', 'rss-delta', 'file-size']),
});
export type RegisteredModelVersion = z.infer<typeof RegisteredModelVersion>;
