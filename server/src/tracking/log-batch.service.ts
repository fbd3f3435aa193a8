// runs/log-batch and everything built on it (log one metric, param, tag), plus delete-tag and log-model.
//
// One transaction per batch: the run check, then one bulk statement per table (db/dialect.ts: cached prepared
// statements on SQLite, one unnest() statement per table on PostgreSQL). MLflow's rules: params are immutable (the
// same value again is fine), tags are overwritten, metrics are appended (the very same point twice is stored once),
// and latest_metrics keeps the largest (step, timestamp, value). A rejected batch writes nothing.
import { InvalidParameter, NotFound } from '../util/errors.js';
import type { TrackingContext } from './context.js';
import { toStoredValue } from './metric-values.js';
import {
  deleteTag as deleteTagRow,
  insertMetrics,
  insertParamsIfAbsent,
  selectParams,
  selectTag,
  upsertLatestMetrics,
  upsertTags,
  type MetricRow,
  type ParamRow,
} from './run-data.repository.js';
import { updateRun } from './runs.repository.js';
import { requireActiveRun, RUN_NAME_TAG, validateRunTags } from './runs.service.js';
import type { LogBatchInput, Metric, Param, Tag } from './types.js';
import {
  MAX_PARAM_VAL_LENGTH,
  truncate,
  validateBatchLimits,
  validateInteger,
  validateKey,
  validateMetricValue,
} from './validation.js';

interface PreparedBatch {
  metrics: MetricRow[];
  /** one row per key: the largest point of the batch */
  latest: MetricRow[];
  params: ParamRow[];
  tags: ParamRow[];
}

function prepareMetrics(runId: string, metrics: readonly Metric[]): Pick<PreparedBatch, 'metrics' | 'latest'> {
  const rows: MetricRow[] = new Array(metrics.length);
  const latest = new Map<string, MetricRow>();
  // A batch repeats a few keys many times: check each distinct key once.
  const validKeys = new Set<string>();
  for (let i = 0; i < metrics.length; i++) {
    const m = metrics[i]!;
    let key = m.key;
    if (!validKeys.has(key)) validKeys.add((key = validateKey('metric', key)));
    const value = validateMetricValue(key, m.value, m.timestamp);
    const timestamp = Number.isSafeInteger(m.timestamp) ? m.timestamp : validateInteger('timestamp', m.timestamp, ` for metric '${key}'`);
    const step = m.step === undefined || m.step === null ? 0 : Number.isSafeInteger(m.step) ? m.step : validateInteger('step', m.step, ` for metric '${key}'`);
    const stored = toStoredValue(value);
    // Exact duplicates (inside the batch or with earlier batches) are skipped by the metrics table's key, as in MLflow.
    const row: MetricRow = [runId, key, step, timestamp, stored.value, stored.isNan];
    rows[i] = row;
    const best = latest.get(key);
    if (!best || isLarger(row, best)) latest.set(key, row);
  }
  return { metrics: rows, latest: [...latest.values()] };
}

const byKey = (a: readonly [string, string, ...unknown[]], b: readonly [string, string, ...unknown[]]) =>
  a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

/** MLflow's order for "latest": (step, timestamp, value), compared as stored (NaN as 0). */
function isLarger(a: MetricRow, b: MetricRow): boolean {
  if (a[2] !== b[2]) return a[2] > b[2];
  if (a[3] !== b[3]) return a[3] > b[3];
  return a[4] > b[4];
}

function prepareParams(runId: string, params: readonly Param[]): ParamRow[] {
  const rows: ParamRow[] = [];
  const counts = new Map<string, number>();
  for (const p of params) {
    const key = validateKey('parameter', p.key);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    rows.push([runId, key, truncate(String(p.value ?? ''), MAX_PARAM_VAL_LENGTH)]);
  }
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([k]) => `'${k}'`);
  if (duplicates.length > 0) {
    throw new InvalidParameter(
      `Duplicate parameter keys have been submitted: {${duplicates.join(', ')}}. Please ensure the request contains ` +
        'only one param value per param key.',
    );
  }
  return rows;
}

function paramChangeError(runId: string, changed: Array<{ key: string; old: string; new: string }>): InvalidParameter {
  if (changed.length === 1) {
    const c = changed[0]!;
    return new InvalidParameter(
      `Changing param values is not allowed. Param with key='${c.key}' was already logged with value='${c.old}' ` +
        `for run ID='${runId}'. Attempted logging new value '${c.new}'.`,
    );
  }
  const list = changed.map((c) => `{'key': '${c.key}', 'old_value': '${c.old}', 'new_value': '${c.new}'}`).join(', ');
  return new InvalidParameter(`Changing param values is not allowed. Params were already logged='[${list}]' for run ID='${runId}'.`);
}

export async function logBatch(ctx: TrackingContext, input: LogBatchInput): Promise<void> {
  const runId = input.runId;
  const metrics = input.metrics ?? [];
  const params = input.params ?? [];
  const tagsIn = input.tags ?? [];
  validateBatchLimits(metrics.length, params.length, tagsIn.length);
  const batch: PreparedBatch = {
    ...prepareMetrics(runId, metrics),
    params: prepareParams(runId, params),
    tags: validateRunTags(tagsIn).map((t): ParamRow => [runId, t.key, t.value]),
  };
  // Key order for the upserted rows: concurrent PostgreSQL transactions then lock rows in the same order.
  batch.latest.sort(byKey);
  batch.params.sort(byKey);
  batch.tags.sort(byKey);
  const { database } = ctx;
  await ctx.writes.run(runId, async (trx) => {
    await requireActiveRun(trx, runId);
    if (batch.params.length > 0) {
      // Insert-if-absent, then compare what is stored: also catches a different value written concurrently.
      await insertParamsIfAbsent(database, trx, batch.params);
      const stored = new Map((await selectParams(trx, runId, batch.params.map((p) => p[1]))).map((r) => [r.key, r.value]));
      const changed = batch.params
        .filter(([, key, value]) => stored.get(key) !== value)
        .map(([, key, value]) => ({ key, old: stored.get(key) ?? '', new: value }));
      if (changed.length > 0) throw paramChangeError(runId, changed);
    }
    if (batch.metrics.length > 0) {
      await insertMetrics(database, trx, batch.metrics);
      await upsertLatestMetrics(database, trx, batch.latest);
    }
    if (batch.tags.length > 0) {
      await upsertTags(database, trx, batch.tags);
      const runName = batch.tags.find((t) => t[1] === RUN_NAME_TAG);
      if (runName) await updateRun(trx, runId, { name: runName[2] });
    }
  });
}

export function logMetric(ctx: TrackingContext, runId: string, metric: Metric): Promise<void> {
  return logBatch(ctx, { runId, metrics: [metric] });
}

export function logParam(ctx: TrackingContext, runId: string, param: Param): Promise<void> {
  return logBatch(ctx, { runId, params: [param] });
}

export function setTag(ctx: TrackingContext, runId: string, tag: Tag): Promise<void> {
  return logBatch(ctx, { runId, tags: [tag] });
}

export async function deleteTag(ctx: TrackingContext, runId: string, key: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await requireActiveRun(trx, runId);
    if (!(await deleteTagRow(trx, runId, key))) throw new NotFound(`No tag with name: ${key} in run with id ${runId}`);
  });
}

export const LOGGED_MODELS_TAG = 'mlflow.log-model.history';
const MODEL_REQUIRED_FIELDS = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'];

/** JSON.parse reads any depth but JSON.stringify recurses: a model nested deeper than the stack is the client's 400. */
function historyJson(history: unknown[]): string {
  try {
    return JSON.stringify(history);
  } catch (err) {
    if (err instanceof RangeError) throw new InvalidParameter('Malformed model info: it is nested too deeply to be stored');
    throw err;
  }
}

/** runs/log-model: appends the model's MLmodel dictionary to the JSON list in the `mlflow.log-model.history` tag. */
export async function logModel(ctx: TrackingContext, runId: string, modelJson: string): Promise<void> {
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    throw new InvalidParameter(`Malformed model info. \n ${modelJson} \n is not a valid JSON.`);
  }
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    throw new InvalidParameter(`Malformed model info. \n ${modelJson} \n is not a JSON object.`);
  }
  const missing = MODEL_REQUIRED_FIELDS.filter((f) => !(f in model));
  if (missing.length > 0) throw new InvalidParameter(`Model json is missing mandatory fields: {${missing.map((f) => `'${f}'`).join(', ')}}`);
  await ctx.db.transaction().execute(async (trx) => {
    await requireActiveRun(trx, runId);
    const previous = await selectTag(trx, runId, LOGGED_MODELS_TAG);
    let history: unknown[] = [];
    try {
      const parsed: unknown = previous === undefined ? [] : JSON.parse(previous);
      if (Array.isArray(parsed)) history = parsed;
    } catch {
      // a hand-set tag that is not a JSON list: start the history afresh rather than fail the client's log_model
    }
    // Not truncated: a cut JSON list would be unreadable, and the history grows by one small object per model.
    await upsertTags(ctx.database, trx, [[runId, LOGGED_MODELS_TAG, historyJson([...history, model])]]);
  });
}
