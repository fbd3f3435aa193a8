// runs/log-inputs: datasets are shared per experiment (deduplicated by name and digest), a run records each dataset
// once, and the input's tags (mlflow.data.context = training, ...) come with that first record, as in MLflow.
import { randomUUID } from 'node:crypto';
import { InvalidParameter } from '../util/errors.js';
import type { TrackingContext } from './context.js';
import { ensureDataset, insertInputTags, insertRunInputIfAbsent } from './inputs.repository.js';
import { requireActiveRun } from './runs.service.js';
import type { DatasetInput } from './types.js';
import {
  MAX_DATASET_DIGEST_SIZE,
  MAX_DATASET_NAME_SIZE,
  MAX_DATASET_PROFILE_SIZE,
  MAX_DATASET_SCHEMA_SIZE,
  MAX_DATASET_SOURCE_SIZE,
  MAX_INPUT_TAG_KEY_SIZE,
  MAX_INPUT_TAG_VALUE_SIZE,
  checkLength,
} from './validation.js';

export const DATASET_CONTEXT_TAG = 'mlflow.data.context';

function required(field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new InvalidParameter(`Missing value for required parameter '${field}'`);
  return value;
}

function validateDatasetInput(input: DatasetInput): DatasetInput {
  const d = input.dataset;
  if (!d) throw new InvalidParameter('Dataset input must have a dataset');
  const optional = (entity: string, limit: number, v: string | null | undefined) =>
    v === null || v === undefined || v === '' ? null : checkLength(entity, limit, v);
  return {
    dataset: {
      name: checkLength('Dataset name', MAX_DATASET_NAME_SIZE, required('dataset.name', d.name)),
      digest: checkLength('Dataset digest', MAX_DATASET_DIGEST_SIZE, required('dataset.digest', d.digest)),
      sourceType: required('dataset.source_type', d.sourceType),
      source: checkLength('Dataset source', MAX_DATASET_SOURCE_SIZE, required('dataset.source', d.source)),
      schema: optional('Dataset schema', MAX_DATASET_SCHEMA_SIZE, d.schema),
      profile: optional('Dataset profile', MAX_DATASET_PROFILE_SIZE, d.profile),
    },
    tags: (input.tags ?? []).map((t) => ({
      key: checkLength('Input tag key', MAX_INPUT_TAG_KEY_SIZE, required('tags.key', t.key)),
      value: checkLength('Input tag value', MAX_INPUT_TAG_VALUE_SIZE, typeof t.value === 'string' ? t.value : ''),
    })),
  };
}

export async function logInputs(ctx: TrackingContext, runId: string, datasets: readonly DatasetInput[]): Promise<void> {
  const valid = datasets.map(validateDatasetInput);
  await ctx.db.transaction().execute(async (trx) => {
    const run = await requireActiveRun(trx, runId);
    for (const input of valid) {
      const d = input.dataset;
      const dataset = await ensureDataset(trx, {
        dataset_uuid: randomUUID().replaceAll('-', ''),
        experiment_id: run.experiment_id,
        name: d.name,
        digest: d.digest,
        source_type: d.sourceType,
        source: d.source,
        schema: d.schema,
        profile: d.profile,
      });
      const context = input.tags.find((t) => t.key === DATASET_CONTEXT_TAG)?.value ?? null;
      const linked = await insertRunInputIfAbsent(trx, {
        run_uuid: runId,
        dataset_uuid: dataset.dataset_uuid,
        name: dataset.name,
        digest: dataset.digest,
        context,
      });
      if (linked) {
        await insertInputTags(
          trx,
          input.tags.map((t) => ({ run_uuid: runId, dataset_uuid: dataset.dataset_uuid, key: t.key, value: t.value })),
        );
      }
    }
  });
}
