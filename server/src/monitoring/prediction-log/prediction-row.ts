// PredictionRecord <-> predictions row. A new field touches COLUMNS, toPredictionRow and fromPredictionRow here,
// plus a migration.
import type { Selectable } from 'kysely';
import { defineBulkInsert, type BulkColumnType } from '../../db/dialect.js';
import type { PredictionsTable } from '../../db/tables.js';
import type { Detection } from '../../inference/types.js';
import type { PredictionRecord, PredictionVariant } from './types.js';

// Column order of the bulk insert; toPredictionRow must list values in the same order (the round-trip tests of
// every field catch a mismatch).
const COLUMNS: ReadonlyArray<{ name: keyof PredictionsTable & string; type: BulkColumnType }> = [
  { name: 'id', type: 'text' },
  { name: 'created_at', type: 'bigint' },
  { name: 'user_id', type: 'text' },
  { name: 'model_name', type: 'text' },
  { name: 'model_version', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'error_class', type: 'text' },
  { name: 'food_name', type: 'text' },
  { name: 'confidence', type: 'double' },
  { name: 'detections', type: 'text' },
  { name: 'latency_ms', type: 'double' },
  { name: 'inference_ms', type: 'double' },
  { name: 'image_width', type: 'integer' },
  { name: 'image_height', type: 'integer' },
  { name: 'image_bytes', type: 'integer' },
  { name: 'image_format', type: 'text' },
  { name: 'brightness', type: 'double' },
  { name: 'contrast', type: 'double' },
  { name: 'saturation', type: 'double' },
  { name: 'sharpness', type: 'double' },
  { name: 'variant', type: 'text' },
  { name: 'shadow_of', type: 'text' },
];

/** The bulk insert for the prediction log. Conflicts on id are skipped, so re-sending a batch that may have been
 * committed before a connection dropped cannot duplicate or fail it. */
export const PREDICTION_INSERT = defineBulkInsert({ table: 'predictions', columns: COLUMNS, conflictColumns: ['id'] });

/** Values in COLUMNS order. A literal (not a loop over getters): this runs for every logged prediction.
 * `?? null`: a field a caller left undefined is stored as NULL rather than failing the whole batch. */
export function toPredictionRow(r: PredictionRecord): unknown[] {
  return [
    r.id,
    r.createdAt,
    r.userId ?? null,
    r.modelName ?? null,
    r.modelVersion ?? null,
    r.status,
    r.errorClass ?? null,
    r.foodName ?? null,
    r.confidence ?? null,
    JSON.stringify(r.detections ?? []),
    r.latencyMs,
    r.inferenceMs ?? null,
    r.imageWidth ?? null,
    r.imageHeight ?? null,
    r.imageBytes ?? null,
    r.imageFormat ?? null,
    r.brightness ?? null,
    r.contrast ?? null,
    r.saturation ?? null,
    r.sharpness ?? null,
    r.variant ?? null,
    r.shadowOf ?? null,
  ];
}

export function fromPredictionRow(row: Selectable<PredictionsTable>): PredictionRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    userId: row.user_id,
    modelName: row.model_name,
    modelVersion: row.model_version,
    status: row.status,
    errorClass: row.error_class,
    foodName: row.food_name,
    confidence: row.confidence,
    detections: JSON.parse(row.detections) as Detection[],
    latencyMs: row.latency_ms,
    inferenceMs: row.inference_ms,
    imageWidth: row.image_width,
    imageHeight: row.image_height,
    imageBytes: row.image_bytes,
    imageFormat: row.image_format,
    brightness: row.brightness,
    contrast: row.contrast,
    saturation: row.saturation,
    sharpness: row.sharpness,
    variant: (row.variant as PredictionVariant | null) ?? null,
    shadowOf: row.shadow_of ?? null,
  };
}
