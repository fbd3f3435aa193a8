// Domain objects -> MLflow's JSON (protobuf JSON as MLflow's server prints it): snake_case names, int64 as numbers,
// unset fields and empty lists left out, NaN as the string "NaN" (JSON has no NaN).
import type { DatasetInput, Experiment, Metric, Run, RunInfo, RunMetric, Tag } from '../../tracking/types.js';

type Json = Record<string, unknown>;

export function doubleJson(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

const tagsJson = (tags: readonly Tag[]) => tags.map((t) => ({ key: t.key, value: t.value }));

export function experimentJson(e: Experiment): Json {
  const out: Json = {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
  };
  if (e.lastUpdateTime !== null) out.last_update_time = e.lastUpdateTime;
  if (e.creationTime !== null) out.creation_time = e.creationTime;
  if (e.tags.length > 0) out.tags = tagsJson(e.tags);
  return out;
}

export function runInfoJson(i: RunInfo): Json {
  const out: Json = { run_uuid: i.runId, experiment_id: i.experimentId, run_name: i.runName };
  if (i.userId !== null) out.user_id = i.userId;
  out.status = i.status;
  if (i.startTime !== null) out.start_time = i.startTime;
  if (i.endTime !== null) out.end_time = i.endTime;
  out.artifact_uri = i.artifactUri;
  out.lifecycle_stage = i.lifecycleStage;
  out.run_id = i.runId;
  return out;
}

export function metricJson(m: Metric): Json {
  return { key: m.key, value: doubleJson(m.value), timestamp: m.timestamp, step: m.step };
}

export function runMetricJson(m: RunMetric): Json {
  return { key: m.key, value: doubleJson(m.value), timestamp: m.timestamp, step: m.step, run_id: m.runId };
}

function datasetInputJson(d: DatasetInput): Json {
  const dataset: Json = {
    name: d.dataset.name,
    digest: d.dataset.digest,
    source_type: d.dataset.sourceType,
    source: d.dataset.source,
  };
  if (d.dataset.schema !== null) dataset.schema = d.dataset.schema;
  if (d.dataset.profile !== null) dataset.profile = d.dataset.profile;
  return d.tags.length > 0 ? { tags: tagsJson(d.tags), dataset } : { dataset };
}

export function runJson(r: Run): Json {
  const data: Json = {};
  if (r.data.metrics.length > 0) data.metrics = r.data.metrics.map(metricJson);
  if (r.data.params.length > 0) data.params = tagsJson(r.data.params);
  if (r.data.tags.length > 0) data.tags = tagsJson(r.data.tags);
  const inputs: Json = r.inputs.datasetInputs.length > 0 ? { dataset_inputs: r.inputs.datasetInputs.map(datasetInputJson) } : {};
  return { info: runInfoJson(r.info), data, inputs };
}

/** `{ [name]: items }`, or `{}` when empty, plus next_page_token when there is one. */
export function page(name: string, items: unknown[], nextPageToken: string | null): Json {
  const out: Json = {};
  if (items.length > 0) out[name] = items;
  if (nextPageToken) out.next_page_token = nextPageToken;
  return out;
}
