// Experiment operations with MLflow's semantics: unique names (a deleted experiment keeps its name), delete and
// restore cascade to runs, only active experiments are renamed or tagged.
import { AlreadyExists, AppError, InvalidParameter, NotFound } from '../util/errors.js';
import { parseExperimentId, type TrackingContext } from './context.js';
import {
  DEFAULT_EXPERIMENT_ID,
  insertDefaultExperimentIfAbsent,
  insertExperiment,
  isUniqueViolation,
  renameExperiment as renameExperimentRow,
  searchExperimentRows,
  selectExperimentById,
  selectExperimentByName,
  selectExperimentTags,
  setArtifactLocation,
  setExperimentLifecycle,
  upsertExperimentTags,
  type ExperimentRow,
} from './experiments.repository.js';
import { toExperiment } from './mappers.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { setExperimentRunsLifecycle } from './runs.repository.js';
import { compileSearch, stagesFor, validateMaxResults } from './search-compile.js';
import type { CreateExperimentInput, Experiment, SearchExperimentsInput, SearchExperimentsResult, Tag } from './types.js';
import {
  validateExperimentArtifactLocation,
  validateExperimentName,
  validateExperimentTag,
} from './validation.js';

/** Where the artifact proxy serves an experiment's artifacts (the client maps it to /api/2.0/mlflow-artifacts/...). */
export function defaultArtifactLocation(experimentId: number | string): string {
  return `mlflow-artifacts:/${experimentId}`;
}

export async function ensureDefaultExperiment(ctx: TrackingContext): Promise<void> {
  await insertDefaultExperimentIfAbsent(ctx.db, defaultArtifactLocation(DEFAULT_EXPERIMENT_ID), ctx.now());
}

export async function createExperiment(ctx: TrackingContext, input: CreateExperimentInput): Promise<string> {
  const name = validateExperimentName(input.name);
  validateExperimentArtifactLocation(input.artifactLocation);
  const tags = (input.tags ?? []).map((t) => validateExperimentTag(t.key, t.value));
  const exists = () =>
    new AlreadyExists(`Experiment(name=${name}) already exists.`);
  if (await selectExperimentByName(ctx.db, name)) throw exists();
  try {
    const id = await ctx.db.transaction().execute(async (trx) => {
      const created = await insertExperiment(trx, { name, artifact_location: input.artifactLocation || '', creation_time: ctx.now() });
      // The default location names the id, which the database has only just assigned.
      if (!input.artifactLocation) await setArtifactLocation(trx, created, defaultArtifactLocation(created));
      await upsertExperimentTags(trx, created, tags);
      return created;
    });
    return String(id);
  } catch (err) {
    // another request created the same name between the check and the insert
    if (isUniqueViolation(err)) throw exists();
    throw err;
  }
}

async function experimentRow(ctx: TrackingContext, experimentId: string): Promise<ExperimentRow> {
  const id = parseExperimentId(String(experimentId));
  const row = id === null ? undefined : await selectExperimentById(ctx.db, id);
  if (!row) throw new NotFound(`No Experiment with id=${experimentId} exists`);
  return row;
}

async function withTags(ctx: TrackingContext, row: ExperimentRow): Promise<Experiment> {
  return toExperiment(row, await selectExperimentTags(ctx.db, [row.experiment_id]));
}

/** Deleted experiments too, as MLflow. */
export async function getExperiment(ctx: TrackingContext, experimentId: string): Promise<Experiment> {
  return withTags(ctx, await experimentRow(ctx, experimentId));
}

export async function findExperimentByName(ctx: TrackingContext, name: string): Promise<Experiment | null> {
  const row = await selectExperimentByName(ctx.db, name);
  return row ? withTags(ctx, row) : null;
}

/** 404 when missing: the fluent `set_experiment` relies on it to decide to create the experiment. */
export async function getExperimentByName(ctx: TrackingContext, name: string): Promise<Experiment> {
  const found = await findExperimentByName(ctx, name);
  if (!found) throw new NotFound(`Could not find experiment with name '${name}'`);
  return found;
}

function requireActive(row: ExperimentRow): void {
  if (row.lifecycle_stage !== 'active') {
    throw new InvalidParameter(
      `The experiment ${row.experiment_id} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`,
    );
  }
}

export async function renameExperiment(ctx: TrackingContext, experimentId: string, newName: string): Promise<void> {
  const name = validateExperimentName(newName);
  const row = await experimentRow(ctx, experimentId);
  if (row.lifecycle_stage !== 'active') throw new AppError('INVALID_STATE', 'Cannot rename a non-active experiment.');
  if (row.name === name) return;
  const taken = () => new AlreadyExists(`Experiment(name=${name}) already exists.`);
  if (await selectExperimentByName(ctx.db, name)) throw taken();
  try {
    await renameExperimentRow(ctx.db, row.experiment_id, name, ctx.now());
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}

/** Soft delete of the experiment and all its runs; the name stays taken until `mlflow gc`. */
export async function deleteExperiment(ctx: TrackingContext, experimentId: string): Promise<void> {
  await setLifecycle(ctx, experimentId, 'deleted');
}

/** Restores the experiment and all its runs (also runs that were deleted one by one, as MLflow's SQL store does). */
export async function restoreExperiment(ctx: TrackingContext, experimentId: string): Promise<void> {
  await setLifecycle(ctx, experimentId, 'active');
}

async function setLifecycle(ctx: TrackingContext, experimentId: string, stage: 'active' | 'deleted'): Promise<void> {
  const row = await experimentRow(ctx, experimentId);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await setExperimentLifecycle(trx, row.experiment_id, stage, now);
    await setExperimentRunsLifecycle(trx, row.experiment_id, stage, now);
  });
}

export async function setExperimentTag(ctx: TrackingContext, experimentId: string, tag: Tag): Promise<void> {
  const valid = validateExperimentTag(tag.key, tag.value);
  const row = await experimentRow(ctx, experimentId);
  requireActive(row);
  await upsertExperimentTags(ctx.db, row.experiment_id, [valid]);
}

export async function searchExperiments(ctx: TrackingContext, input: SearchExperimentsInput = {}): Promise<SearchExperimentsResult> {
  const maxResults = validateMaxResults(input.maxResults);
  const offset = decodePageToken(input.pageToken);
  const { filter, order } = compileSearch(ctx, 'experiments', input.filter, input.orderBy);
  // One row more than asked tells whether another page exists without a count query.
  const rows = await searchExperimentRows(ctx.db, {
    stages: stagesFor(input.viewType),
    filter,
    order,
    limit: maxResults + 1,
    offset,
  });
  const page = rows.slice(0, maxResults);
  const tags = await selectExperimentTags(ctx.db, page.map((r) => r.experiment_id));
  const byId = new Map<number, typeof tags>();
  for (const t of tags) {
    const list = byId.get(t.experiment_id);
    if (list) list.push(t);
    else byId.set(t.experiment_id, [t]);
  }
  return {
    experiments: page.map((r) => toExperiment(r, byId.get(r.experiment_id) ?? [])),
    nextPageToken: rows.length > maxResults ? encodePageToken(offset + maxResults) : null,
  };
}
