// Where an evaluation run is logged: the few calls runEvaluation makes, in MLflow's terms. Two implementations, picked
// from the tracking URI by evaluate-command.ts: the local store (this one: the tracking service and artifact store the
// server itself uses, opened in the command's process) and a running server over MLflow's REST API
// (mlflow-rest-tracker.ts). Both end in the same tracking service, so a run logged either way reads back the same.
import { Readable } from 'node:stream';
import { joinArtifactPath, parseArtifactPath } from '../artifacts/artifact-path.js';
import { resolveArtifactUri, type ArtifactStore } from '../artifacts/artifact-store.js';
import { ensureExperiment } from '../tracking/tracker/ensure-experiment.js';
import { logModelMetrics, logParameters } from '../tracking/tracker/log-model-metrics.js';
import type { DatasetInput, RunStatus, Tag, TrackingService } from '../tracking/types.js';

export interface NewRun {
  experimentId: string;
  userId: string | null;
  runName: string;
  /** epoch ms */
  startTime: number;
  tags: Tag[];
}

/** What later calls need to know of a created run. */
export interface TrackedRun {
  runId: string;
  /** `mlflow-artifacts:/<experiment>/<run>/artifacts` */
  artifactUri: string;
}

export interface EvaluationTracker {
  /** The id of the active experiment `name`, created (with `tags`) or restored when needed. */
  ensureExperiment(name: string, tags: Tag[]): Promise<string>;
  createRun(run: NewRun): Promise<TrackedRun>;
  logParams(runId: string, params: Readonly<Record<string, string>>): Promise<void>;
  logInputs(runId: string, inputs: DatasetInput[]): Promise<void>;
  /** `{ key: value }` metrics, all at one step and time */
  logMetrics(runId: string, metrics: Readonly<Record<string, number>>, at: { step: number; timestamp: number }): Promise<void>;
  updateRun(runId: string, status: RunStatus, endTime: number): Promise<void>;
  /** Stores `content` at `relativePath` under the run's artifact root. */
  putArtifact(run: TrackedRun, relativePath: string, content: Buffer): Promise<void>;
}

/** The run's artifact root as a store path: '<experiment>/<run>/artifacts/<relativePath>'. */
export function runArtifactPath(run: TrackedRun, relativePath: string): string {
  return joinArtifactPath(resolveArtifactUri(run.artifactUri), parseArtifactPath(relativePath));
}

export function localEvaluationTracker(tracking: TrackingService, artifacts: ArtifactStore): EvaluationTracker {
  return {
    ensureExperiment: async (name, tags) => (await ensureExperiment(tracking, name, tags)).experimentId,
    createRun: async (run) => {
      const { info } = await tracking.createRun(run);
      return { runId: info.runId, artifactUri: info.artifactUri };
    },
    logParams: async (runId, params) => {
      await logParameters(tracking, runId, params);
    },
    logInputs: (runId, inputs) => tracking.logInputs(runId, inputs),
    logMetrics: async (runId, metrics, at) => {
      await logModelMetrics(tracking, runId, metrics, at);
    },
    updateRun: async (runId, status, endTime) => {
      await tracking.updateRun({ runId, status, endTime });
    },
    putArtifact: async (run, relativePath, content) => {
      await artifacts.put(runArtifactPath(run, relativePath), Readable.from([content]));
    },
  };
}
