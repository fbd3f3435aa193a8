// Where the searchable data lives. The compiler takes this from the caller instead of hard-coding table names, so
// it works against whatever the tracking migration finally creates (and under an alias in the outer query).
// DEFAULT_SEARCH_SCHEMA describes the planned MLflow-shaped schema.

/** The table the outer query selects from, as that query names it (table name or FROM alias). */
export interface EntityTableMapping<Column extends string> {
  ref: string;
  /** primary-key columns, matched in order against a key/value table's `owner` columns */
  key: readonly string[];
  /** logical attribute (as in the AST) -> column */
  columns: Readonly<Record<Column, string>>;
}

/** A key/value side table (params, tags, latest metrics) belonging to the entity through `owner`. */
export interface KeyValueTableMapping {
  table: string;
  owner: readonly string[];
  key: string;
  value: string;
}

export type RunColumn = 'run_id' | 'run_name' | 'user_id' | 'status' | 'artifact_uri' | 'start_time' | 'end_time';
export type ExperimentColumn = 'experiment_id' | 'name' | 'creation_time' | 'last_update_time';
export type RegisteredModelColumn = 'name' | 'last_updated_timestamp';
export type ModelVersionColumn =
  | 'name'
  | 'version_number'
  | 'run_id'
  | 'source_path'
  | 'creation_timestamp'
  | 'last_updated_timestamp';

/**
 * One row per (run, dataset input): e.g. a view over MLflow's datasets/inputs/input_tags joined by input, with
 * `context` taken from the `mlflow.data.context` input tag. Optional: without it, dataset filters are refused.
 */
export interface DatasetInputsMapping {
  table: string;
  runId: string;
  name: string;
  digest: string;
  context: string;
}

export interface RunsMapping {
  runs: EntityTableMapping<RunColumn>;
  /** One row per (run, key) holding the latest value; `isNan` is BOOLEAN or 0/1 INTEGER (the value of a NaN row is ignored). */
  latestMetrics: KeyValueTableMapping & { isNan: string };
  params: KeyValueTableMapping;
  tags: KeyValueTableMapping;
  datasetInputs?: DatasetInputsMapping;
}

export interface ExperimentsMapping {
  experiments: EntityTableMapping<ExperimentColumn>;
  tags: KeyValueTableMapping;
}

export interface RegisteredModelsMapping {
  registeredModels: EntityTableMapping<RegisteredModelColumn>;
  tags: KeyValueTableMapping;
}

export interface ModelVersionsMapping {
  modelVersions: EntityTableMapping<ModelVersionColumn>;
  tags: KeyValueTableMapping;
}

/** Only the part for the search being compiled has to be present. */
export interface SearchSchema {
  runs?: RunsMapping;
  experiments?: ExperimentsMapping;
  registeredModels?: RegisteredModelsMapping;
  modelVersions?: ModelVersionsMapping;
}

const kv = (table: string, owner: readonly string[]): KeyValueTableMapping => ({ table, owner, key: 'key', value: 'value' });

export const DEFAULT_SEARCH_SCHEMA: SearchSchema = {
  runs: {
    runs: {
      ref: 'runs',
      key: ['run_uuid'],
      columns: {
        run_id: 'run_uuid',
        run_name: 'name',
        user_id: 'user_id',
        status: 'status',
        artifact_uri: 'artifact_uri',
        start_time: 'start_time',
        end_time: 'end_time',
      },
    },
    latestMetrics: { ...kv('latest_metrics', ['run_uuid']), isNan: 'is_nan' },
    params: kv('params', ['run_uuid']),
    tags: kv('tags', ['run_uuid']),
  },
  experiments: {
    experiments: {
      ref: 'experiments',
      key: ['experiment_id'],
      columns: {
        experiment_id: 'experiment_id',
        name: 'name',
        creation_time: 'creation_time',
        last_update_time: 'last_update_time',
      },
    },
    tags: kv('experiment_tags', ['experiment_id']),
  },
  registeredModels: {
    registeredModels: {
      ref: 'registered_models',
      key: ['name'],
      columns: { name: 'name', last_updated_timestamp: 'last_updated_time' },
    },
    tags: kv('registered_model_tags', ['name']),
  },
  modelVersions: {
    modelVersions: {
      ref: 'model_versions',
      key: ['name', 'version'],
      columns: {
        name: 'name',
        version_number: 'version',
        run_id: 'run_id',
        source_path: 'source',
        creation_timestamp: 'creation_time',
        last_updated_timestamp: 'last_updated_time',
      },
    },
    tags: kv('model_version_tags', ['name', 'version']),
  },
};
