// Model aliases (`champion`, `challenger`, ...): a name pointing at one version of a model. Moving or removing one
// emits `alias-changed`, which the deployment router follows.
import { deleteAliasRow, selectAlias, selectAliases, upsertAlias } from './aliases.repository.js';
import { selectRegisteredModel } from './registered-models.repository.js';
import { inTransaction, kysely, type RegistryDb } from './registry-db.js';
import { aliasNotFound, modelNotFound, versionNotFound } from './registry-errors.js';
import { registryEvents } from './registry-events.js';
import { validateAlias, validateModelName, validateVersion } from './registry-validation.js';
import { selectModelVersion } from './registry.repository.js';
import { getModelVersionDetail } from './model-versions.service.js';
import type { ModelVersionDetail, RegisteredModelAlias } from './types.js';

/** Points `alias` at `version` (moving it if it pointed elsewhere). The model and the version must exist. */
export async function setAlias(db: RegistryDb, name: string, alias: string, version: number | string): Promise<void> {
  validateModelName(name);
  validateAlias(alias);
  const n = validateVersion(version);
  const { result: previous } = await inTransaction(db, async (trx) => {
    if (!(await selectRegisteredModel(trx, name))) throw modelNotFound(name);
    if (!(await selectModelVersion(trx, name, n))) throw versionNotFound(name, n);
    const before = await selectAlias(trx, name, alias);
    await upsertAlias(trx, { name, alias, version: n });
    return before?.version ?? null;
  });
  if (previous !== n) registryEvents.emit({ type: 'alias-changed', name, alias, version: n, previousVersion: previous });
}

/** Removes the alias; removing one that does not exist is fine (as in MLflow), the model must exist. */
export async function deleteAlias(db: RegistryDb, name: string, alias: string): Promise<void> {
  validateModelName(name);
  validateAlias(alias);
  const { result: previous } = await inTransaction(db, async (trx) => {
    if (!(await selectRegisteredModel(trx, name))) throw modelNotFound(name);
    const before = await selectAlias(trx, name, alias);
    if (before) await deleteAliasRow(trx, name, alias);
    return before?.version ?? null;
  });
  if (previous !== null) registryEvents.emit({ type: 'alias-changed', name, alias, version: null, previousVersion: previous });
}

/** The version `alias` points at, or null (no such model or alias). */
export async function getAliasVersion(db: RegistryDb, name: string, alias: string): Promise<number | null> {
  return (await selectAlias(kysely(db), name, alias))?.version ?? null;
}

/** The model's aliases, by name. */
export async function listAliases(db: RegistryDb, name: string): Promise<RegisteredModelAlias[]> {
  return (await selectAliases(kysely(db), [name])).map((a) => ({ alias: a.alias, version: a.version }));
}

/** The version an alias points at, with its tags and aliases; 404 when the model or alias does not exist. */
export async function getModelVersionByAlias(db: RegistryDb, name: string, alias: string): Promise<ModelVersionDetail> {
  validateModelName(name);
  const k = kysely(db);
  const row = await selectAlias(k, name, alias);
  if (!row) {
    if (!(await selectRegisteredModel(k, name))) throw modelNotFound(name);
    throw aliasNotFound(name, alias);
  }
  return getModelVersionDetail(k, name, row.version);
}
