// Seeding the registry with known versions (the built-in food detectors) and plain reads. Returns domain objects;
// absent versions are null, the API maps 404. The MLflow operations live in registered-models.service.ts,
// model-versions.service.ts and aliases.ts.
import { kysely, type RegistryDb } from './registry-db.js';
import { toModelVersion } from './registry-mappers.js';
import {
  insertModelVersionIfAbsent,
  insertRegisteredModelIfAbsent,
  selectModelVersion,
  selectModelVersions,
} from './registry.repository.js';
import { touchRegisteredModel } from './registered-models.repository.js';
import type { ModelVersion } from './types.js';

export type { ModelVersion } from './types.js';
export type { RegistryDb } from './registry-db.js';

export class InvalidModelVersionError extends RangeError {
  override name = 'InvalidModelVersionError';
}

export interface EnsureModelVersionInput {
  name: string;
  /** MLflow versions are positive integers; '3' is accepted as 3 */
  version: number | string;
  source?: string | null;
  description?: string | null;
  /** epoch ms used for creation/update times (default Date.now()) */
  now?: number;
}

/**
 * Registers the model and the version unless they exist, and returns the stored version. Idempotent and safe when
 * several instances call it at once: each step is an insert-or-do-nothing, so the loser of a race simply reads what
 * the winner wrote. An existing version is returned unchanged (its source and description are not overwritten).
 */
export async function ensureModelVersion(store: RegistryDb, input: EnsureModelVersionInput): Promise<ModelVersion> {
  const db = kysely(store);
  const version = parseModelVersion(input.version);
  const now = input.now ?? Date.now();
  await insertRegisteredModelIfAbsent(db, {
    name: input.name,
    creation_time: now,
    last_updated_time: now,
    description: null,
  });
  const created = await insertModelVersionIfAbsent(db, {
    name: input.name,
    version,
    creation_time: now,
    last_updated_time: now,
    description: input.description ?? null,
    user_id: null,
    source: input.source ?? null,
    run_id: null,
    run_link: null,
    status_message: null,
  });
  // MLflow bumps the model's last_updated_time when a version is created.
  if (created) await touchRegisteredModel(db, input.name, now);
  const row = await selectModelVersion(db, input.name, version);
  if (!row) throw new Error(`model version ${input.name}/${version} vanished right after it was ensured`);
  return toModelVersion(row);
}

export async function getModelVersion(store: RegistryDb, name: string, version: number | string): Promise<ModelVersion | null> {
  const row = await selectModelVersion(kysely(store), name, parseModelVersion(version));
  return row ? toModelVersion(row) : null;
}

/** All versions of a model, oldest first; empty when the model does not exist. */
export async function listModelVersions(store: RegistryDb, name: string): Promise<ModelVersion[]> {
  return (await selectModelVersions(kysely(store), name)).map(toModelVersion);
}

export function parseModelVersion(version: number | string): number {
  const n = typeof version === 'string' && /^\d+$/.test(version.trim()) ? Number(version.trim()) : version;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) {
    throw new InvalidModelVersionError(`invalid model version ${JSON.stringify(version)}: expected a positive integer`);
  }
  return n;
}
