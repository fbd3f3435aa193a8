// The model's `champion` alias, read and moved by deployments through the registry (so the move is validated and
// announced like any alias change; the deployment follower's sync is idempotent, so hearing its own move is harmless).
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { getAliasVersion, setAlias } from '../registry/index.js';

export const CHAMPION_ALIAS = 'champion';

export async function getChampionVersion(db: Kysely<Tables>, model: string): Promise<string | null> {
  const version = await getAliasVersion(db, model, CHAMPION_ALIAS);
  return version === null ? null : String(version);
}

export async function setChampionVersion(db: Kysely<Tables>, model: string, version: string): Promise<void> {
  await setAlias(db, model, CHAMPION_ALIAS, version);
}
