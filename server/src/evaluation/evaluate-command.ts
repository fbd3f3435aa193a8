// `foodlens evaluate --model food-detector/2 --data <folder>`: evaluates a model version on a folder of labelled
// images (label = subfolder name) in this process and logs the run where the tracking URI (--tracking-uri, else
// MLFLOW_TRACKING_URI) says: a store (sqlite:, postgresql:; artifacts under MLFLOW_ARTIFACT_LOCATION), exactly where a
// server on that store reads them, or a running server (http:, https:) through MLflow's REST API and artifact proxy.
import { parseArgs } from 'node:util';
import { LocalArtifactStore } from '../artifacts/artifact-store.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { redactUri, StoreUriError } from '../db/uri.js';
import { builtinFoodModels, createInferenceEngine } from '../inference/index.js';
import type { InferenceEngine } from '../inference/types.js';
import { createTrackingService } from '../tracking/tracking.service.js';
import { localEvaluationTracker, type EvaluationTracker } from './evaluation-tracker.js';
import { runEvaluation, type EvaluationRunResult } from './evaluation-run.js';
import { MlflowRestTracker } from './mlflow-rest-tracker.js';
import { modelPredictor } from './model-predictor.js';
import { isHttpTrackingUri, TrackingConfigError, TrackingServerClient } from './tracking-server-client.js';

export const EVALUATE_USAGE = `usage: foodlens evaluate --model <name>/<version> --data <folder> [--run-name <name>] [--tracking-uri <uri>]

  --model         a model version, e.g. food-detector/1 (CenterNet) or food-detector/2 (NanoDet)
  --data          a folder of labelled images: <folder>/<label>/<image>.jpg|jpeg|png|webp
  --run-name      the run's name (default <model>-v<version>-<folder>-<dataset digest>)
  --tracking-uri  where the run is logged, instead of MLFLOW_TRACKING_URI: a store (sqlite:///..., postgresql://...;
                  artifacts under MLFLOW_ARTIFACT_LOCATION) or a running FoodLens or MLflow server (http://host:port),
                  through MLflow's REST API with MLFLOW_TRACKING_TOKEN (Bearer) or MLFLOW_TRACKING_USERNAME and
                  MLFLOW_TRACKING_PASSWORD (Basic) when set. The model always runs in this process.

Logs a run in the experiment food-detector-evaluation: params, accuracy, per-class precision/recall, latency
p50/p95, the confusion matrix (JSON and CSV) and the per-image predictions and image statistics (predictions.csv, usable
as a drift reference) as artifacts. npm run evaluate -- --model ... runs it from source.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface EvaluateArgs {
  modelName: string;
  modelVersion: string;
  data: string;
  runName?: string;
  /** overrides MLFLOW_TRACKING_URI */
  trackingUri?: string;
}

export function parseEvaluateArgs(argv: readonly string[]): EvaluateArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { model: { type: 'string' }, data: { type: 'string' }, 'run-name': { type: 'string' }, 'tracking-uri': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (!values.model) throw new UsageError('--model is required, e.g. --model food-detector/1');
  if (!values.data) throw new UsageError('--data is required: a folder with one subfolder of images per label');
  const m = /^(.+)\/(\d+)$/.exec(values.model);
  if (!m) throw new UsageError(`--model must be <name>/<version>, e.g. food-detector/2; got ${JSON.stringify(values.model)}`);
  if (values['tracking-uri'] !== undefined && values['tracking-uri'].trim() === '') throw new UsageError('--tracking-uri is empty');
  return { modelName: m[1]!, modelVersion: m[2]!, data: values.data, runName: values['run-name'], trackingUri: values['tracking-uri'] };
}

export interface EvaluateCommandOptions {
  /** MLFLOW_TRACKING_URI, MLFLOW_ARTIFACT_LOCATION, the MLFLOW_TRACKING_* credentials, ... (default process.env) */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** where progress and the summary go (default console.log) */
  print?: (line: string) => void;
  /** an engine to use instead of starting one (tests); the caller closes it */
  engine?: InferenceEngine;
}

export async function evaluateCommand(argv: readonly string[], opts: EvaluateCommandOptions = {}): Promise<EvaluationRunResult> {
  const args = parseEvaluateArgs(argv);
  const print = opts.print ?? ((line: string) => console.log(line));
  const env = opts.env ?? process.env;
  const config = loadConfig(env, opts.cwd ?? process.cwd());
  const specs = builtinFoodModels();
  const spec = specs.find((s) => s.name === args.modelName && s.version === args.modelVersion);
  if (!spec) {
    throw new UsageError(`unknown model ${args.modelName}/${args.modelVersion}; known: ${specs.map((s) => `${s.name}/${s.version}`).join(', ')}`);
  }

  const destination = await openTracker(args.trackingUri ?? config.trackingUri, config, env, opts.cwd);
  const engine = opts.engine ?? createInferenceEngine({ workers: 1 });
  try {
    await engine.load(spec);
    const result = await runEvaluation({
      tracker: destination.tracker,
      model: spec,
      predictor: modelPredictor(engine, spec, config.maxImagePixels),
      dataDir: args.data,
      runName: args.runName,
      onImage: (p, i, total) => {
        const answer = p.error ? `failed: ${p.error}` : `${p.predicted}${p.confidence === null ? '' : ` ${p.confidence.toFixed(2)}`}`;
        const mark = p.error || p.predicted === p.item.label ? '' : '  ✗';
        const ms = p.latencyMs === null ? '' : ` (${p.latencyMs.toFixed(0)} ms)`;
        print(`[${i + 1}/${total}] ${p.item.relativePath}: ${p.item.label} -> ${answer}${ms}${mark}`);
      },
    });
    for (const line of summaryLines(result, destination.description)) print(line);
    return result;
  } finally {
    if (!opts.engine) await engine.close();
    await destination.close();
  }
}

interface TrackerDestination {
  tracker: EvaluationTracker;
  /** where the run went, for the summary: 'store <uri>' or 'server <url>', credentials left out */
  description: string;
  close(): Promise<void>;
}

/** The one place the tracking URI picks the tracker: a running server for http(s), otherwise a store opened here. */
async function openTracker(uri: string, config: Config, env: NodeJS.ProcessEnv, cwd: string | undefined): Promise<TrackerDestination> {
  if (isHttpTrackingUri(uri)) {
    let client: TrackingServerClient;
    try {
      client = new TrackingServerClient(uri, { env });
    } catch (err) {
      if (err instanceof TrackingConfigError) throw new UsageError(err.message);
      throw err;
    }
    return { tracker: new MlflowRestTracker(client), description: `server ${client.baseUrl}`, close: async () => {} };
  }
  let database;
  try {
    database = await openDatabase(uri, { cwd });
  } catch (err) {
    if (err instanceof StoreUriError) throw new UsageError(`${err.message}; or http(s)://host:port for a running FoodLens or MLflow server`);
    throw err;
  }
  try {
    await migrateToLatest(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return {
    tracker: localEvaluationTracker(
      createTrackingService(database),
      new LocalArtifactStore({ root: config.artifactLocation, maxBytes: config.maxArtifactBytes }),
    ),
    description: `store ${redactUri(uri)}`,
    close: () => database.close(),
  };
}

function summaryLines(r: EvaluationRunResult, destination: string): string[] {
  const s = r.summary;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const width = Math.max(5, ...s.report.perClass.map((c) => c.label.length));
  return [
    '',
    `${r.params.model_name}/${r.params.model_version} on ${r.params.dataset_name} (digest ${r.digest.digest}, ${r.params.image_count} images` +
      `${s.failed ? `, ${s.failed} failed to decode` : ''})`,
    `accuracy ${pct(s.report.accuracy)} (${s.report.correct}/${s.report.total}); macro precision ${pct(s.report.macroPrecision)}, recall ${pct(s.report.macroRecall)}`,
    `latency p50 ${s.latencyMs.p50.toFixed(1)} ms, p95 ${s.latencyMs.p95.toFixed(1)} ms`,
    `${'class'.padEnd(width)}  precision  recall  support`,
    ...s.report.perClass.map(
      (c) => `${c.label.padEnd(width)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(6)}  ${String(c.support).padStart(7)}`,
    ),
    '',
    `run ${r.runId} in experiment food-detector-evaluation (id ${r.experimentId}), ${destination}`,
    `artifacts ${r.artifactUri}: confusion_matrix.json, confusion_matrix.csv, predictions.csv`,
  ];
}
