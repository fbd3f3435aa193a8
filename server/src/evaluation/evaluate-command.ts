// `foodlens evaluate --model food-detector/2 --data <folder>`: evaluates a model version on a folder of labelled
// images (label = subfolder name) and logs the run to the store named by MLFLOW_TRACKING_URI, artifacts under
// MLFLOW_ARTIFACT_LOCATION, exactly where a running server (and its MLflow API) reads them.
import { parseArgs } from 'node:util';
import { LocalArtifactStore } from '../artifacts/artifact-store.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { builtinFoodModels, createInferenceEngine } from '../inference/index.js';
import type { InferenceEngine } from '../inference/types.js';
import { createTrackingService } from '../tracking/tracking.service.js';
import { runEvaluation, type EvaluationRunResult } from './evaluation-run.js';
import { modelPredictor } from './model-predictor.js';

export const EVALUATE_USAGE = `usage: foodlens evaluate --model <name>/<version> --data <folder> [--run-name <name>]

  --model     a model version, e.g. food-detector/1 (CenterNet) or food-detector/2 (NanoDet)
  --data      a folder of labelled images: <folder>/<label>/<image>.jpg|jpeg|png|webp
  --run-name  the run's name (default <model>-v<version>-<folder>-<dataset digest>)

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
}

export function parseEvaluateArgs(argv: readonly string[]): EvaluateArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { model: { type: 'string' }, data: { type: 'string' }, 'run-name': { type: 'string' } },
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
  return { modelName: m[1]!, modelVersion: m[2]!, data: values.data, runName: values['run-name'] };
}

export interface EvaluateCommandOptions {
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
  const config = loadConfig(opts.env ?? process.env, opts.cwd ?? process.cwd());
  const specs = builtinFoodModels();
  const spec = specs.find((s) => s.name === args.modelName && s.version === args.modelVersion);
  if (!spec) {
    throw new UsageError(`unknown model ${args.modelName}/${args.modelVersion}; known: ${specs.map((s) => `${s.name}/${s.version}`).join(', ')}`);
  }

  const database = await openDatabase(config.trackingUri, { cwd: opts.cwd });
  const engine = opts.engine ?? createInferenceEngine({ workers: 1 });
  try {
    await migrateToLatest(database);
    await engine.load(spec);
    const result = await runEvaluation({
      tracking: createTrackingService(database),
      artifacts: new LocalArtifactStore({ root: config.artifactLocation, maxBytes: config.maxArtifactBytes }),
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
    for (const line of summaryLines(result, config.trackingUri)) print(line);
    return result;
  } finally {
    if (!opts.engine) await engine.close();
    await database.close();
  }
}

function summaryLines(r: EvaluationRunResult, trackingUri: string): string[] {
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
    `run ${r.runId} in experiment food-detector-evaluation (id ${r.experimentId}), store ${trackingUri.replace(/\/\/[^@/]*@/, '//***@')}`,
    `artifacts ${r.artifactUri}: confusion_matrix.json, confusion_matrix.csv, predictions.csv`,
  ];
}
