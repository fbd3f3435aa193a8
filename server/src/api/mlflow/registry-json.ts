// Registry domain objects -> MLflow's JSON, as MLflow 2.12's server prints them (see the recorded client transcript):
// version numbers as strings, unset fields and empty lists left out, a registered model's empty description left out
// while a version's is printed.
import type { ModelVersionDetail, RegisteredModel } from '../../registry/index.js';

type Json = Record<string, unknown>;

export function modelVersionJson(v: ModelVersionDetail): Json {
  const out: Json = {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.creationTime,
    last_updated_timestamp: v.lastUpdatedTime,
  };
  if (v.userId !== null) out.user_id = v.userId;
  out.current_stage = v.currentStage;
  if (v.description !== null) out.description = v.description;
  if (v.source !== null) out.source = v.source;
  if (v.runId !== null) out.run_id = v.runId;
  out.status = v.status;
  if (v.statusMessage !== null) out.status_message = v.statusMessage;
  if (v.tags.length > 0) out.tags = v.tags.map((t) => ({ key: t.key, value: t.value }));
  if (v.runLink !== null) out.run_link = v.runLink;
  if (v.aliases.length > 0) out.aliases = v.aliases;
  return out;
}

export function registeredModelJson(m: RegisteredModel): Json {
  const out: Json = { name: m.name, creation_timestamp: m.creationTime, last_updated_timestamp: m.lastUpdatedTime };
  if (m.description) out.description = m.description;
  if (m.latestVersions.length > 0) out.latest_versions = m.latestVersions.map(modelVersionJson);
  if (m.tags.length > 0) out.tags = m.tags.map((t) => ({ key: t.key, value: t.value }));
  if (m.aliases.length > 0) out.aliases = m.aliases.map((a) => ({ alias: a.alias, version: String(a.version) }));
  return out;
}
