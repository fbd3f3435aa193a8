// Rows -> domain objects. The only place that knows how the tables spell things.
import type { ExperimentRow, ExperimentTagRow } from './experiments.repository.js';
import type { RunInputsOfRuns } from './inputs.repository.js';
import { fromStoredValue } from './metric-values.js';
import type { KeyValueRow, LatestMetricRow } from './run-data.repository.js';
import type { RunRow } from './runs.repository.js';
import type { DatasetInput, Experiment, Metric, Run, RunInfo, Tag } from './types.js';

export function toExperiment(row: ExperimentRow, tags: readonly ExperimentTagRow[]): Experiment {
  return {
    experimentId: String(row.experiment_id),
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage,
    creationTime: row.creation_time === null ? null : Number(row.creation_time),
    lastUpdateTime: row.last_update_time === null ? null : Number(row.last_update_time),
    tags: tags.map((t) => ({ key: t.key, value: t.value ?? '' })),
  };
}

export function toRunInfo(row: RunRow): RunInfo {
  return {
    runId: row.run_uuid,
    experimentId: String(row.experiment_id),
    runName: row.name,
    userId: row.user_id,
    status: row.status,
    startTime: row.start_time === null ? null : Number(row.start_time),
    endTime: row.end_time === null ? null : Number(row.end_time),
    artifactUri: row.artifact_uri,
    lifecycleStage: row.lifecycle_stage,
  };
}

export function toMetric(row: Pick<LatestMetricRow, 'key' | 'value' | 'is_nan' | 'timestamp' | 'step'>): Metric {
  return { key: row.key, value: fromStoredValue(row.value, row.is_nan), timestamp: Number(row.timestamp), step: Number(row.step) };
}

/** Groups rows by run id. */
export function byRun<T extends { run_uuid: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const list = map.get(r.run_uuid);
    if (list) list.push(r);
    else map.set(r.run_uuid, [r]);
  }
  return map;
}

/** Groups key/value rows by run id, each run's rows in key order (stable answers whatever order the database used). */
export function byRunSortedByKey<T extends { run_uuid: string; key: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = byRun(rows);
  for (const list of map.values()) if (list.length > 1) list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return map;
}

export interface RunSideRows {
  params: Map<string, KeyValueRow[]>;
  tags: Map<string, KeyValueRow[]>;
  metrics: Map<string, LatestMetricRow[]>;
  inputs: Map<string, RunInputsOfRuns['inputs']>;
  /** keyed by "<run id>/<dataset uuid>" */
  inputTags: Map<string, KeyValueRow[]>;
}

const kv = (rows: readonly KeyValueRow[] | undefined): Tag[] => (rows ?? []).map((r) => ({ key: r.key, value: r.value }));

export function toRun(row: RunRow, side: RunSideRows): Run {
  const id = row.run_uuid;
  const datasetInputs: DatasetInput[] = (side.inputs.get(id) ?? []).map((i) => ({
    tags: kv(side.inputTags.get(`${id}/${i.dataset_uuid}`)),
    dataset: {
      name: i.dataset.name,
      digest: i.dataset.digest,
      sourceType: i.dataset.source_type,
      source: i.dataset.source,
      schema: i.dataset.schema,
      profile: i.dataset.profile,
    },
  }));
  return {
    info: toRunInfo(row),
    data: { metrics: (side.metrics.get(id) ?? []).map(toMetric), params: kv(side.params.get(id)), tags: kv(side.tags.get(id)) },
    inputs: { datasetInputs },
  };
}

/** Input tags keyed by "<run>/<dataset>". */
export function inputTagsByInput(inputs: RunInputsOfRuns): Map<string, KeyValueRow[]> {
  const map = new Map<string, KeyValueRow[]>();
  for (const t of inputs.tags) {
    const k = `${t.run_uuid}/${t.dataset_uuid}`;
    const row = { run_uuid: t.run_uuid, key: t.key, value: t.value };
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}
