// Rows -> registry domain objects, and the batch loads that complete them (tags, aliases, latest versions) with one
// query per kind for a whole page.
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';
import { selectAliases } from './aliases.repository.js';
import { selectLatestPerStage, selectModelVersionTags } from './model-versions.repository.js';
import { selectRegisteredModelTags, type RegisteredModelRow } from './registered-models.repository.js';
import type { ModelVersionRow } from './registry.repository.js';
import { MODEL_STAGES, type ModelVersion, type ModelVersionDetail, type RegisteredModel, type RegistryTag } from './types.js';

export function toModelVersion(row: ModelVersionRow): ModelVersion {
  return {
    name: row.name,
    version: row.version,
    creationTime: Number(row.creation_time),
    lastUpdatedTime: Number(row.last_updated_time),
    description: row.description,
    userId: row.user_id,
    currentStage: row.current_stage,
    source: row.source,
    runId: row.run_id,
    runLink: row.run_link,
    status: row.status,
    statusMessage: row.status_message,
  };
}

const versionKey = (name: string, version: number) => `${version}/${name}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Versions with their tags and aliases, in the order given. */
export async function withVersionDetails(db: Kysely<Tables>, rows: readonly ModelVersionRow[]): Promise<ModelVersionDetail[]> {
  if (rows.length === 0) return [];
  const names = [...new Set(rows.map((r) => r.name))];
  const [tags, aliases] = await Promise.all([selectModelVersionTags(db, rows), selectAliases(db, names)]);
  const tagsOf = new Map<string, RegistryTag[]>();
  for (const t of tags) push(tagsOf, versionKey(t.name, t.version), { key: t.key, value: t.value ?? '' });
  const aliasesOf = new Map<string, string[]>();
  for (const a of aliases) push(aliasesOf, versionKey(a.name, a.version), a.alias);
  return rows.map((r) => ({
    ...toModelVersion(r),
    tags: tagsOf.get(versionKey(r.name, r.version)) ?? [],
    aliases: aliasesOf.get(versionKey(r.name, r.version)) ?? [],
  }));
}

const stageRank = (stage: string) => {
  const i = (MODEL_STAGES as readonly string[]).indexOf(stage);
  return i < 0 ? MODEL_STAGES.length : i;
};

/** Registered models with their tags, aliases and latest version per stage, in the order given. */
export async function withModelDetails(db: Kysely<Tables>, rows: readonly RegisteredModelRow[]): Promise<RegisteredModel[]> {
  if (rows.length === 0) return [];
  const names = rows.map((r) => r.name);
  const [tags, aliases, latestRows] = await Promise.all([
    selectRegisteredModelTags(db, names),
    selectAliases(db, names),
    selectLatestPerStage(db, names),
  ]);
  const latest = await withVersionDetails(
    db,
    [...latestRows].sort((a, b) => stageRank(a.current_stage) - stageRank(b.current_stage)),
  );
  const tagsOf = new Map<string, RegistryTag[]>();
  for (const t of tags) push(tagsOf, t.name, { key: t.key, value: t.value ?? '' });
  const aliasesOf = new Map<string, Array<{ alias: string; version: number }>>();
  for (const a of aliases) push(aliasesOf, a.name, { alias: a.alias, version: a.version });
  const latestOf = new Map<string, ModelVersionDetail[]>();
  for (const v of latest) push(latestOf, v.name, v);
  return rows.map((r) => ({
    name: r.name,
    creationTime: Number(r.creation_time),
    lastUpdatedTime: Number(r.last_updated_time),
    description: r.description,
    latestVersions: latestOf.get(r.name) ?? [],
    tags: tagsOf.get(r.name) ?? [],
    aliases: aliasesOf.get(r.name) ?? [],
  }));
}
