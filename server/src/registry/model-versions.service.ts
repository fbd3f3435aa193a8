// MLflow's model-version operations: create (numbers allocated max+1 per model, safe under concurrency), read,
// update, stage transitions, tags, download URI, delete. Functions take a store or a Kysely transaction.
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { deleteAliasesOfVersion } from './aliases.repository.js';
import {
  archiveVersionsInStage,
  deleteModelVersionRow,
  deleteModelVersionTagRow,
  insertModelVersionRow,
  nextVersionNumber,
  selectLatestPerStage,
  updateModelVersionRow,
  upsertModelVersionTags,
} from './model-versions.repository.js';
import { selectRegisteredModel, touchRegisteredModel } from './registered-models.repository.js';
import { inTransaction, kysely, type RegistryDb } from './registry-db.js';
import { modelNotFound, versionNotFound } from './registry-errors.js';
import { registryEvents } from './registry-events.js';
import { withVersionDetails } from './registry-mappers.js';
import { selectModelVersion } from './registry.repository.js';
import { ACTIVE_STAGES, canonicalStage, validateModelName, validateRegistryTag, validateRegistryTags, validateVersion } from './registry-validation.js';
import { InvalidParameter } from '../util/errors.js';
import { MODEL_STAGES, type ModelStage, type ModelVersionDetail, type RegistryTag } from './types.js';

export interface CreateModelVersionInput {
  name: string;
  source: string;
  runId?: string | null;
  runLink?: string | null;
  description?: string | null;
  userId?: string | null;
  tags?: readonly RegistryTag[];
  /** epoch ms (default Date.now()) */
  now?: number;
}

/** A conflict means another creator took the number between our read and insert; it rarely happens twice. */
const MAX_ALLOCATION_ATTEMPTS = 50;

/**
 * Registers a new version of an existing model under the next free number and returns it (status READY: FoodLens
 * registers synchronously). Two creators racing for one number (two instances on one PostgreSQL) resolve by the
 * insert's ON CONFLICT DO NOTHING: the loser reads the new maximum and tries the next number, never an error.
 */
export async function createModelVersion(db: RegistryDb, input: CreateModelVersionInput): Promise<ModelVersionDetail> {
  const name = validateModelName(input.name);
  const tags = validateRegistryTags('Model version', input.tags);
  const now = input.now ?? Date.now();
  const { result } = await inTransaction(db, async (trx) => {
    for (let attempt = 0; attempt < MAX_ALLOCATION_ATTEMPTS; attempt++) {
      const version = await nextVersionNumber(trx, name);
      if (version === null) throw modelNotFound(name);
      const inserted = await insertModelVersionRow(trx, {
        name,
        version,
        creation_time: now,
        last_updated_time: now,
        description: input.description ?? null,
        user_id: input.userId ?? null,
        source: input.source,
        run_id: input.runId ?? null,
        run_link: input.runLink ?? null,
        status: 'READY',
        status_message: null,
      });
      if (!inserted) continue;
      await upsertModelVersionTags(trx, name, version, tags);
      await touchRegisteredModel(trx, name, now);
      return detailOrThrow(trx, name, version);
    }
    throw new Error(`could not allocate a version number for model ${name} after ${MAX_ALLOCATION_ATTEMPTS} attempts`);
  });
  return result;
}

async function detailOrThrow(db: Kysely<Tables>, name: string, version: number): Promise<ModelVersionDetail> {
  const row = await selectModelVersion(db, name, version);
  if (!row) throw versionNotFound(name, version);
  return (await withVersionDetails(db, [row]))[0]!;
}

/** The version with its tags and aliases; 404 RESOURCE_DOES_NOT_EXIST when absent. */
export async function getModelVersionDetail(db: RegistryDb, name: string, version: number | string): Promise<ModelVersionDetail> {
  return detailOrThrow(kysely(db), validateModelName(name), validateVersion(version));
}

export async function updateModelVersion(
  db: RegistryDb,
  name: string,
  version: number | string,
  changes: { description?: string | null; now?: number },
): Promise<ModelVersionDetail> {
  const n = validateVersion(version);
  const k = kysely(db);
  const set = { last_updated_time: changes.now ?? Date.now(), ...(changes.description !== undefined ? { description: changes.description } : {}) };
  if (!(await updateModelVersionRow(k, validateModelName(name), n, set))) throw versionNotFound(name, n);
  return detailOrThrow(k, name, n);
}

/**
 * Moves a version to a stage (any case accepted). With archiveExisting, the model's other versions in that stage go
 * to Archived, which MLflow allows only for Staging and Production.
 */
export async function transitionModelVersionStage(
  db: RegistryDb,
  name: string,
  version: number | string,
  stage: string,
  archiveExisting: boolean,
  now: number = Date.now(),
): Promise<ModelVersionDetail> {
  const n = validateVersion(version);
  const target = canonicalStage(stage);
  if (archiveExisting && !ACTIVE_STAGES.includes(target)) {
    throw new InvalidParameter(
      `Model version transition cannot archive existing model versions because '${target}' is not an Active stage. ` +
        `Valid stages are ${ACTIVE_STAGES.join(', ')}`,
    );
  }
  const { result } = await inTransaction(db, async (trx) => {
    if (!(await updateModelVersionRow(trx, validateModelName(name), n, { current_stage: target, last_updated_time: now }))) {
      throw versionNotFound(name, n);
    }
    if (archiveExisting) await archiveVersionsInStage(trx, name, n, target, now);
    await touchRegisteredModel(trx, name, now);
    return detailOrThrow(trx, name, n);
  });
  return result;
}

export async function setModelVersionTag(db: RegistryDb, name: string, version: number | string, key: string, value: string): Promise<void> {
  const n = validateVersion(version);
  const tag = validateRegistryTag('Model version', key, value);
  const k = kysely(db);
  if (!(await selectModelVersion(k, validateModelName(name), n))) throw versionNotFound(name, n);
  await upsertModelVersionTags(k, name, n, [tag]);
}

/** Deleting a tag that is not there is fine (as in MLflow); the version must exist. */
export async function deleteModelVersionTag(db: RegistryDb, name: string, version: number | string, key: string): Promise<void> {
  const n = validateVersion(version);
  const k = kysely(db);
  if (!(await selectModelVersion(k, validateModelName(name), n))) throw versionNotFound(name, n);
  await deleteModelVersionTagRow(k, name, n, key);
}

const RUNS_URI = /^runs:\/([^/]+)(?:\/(.*))?$/;

/**
 * Where the version's files are: a `runs:/<run_id>/<path>` source resolves to the run's artifact_uri + path (the
 * artifact proxy's `mlflow-artifacts:/` URI); any other source, or a run this store does not know, is returned as is.
 */
export async function getModelVersionDownloadUri(db: RegistryDb, name: string, version: number | string): Promise<string> {
  const mv = await getModelVersionDetail(db, name, version);
  const source = mv.source ?? '';
  const m = RUNS_URI.exec(source);
  if (!m) return source;
  const run = await kysely(db).selectFrom('runs').select('artifact_uri').where('run_uuid', '=', m[1]!).executeTakeFirst();
  if (!run) return source;
  const path = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return path ? `${run.artifact_uri.replace(/\/+$/, '')}/${path}` : run.artifact_uri;
}

/** The highest version in each of `stages` (all stages when empty), in MLflow's stage order. */
export async function getLatestVersions(db: RegistryDb, name: string, stages: readonly string[] = []): Promise<ModelVersionDetail[]> {
  const k = kysely(db);
  const wanted = new Set<ModelStage>(stages.length > 0 ? stages.map(canonicalStage) : MODEL_STAGES);
  if (!(await selectRegisteredModel(k, validateModelName(name)))) throw modelNotFound(name);
  const rows = (await selectLatestPerStage(k, [name]))
    .filter((r) => wanted.has(r.current_stage as ModelStage))
    .sort((a, b) => MODEL_STAGES.indexOf(a.current_stage as ModelStage) - MODEL_STAGES.indexOf(b.current_stage as ModelStage));
  return withVersionDetails(k, rows);
}

/**
 * Deletes the version, its tags, its servable row and the aliases pointing at it. Its number is never given out
 * again. Emits `version-deleted` (and `alias-changed` for each alias that went with it).
 */
export async function deleteModelVersion(db: RegistryDb, name: string, version: number | string, now: number = Date.now()): Promise<void> {
  const n = validateVersion(version);
  const { result: aliases } = await inTransaction(db, async (trx) => {
    if (!(await deleteModelVersionRow(trx, validateModelName(name), n))) throw versionNotFound(name, n);
    const removed = await deleteAliasesOfVersion(trx, name, n);
    await touchRegisteredModel(trx, name, now);
    return removed;
  });
  for (const alias of aliases) registryEvents.emit({ type: 'alias-changed', name, alias, version: null, previousVersion: n });
  registryEvents.emit({ type: 'version-deleted', name, version: n, aliases });
}
