// Run lifecycle (create, get, update, delete, restore) and run search, with MLflow's semantics: the server makes the
// run id (uuid4 hex) and, when missing, the run name; `mlflow.runName` and the run name stay in step; deleted runs are
// still readable but take no writes.
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { InvalidParameter, NotFound } from '../util/errors.js';
import { parseExperimentId, type TrackingContext } from './context.js';
import { selectExperimentById } from './experiments.repository.js';
import { selectInputsOfRuns } from './inputs.repository.js';
import { byRun, byRunSortedByKey, inputTagsByInput, toRun, toRunInfo } from './mappers.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import {
  selectLatestMetricsOfRuns,
  selectParamsOfRuns,
  selectTagsOfRuns,
  upsertTags,
  type ParamRow,
} from './run-data.repository.js';
import { newRunId, randomRunName } from './run-names.js';
import { insertRun, searchRunRows, selectRun, selectRunLifecycle, updateRun as updateRunRow, type RunRow } from './runs.repository.js';
import { compileSearch, stagesFor, validateMaxResults } from './search-compile.js';
import type { CreateRunInput, Run, RunInfo, SearchRunsInput, SearchRunsResult, Tag, UpdateRunInput } from './types.js';
import { MAX_TAG_VAL_LENGTH, truncate, validateInteger, validateKey } from './validation.js';

export const RUN_NAME_TAG = 'mlflow.runName';

export function runNotFound(runId: string): NotFound {
  return new NotFound(`Run with id=${runId} not found`);
}

/** Inside a write's transaction: the run must exist (404) and be active (400), as MLflow's _check_run_is_active. */
export async function requireActiveRun(db: Kysely<Tables>, runId: string): Promise<{ experiment_id: number }> {
  const run = await selectRunLifecycle(db, runId);
  if (!run) throw runNotFound(runId);
  if (run.lifecycle_stage !== 'active') {
    throw new InvalidParameter(`The run ${runId} must be in the 'active' state. Current state is ${run.lifecycle_stage}.`);
  }
  return run;
}

export function validateRunTags(tags: readonly Tag[] | null | undefined): Tag[] {
  // Later values of a repeated key win, as they would when set one after another.
  const byKey = new Map<string, string>();
  for (const t of tags ?? []) {
    byKey.set(validateKey('tag', t.key), truncate(String(t.value ?? ''), MAX_TAG_VAL_LENGTH));
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

export async function createRun(ctx: TrackingContext, input: CreateRunInput = {}): Promise<Run> {
  const experimentId = input.experimentId || '0';
  const tags = validateRunTags(input.tags);
  const startTime = input.startTime === null || input.startTime === undefined ? ctx.now() : validateInteger('start_time', input.startTime);
  const tagName = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
  if (input.runName && tagName !== undefined && input.runName !== tagName) {
    throw new InvalidParameter(
      `Both 'run_name' argument and '${RUN_NAME_TAG}' tag are specified, but with different values ` +
        `(run_name='${input.runName}', ${RUN_NAME_TAG}='${tagName}').`,
    );
  }
  const runName = input.runName || tagName || randomRunName();
  if (tagName === undefined) tags.push({ key: RUN_NAME_TAG, value: truncate(runName, MAX_TAG_VAL_LENGTH) });

  const id = parseExperimentId(experimentId);
  const experiment = id === null ? undefined : await selectExperimentById(ctx.db, id);
  if (!experiment) throw new NotFound(`No Experiment with id=${experimentId} exists`);
  if (experiment.lifecycle_stage !== 'active') {
    throw new InvalidParameter(
      `The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.lifecycle_stage}.`,
    );
  }

  const runId = newRunId();
  const row: RunRow = {
    run_uuid: runId,
    experiment_id: experiment.experiment_id,
    name: runName,
    user_id: input.userId ?? null,
    status: 'RUNNING',
    start_time: startTime,
    end_time: null,
    deleted_time: null,
    lifecycle_stage: 'active',
    artifact_uri: `${experiment.artifact_location.replace(/\/+$/, '')}/${runId}/artifacts`,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await insertRun(trx, row);
    await upsertTags(ctx.database, trx, tags.map((t): ParamRow => [runId, t.key, t.value]));
  });
  // tags in key order, as getRun answers them
  tags.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { info: toRunInfo(row), data: { metrics: [], params: [], tags }, inputs: { datasetInputs: [] } };
}

/** Runs with their latest metrics, params, tags and dataset inputs, in the order given. */
export async function loadRuns(ctx: TrackingContext, rows: readonly RunRow[]): Promise<Run[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.run_uuid);
  const [params, tags, metrics, inputs] = await Promise.all([
    selectParamsOfRuns(ctx.db, ids),
    selectTagsOfRuns(ctx.db, ids),
    selectLatestMetricsOfRuns(ctx.db, ids),
    selectInputsOfRuns(ctx.db, ids),
  ]);
  const side = {
    params: byRunSortedByKey(params),
    tags: byRunSortedByKey(tags),
    metrics: byRunSortedByKey(metrics),
    inputs: byRun(inputs.inputs),
    inputTags: inputTagsByInput(inputs),
  };
  return rows.map((r) => toRun(r, side));
}

/** Deleted runs too (MLflow's runs/get returns them). */
export async function getRun(ctx: TrackingContext, runId: string): Promise<Run> {
  const row = await selectRun(ctx.db, runId);
  if (!row) throw runNotFound(runId);
  return (await loadRuns(ctx, [row]))[0]!;
}

/** Only the fields given change; end_time is never filled in implicitly (MLflow's update_run_info). */
export async function updateRun(ctx: TrackingContext, input: UpdateRunInput): Promise<RunInfo> {
  const endTime = input.endTime === null || input.endTime === undefined ? null : validateInteger('end_time', input.endTime);
  const runName = input.runName ? truncate(input.runName, MAX_TAG_VAL_LENGTH) : null;
  return ctx.db.transaction().execute(async (trx) => {
    await requireActiveRun(trx, input.runId);
    const set: Parameters<typeof updateRunRow>[2] = {};
    if (input.status) set.status = input.status;
    if (endTime !== null) set.end_time = endTime;
    if (runName) {
      set.name = runName;
      await upsertTags(ctx.database, trx, [[input.runId, RUN_NAME_TAG, runName]]);
    }
    if (Object.keys(set).length > 0) await updateRunRow(trx, input.runId, set);
    const row = await selectRun(trx, input.runId);
    return toRunInfo(row!);
  });
}

export async function deleteRun(ctx: TrackingContext, runId: string): Promise<void> {
  await setRunLifecycle(ctx, runId, 'deleted');
}

export async function restoreRun(ctx: TrackingContext, runId: string): Promise<void> {
  await setRunLifecycle(ctx, runId, 'active');
}

async function setRunLifecycle(ctx: TrackingContext, runId: string, stage: 'active' | 'deleted'): Promise<void> {
  const row = await selectRun(ctx.db, runId);
  if (!row) throw runNotFound(runId);
  await updateRunRow(ctx.db, runId, { lifecycle_stage: stage, deleted_time: stage === 'deleted' ? ctx.now() : null });
}

export async function searchRuns(ctx: TrackingContext, input: SearchRunsInput): Promise<SearchRunsResult> {
  const maxResults = validateMaxResults(input.maxResults);
  const offset = decodePageToken(input.pageToken);
  const { filter, order } = compileSearch(ctx, 'runs', input.filter, input.orderBy);
  // Ids that are not numbers name no experiment, like numeric ids that do not exist: no runs from them.
  const experimentIds = [...new Set(input.experimentIds.map((e) => parseExperimentId(String(e))))].filter((e) => e !== null);
  if (experimentIds.length === 0) return { runs: [], nextPageToken: null };
  const rows = await searchRunRows(ctx.db, {
    experimentIds,
    stages: stagesFor(input.runViewType),
    filter,
    order,
    limit: maxResults + 1,
    offset,
  });
  const page = rows.slice(0, maxResults);
  return {
    runs: await loadRuns(ctx, page),
    nextPageToken: rows.length > maxResults ? encodePageToken(offset + maxResults) : null,
  };
}
