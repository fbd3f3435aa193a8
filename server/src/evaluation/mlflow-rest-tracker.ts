// The evaluation tracker over MLflow's REST API, for MLFLOW_TRACKING_URI=http(s)://...: the calls MLflow's Python
// client makes for the same steps (set_experiment, start_run, log_params, log_input, log_metrics, log_text through
// the artifact proxy, end_run), so any MLflow 2.x server takes the run, not only FoodLens.
import { z } from 'zod';
import { doubleJson } from '../api/mlflow/to-json.js';
import { resolveArtifactUri } from '../artifacts/artifact-store.js';
import { guessContentType } from '../artifacts/content-type.js';
import { MAX_METRICS_PER_BATCH, MAX_PARAMS_PER_BATCH } from '../tracking/tracker/log-model-metrics.js';
import type { DatasetInput, RunStatus, Tag } from '../tracking/types.js';
import { runArtifactPath, type EvaluationTracker, type NewRun, type TrackedRun } from './evaluation-tracker.js';
import { TrackingServerError, type TrackingServerClient } from './tracking-server-client.js';

const API = '/api/2.0/mlflow';
const ARTIFACTS_API = '/api/2.0/mlflow-artifacts/artifacts';

// Only the fields used are checked; servers add others.
const ExperimentAnswer = z.object({ experiment: z.object({ experiment_id: z.string(), lifecycle_stage: z.string().optional() }) });
const CreatedExperiment = z.object({ experiment_id: z.string() });
const CreatedRun = z.object({ run: z.object({ info: z.object({ run_id: z.string(), artifact_uri: z.string() }) }) });

export class MlflowRestTracker implements EvaluationTracker {
  constructor(readonly client: TrackingServerClient) {}

  /** As the fluent set_experiment: get by name, create on 404, and read the winner when another client created it first. */
  async ensureExperiment(name: string, tags: Tag[]): Promise<string> {
    const found = await this.#experimentByName(name);
    if (found) {
      // a deleted experiment keeps its name; it is restored rather than failing every run created in it
      if (found.lifecycle_stage === 'deleted') await this.client.post(`${API}/experiments/restore`, { experiment_id: found.experiment_id });
      return found.experiment_id;
    }
    try {
      const answer = await this.client.post(`${API}/experiments/create`, { name, tags });
      return this.#parse(CreatedExperiment, answer, `POST ${API}/experiments/create`).experiment_id;
    } catch (err) {
      if (!(err instanceof TrackingServerError && err.code === 'RESOURCE_ALREADY_EXISTS')) throw err;
      const winner = await this.#experimentByName(name);
      if (!winner) throw err;
      return winner.experiment_id;
    }
  }

  async createRun(run: NewRun): Promise<TrackedRun> {
    const body: Record<string, unknown> = { experiment_id: run.experimentId, run_name: run.runName, start_time: run.startTime, tags: run.tags };
    if (run.userId !== null) body.user_id = run.userId;
    const call = `POST ${API}/runs/create`;
    const { info } = this.#parse(CreatedRun, await this.client.post(`${API}/runs/create`, body), call).run;
    try {
      resolveArtifactUri(info.artifact_uri);
    } catch {
      // Found now rather than after the model has run: artifacts can only go through the server's artifact proxy.
      await this.updateRun(info.run_id, 'FAILED', Date.now()).catch(() => {});
      throw new TrackingServerError(
        `${call} on ${this.client.baseUrl}: the run's artifact_uri ${info.artifact_uri} is not an mlflow-artifacts: URI, so its ` +
          'artifacts cannot be uploaded through the server (the experiment keeps its artifacts elsewhere)',
        call,
      );
    }
    return { runId: info.run_id, artifactUri: info.artifact_uri };
  }

  async logParams(runId: string, params: Readonly<Record<string, string>>): Promise<void> {
    const list = Object.entries(params).map(([key, value]) => ({ key, value }));
    for (const chunk of chunks(list, MAX_PARAMS_PER_BATCH)) await this.client.post(`${API}/runs/log-batch`, { run_id: runId, params: chunk });
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    const datasets = inputs.map(({ tags, dataset: d }) => ({
      tags,
      dataset: {
        name: d.name,
        digest: d.digest,
        source_type: d.sourceType,
        source: d.source,
        ...(d.schema !== null ? { schema: d.schema } : {}),
        ...(d.profile !== null ? { profile: d.profile } : {}),
      },
    }));
    await this.client.post(`${API}/runs/log-inputs`, { run_id: runId, datasets });
  }

  async logMetrics(runId: string, metrics: Readonly<Record<string, number>>, at: { step: number; timestamp: number }): Promise<void> {
    // JSON has no NaN or Infinity: MLflow sends them as strings
    const list = Object.entries(metrics).map(([key, value]) => ({ key, value: doubleJson(value), timestamp: at.timestamp, step: at.step }));
    for (const chunk of chunks(list, MAX_METRICS_PER_BATCH)) await this.client.post(`${API}/runs/log-batch`, { run_id: runId, metrics: chunk });
  }

  async updateRun(runId: string, status: RunStatus, endTime: number): Promise<void> {
    await this.client.post(`${API}/runs/update`, { run_id: runId, status, end_time: endTime });
  }

  /** Through the artifact proxy, as the client maps mlflow-artifacts:/X to <tracking uri>/api/2.0/mlflow-artifacts/artifacts/X. */
  async putArtifact(run: TrackedRun, relativePath: string, content: Buffer): Promise<void> {
    // resolveArtifactUri (inside runArtifactPath) refuses an artifact_uri the proxy does not serve (s3://, a local path)
    const storePath = runArtifactPath(run, relativePath);
    const encoded = storePath.split('/').map(encodeURIComponent).join('/');
    await this.client.put(`${ARTIFACTS_API}/${encoded}`, content, guessContentType(storePath));
  }

  async #experimentByName(name: string): Promise<z.output<typeof ExperimentAnswer>['experiment'] | null> {
    try {
      const answer = await this.client.get(`${API}/experiments/get-by-name`, { experiment_name: name });
      return this.#parse(ExperimentAnswer, answer, `GET ${API}/experiments/get-by-name`).experiment;
    } catch (err) {
      if (err instanceof TrackingServerError && err.code === 'RESOURCE_DOES_NOT_EXIST') return null;
      throw err;
    }
  }

  #parse<T extends z.ZodType>(schema: T, answer: Record<string, unknown>, call: string): z.output<T> {
    const parsed = schema.safeParse(answer);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw new TrackingServerError(
      `${call} on ${this.client.baseUrl} answered without ${issue.path.join('.') || 'the expected fields'} (${issue.message}): is it an MLflow tracking server?`,
      call,
    );
  }
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
