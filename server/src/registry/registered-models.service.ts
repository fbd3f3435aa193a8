// MLflow's registered-model operations: create, get, rename (the foreign keys carry versions, tags, aliases and
// deployments along), update, delete (everything of the model goes with it), tags.
import { AlreadyExists } from '../util/errors.js';
import { touchModelVersions } from './model-versions.repository.js';
import {
  deleteRegisteredModelRow,
  deleteRegisteredModelTagRow,
  insertRegisteredModel,
  selectRegisteredModel,
  updateRegisteredModelDescription,
  updateRegisteredModelName,
  upsertRegisteredModelTags,
} from './registered-models.repository.js';
import { inTransaction, isUniqueViolation, kysely, type RegistryDb } from './registry-db.js';
import { modelNotFound } from './registry-errors.js';
import { registryEvents } from './registry-events.js';
import { withModelDetails } from './registry-mappers.js';
import { validateModelName, validateRegistryTag, validateRegistryTags } from './registry-validation.js';
import type { RegisteredModel, RegistryTag } from './types.js';

const alreadyExists = (name: string) => new AlreadyExists(`Registered Model (name=${name}) already exists.`);

export interface CreateRegisteredModelInput {
  name: string;
  description?: string | null;
  tags?: readonly RegistryTag[];
  now?: number;
}

export async function createRegisteredModel(db: RegistryDb, input: CreateRegisteredModelInput): Promise<RegisteredModel> {
  const name = validateModelName(input.name);
  const tags = validateRegistryTags('Registered model', input.tags);
  const now = input.now ?? Date.now();
  const { result } = await inTransaction(db, async (trx) => {
    const created = await insertRegisteredModel(trx, { name, creation_time: now, last_updated_time: now, description: input.description ?? null });
    if (!created) throw alreadyExists(name);
    await upsertRegisteredModelTags(trx, name, tags);
    return requireModel(trx, name);
  });
  return result;
}

async function requireModel(db: RegistryDb, name: string): Promise<RegisteredModel> {
  const k = kysely(db);
  const row = await selectRegisteredModel(k, name);
  if (!row) throw modelNotFound(name);
  return (await withModelDetails(k, [row]))[0]!;
}

/** The model with its tags, aliases and latest version per stage; 404 when absent. */
export async function getRegisteredModel(db: RegistryDb, name: string): Promise<RegisteredModel> {
  return requireModel(db, validateModelName(name));
}

/** Renames the model; 400 RESOURCE_ALREADY_EXISTS when the new name is taken. Emits `model-renamed`. */
export async function renameRegisteredModel(db: RegistryDb, name: string, newName: string, now: number = Date.now()): Promise<RegisteredModel> {
  validateModelName(name);
  validateModelName(newName);
  let result: RegisteredModel;
  try {
    ({ result } = await inTransaction(db, async (trx) => {
      if (!(await selectRegisteredModel(trx, name))) throw modelNotFound(name);
      if (newName !== name && (await selectRegisteredModel(trx, newName))) throw alreadyExists(newName);
      await updateRegisteredModelName(trx, name, newName, now);
      await touchModelVersions(trx, newName, now);
      return requireModel(trx, newName);
    }));
  } catch (err) {
    // Another writer created the name between our check and the update.
    if (isUniqueViolation(err)) throw alreadyExists(newName);
    throw err;
  }
  if (newName !== name) registryEvents.emit({ type: 'model-renamed', name, newName });
  return result;
}

export async function updateRegisteredModel(
  db: RegistryDb,
  name: string,
  changes: { description?: string | null; now?: number },
): Promise<RegisteredModel> {
  validateModelName(name);
  const k = kysely(db);
  const row = await selectRegisteredModel(k, name);
  if (!row) throw modelNotFound(name);
  const description = changes.description !== undefined ? changes.description : row.description;
  await updateRegisteredModelDescription(k, name, description, changes.now ?? Date.now());
  return requireModel(k, name);
}

/** Deletes the model with its versions, tags, aliases and deployment. Emits `model-deleted`. */
export async function deleteRegisteredModel(db: RegistryDb, name: string): Promise<void> {
  validateModelName(name);
  if (!(await deleteRegisteredModelRow(kysely(db), name))) throw modelNotFound(name);
  registryEvents.emit({ type: 'model-deleted', name });
}

export async function setRegisteredModelTag(db: RegistryDb, name: string, key: string, value: string): Promise<void> {
  validateModelName(name);
  const tag = validateRegistryTag('Registered model', key, value);
  const k = kysely(db);
  if (!(await selectRegisteredModel(k, name))) throw modelNotFound(name);
  await upsertRegisteredModelTags(k, name, [tag]);
}

/** Deleting a tag that is not there is fine (as in MLflow); the model must exist. */
export async function deleteRegisteredModelTag(db: RegistryDb, name: string, key: string): Promise<void> {
  validateModelName(name);
  const k = kysely(db);
  if (!(await selectRegisteredModel(k, name))) throw modelNotFound(name);
  await deleteRegisteredModelTagRow(k, name, key);
}
