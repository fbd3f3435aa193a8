// The Experiments pages' calls. Lists, comparison and metric history come from the tracker endpoints (/api/v1/mlops);
// a single experiment or run, and artifact listings, only exist in the MLflow REST API (/api/2.0/mlflow).
import {
  MlopsExperimentList,
  MlopsMetricHistory,
  MlopsRunComparison,
  MlopsRunList,
  type MlopsMetricPoint,
  type MlopsRun,
} from '@foodlens/contracts';
import { z } from 'zod';
import { fetchOk, query, request } from '../../lib/api';

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

// ---------------------------------------------------------------------------------------------------------------
// Experiments and runs (tracker endpoints).

export function listExperiments(p: { filter?: string; view: ViewType; maxResults: number; pageToken?: string }) {
  return request(
    MlopsExperimentList,
    `/api/v1/mlops/experiments?${query({ filter: p.filter, view_type: p.view, max_results: p.maxResults, page_token: p.pageToken })}`,
  );
}

export interface RunsQuery {
  experimentId: string;
  filter?: string;
  orderBy?: string;
  view: ViewType;
  maxResults: number;
  pageToken?: string;
}

export function listRuns(p: RunsQuery) {
  return request(
    MlopsRunList,
    `/api/v1/mlops/runs?${query({
      experiment_id: p.experimentId,
      filter: p.filter,
      order_by: p.orderBy,
      view_type: p.view,
      max_results: p.maxResults,
      page_token: p.pageToken,
    })}`,
  );
}

/** How many runs an experiment has, counting up to `cap` (no endpoint counts per experiment: this reads one page). */
export async function countRuns(experimentId: string, view: ViewType, cap: number): Promise<{ count: number; more: boolean }> {
  const page = await listRuns({ experimentId, view, maxResults: cap });
  return { count: page.runs.length, more: page.next_page_token !== null };
}

export function compareRuns(runIds: readonly string[]) {
  return request(MlopsRunComparison, `/api/v1/mlops/runs/compare?${query({ run_ids: runIds.join(',') })}`);
}

/** Page size for metric history: the endpoint's maximum, so most series arrive in one request. */
const HISTORY_PAGE = 25_000;
/** A guard against a server that keeps answering page tokens: far more points than any chart can show. */
const HISTORY_MAX_POINTS = 1_000_000;

export interface MetricSeries {
  points: MlopsMetricPoint[];
  /** true when HISTORY_MAX_POINTS stopped the reading */
  truncated: boolean;
}

/** Every point of a run's metric, following next_page_token. */
export async function getMetricHistory(runId: string, metricKey: string, signal?: AbortSignal): Promise<MetricSeries> {
  const points: MlopsMetricPoint[] = [];
  let pageToken: string | undefined;
  do {
    const page = await request(
      MlopsMetricHistory,
      `/api/v1/mlops/metrics/history?${query({ run_id: runId, metric_key: metricKey, max_results: HISTORY_PAGE, page_token: pageToken })}`,
      { signal },
    );
    points.push(...page.history);
    pageToken = page.next_page_token ?? undefined;
  } while (pageToken && points.length < HISTORY_MAX_POINTS);
  return { points, truncated: pageToken !== undefined };
}

// ---------------------------------------------------------------------------------------------------------------
// MLflow REST API.

const KeyValue = z.object({ key: z.string(), value: z.string() });
/** MLflow prints NaN and ±Infinity as strings. */
const MlflowDouble = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).transform(Number);

const MlflowExperiment = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string(),
  lifecycle_stage: z.string(),
  creation_time: z.number().optional(),
  last_update_time: z.number().optional(),
  tags: z.array(KeyValue).default([]),
});
export type Experiment = z.infer<typeof MlflowExperiment>;

export async function getExperiment(experimentId: string): Promise<Experiment> {
  const body = await request(
    z.object({ experiment: MlflowExperiment }),
    `/api/2.0/mlflow/experiments/get?${query({ experiment_id: experimentId })}`,
  );
  return body.experiment;
}

const MlflowRun = z.object({
  info: z.object({
    run_id: z.string(),
    experiment_id: z.string(),
    run_name: z.string().default(''),
    user_id: z.string().optional(),
    status: z.string(),
    start_time: z.number().optional(),
    end_time: z.number().optional(),
    artifact_uri: z.string(),
    lifecycle_stage: z.string(),
  }),
  data: z.object({
    metrics: z.array(z.object({ key: z.string(), value: MlflowDouble, timestamp: z.number(), step: z.number() })).default([]),
    params: z.array(KeyValue).default([]),
    tags: z.array(KeyValue).default([]),
  }),
  inputs: z
    .object({
      dataset_inputs: z
        .array(
          z.object({
            tags: z.array(KeyValue).default([]),
            dataset: z.object({ name: z.string(), digest: z.string(), source_type: z.string(), source: z.string() }),
          }),
        )
        .default([]),
    })
    .default({ dataset_inputs: [] }),
});

export interface DatasetInput {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  context: string | null;
}

/** A run as the tracker endpoints describe it, plus the dataset details only MLflow's runs/get carries. */
export interface RunDetail extends Omit<MlopsRun, 'datasets'> {
  datasets: DatasetInput[];
}

const pairs = (list: { key: string; value: string }[]) => Object.fromEntries(list.map((t) => [t.key, t.value]));

/** GET /api/2.0/mlflow/runs/get: the one endpoint that reads a single run by id, deleted runs included. */
export async function getRun(runId: string): Promise<RunDetail> {
  const { run } = await request(z.object({ run: MlflowRun }), `/api/2.0/mlflow/runs/get?${query({ run_id: runId })}`);
  const { info, data, inputs } = run;
  return {
    run_id: info.run_id,
    run_name: info.run_name,
    experiment_id: info.experiment_id,
    user_id: info.user_id ?? null,
    status: info.status as MlopsRun['status'],
    start_time: info.start_time ?? null,
    end_time: info.end_time ?? null,
    artifact_uri: info.artifact_uri,
    lifecycle_stage: info.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    params: pairs(data.params),
    // the tracker endpoints carry NaN as null; keep one convention for the pages
    metrics: Object.fromEntries(
      data.metrics.map((m) => [m.key, { value: Number.isNaN(m.value) ? null : m.value, step: m.step, timestamp: m.timestamp }]),
    ),
    tags: pairs(data.tags),
    datasets: inputs.dataset_inputs.map((d) => ({
      name: d.dataset.name,
      digest: d.dataset.digest,
      sourceType: d.dataset.source_type,
      source: d.dataset.source,
      context: d.tags.find((t) => t.key === 'mlflow.data.context')?.value ?? null,
    })),
  };
}

const ArtifactListing = z.object({
  root_uri: z.string(),
  files: z.array(z.object({ path: z.string(), is_dir: z.boolean(), file_size: z.number().optional() })).default([]),
});
export type ArtifactListing = z.infer<typeof ArtifactListing>;
export type ArtifactEntry = ArtifactListing['files'][number];

/** Entries of one folder of a run's artifacts, named relative to the run's artifact root. */
export function listArtifacts(runId: string, path: string): Promise<ArtifactListing> {
  return request(ArtifactListing, `/api/2.0/mlflow/artifacts/list?${query({ run_id: runId, path: path || undefined })}`);
}

/**
 * The artifact proxy URL of a file under a run's artifact root. The server stores "mlflow-artifacts:" URIs only
 * ('mlflow-artifacts:/1/<run>/artifacts' or with a host, as MLflow writes them): anything else is not served here (null).
 */
export function artifactUrl(artifactUri: string, relPath: string): string | null {
  const m = /^mlflow-artifacts:(?:\/\/[^/?#]*)?([^?#]*)$/i.exec(artifactUri);
  if (!m) return null;
  const segments = [...m[1]!.split('/'), ...relPath.split('/')].filter((s) => s !== '');
  return `/api/2.0/mlflow-artifacts/artifacts/${segments.map(encodeURIComponent).join('/')}`;
}

export interface TextPreview {
  text: string;
  /** bytes read */
  bytes: number;
  /** true when the file goes on past the limit */
  truncated: boolean;
}

/** The first `limit` bytes of a text artifact, read from the stream and then cancelled, so a large file is not downloaded whole. */
export async function readArtifactText(url: string, limit: number, signal?: AbortSignal): Promise<TextPreview> {
  const res = await fetchOk(url, { signal });
  const reader = res.body?.getReader();
  if (!reader) return { text: '', bytes: 0, truncated: false };
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - bytes;
    const chunk = value.byteLength > room ? value.subarray(0, room) : value;
    bytes += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
    if (bytes >= limit) {
      truncated = value.byteLength > room || !(await reader.read().then((r) => r.done));
      break;
    }
  }
  await reader.cancel().catch(() => {});
  return { text: text + decoder.decode(), bytes, truncated };
}
