// (name, version) -> what the inference engine needs to load it. Built-in versions come from the installed model
// package; user versions from model_version_servables, their files under the artifact root. A version that is in
// neither is not servable, and the answer says why.
import path from 'node:path';
import { ServingSpec } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { builtinFoodModels } from '../inference/index.js';
import type { ModelRuntime, ModelSpec } from '../inference/types.js';

export type CatalogLookup = { ok: true; spec: ModelSpec } | { ok: false; reason: string };

const RUNTIMES: readonly ModelRuntime[] = ['onnx', 'tfjs-graph'];

export class ModelCatalog {
  private readonly builtins = new Map<string, ModelSpec>();

  constructor(
    private readonly database: Database,
    /** MLFLOW_ARTIFACT_LOCATION: servable model paths are relative to it */
    private readonly artifactRoot: string,
    builtins: readonly ModelSpec[] = builtinFoodModels(),
  ) {
    for (const spec of builtins) this.builtins.set(key(spec.name, spec.version), spec);
  }

  /** The spec of a registered, servable version, or why it cannot be served. */
  async lookup(name: string, version: string): Promise<CatalogLookup> {
    const db = this.database.db;
    const n = Number(version);
    if (!Number.isSafeInteger(n) || n < 1) return { ok: false, reason: `version ${JSON.stringify(version)} is not a positive integer` };
    const registered = await db
      .selectFrom('model_versions')
      .select('version')
      .where('name', '=', name)
      .where('version', '=', n)
      .executeTakeFirst();
    if (!registered) return { ok: false, reason: `model ${name} has no version ${version} in the registry` };
    const builtin = this.builtins.get(key(name, version));
    if (builtin) return { ok: true, spec: builtin };
    const row = await db
      .selectFrom('model_version_servables')
      .select(['runtime', 'spec', 'model_path'])
      .where('name', '=', name)
      .where('version', '=', n)
      .executeTakeFirst();
    if (!row) return { ok: false, reason: `model ${name} version ${version} is not servable: it was registered without a model file and serving spec` };
    if (!RUNTIMES.includes(row.runtime as ModelRuntime)) {
      return { ok: false, reason: `model ${name} version ${version} is not servable: unknown runtime ${JSON.stringify(row.runtime)}` };
    }
    let serving: ServingSpec;
    try {
      serving = ServingSpec.parse(JSON.parse(row.spec));
    } catch (err) {
      return { ok: false, reason: `model ${name} version ${version} is not servable: its stored serving spec is invalid (${(err as Error).message.slice(0, 200)})` };
    }
    // The stored path came from our own registration, but a path that leaves the artifact root is never loaded.
    const root = path.resolve(this.artifactRoot);
    const modelPath = path.resolve(root, row.model_path);
    if (modelPath !== root && !modelPath.startsWith(root + path.sep)) {
      return { ok: false, reason: `model ${name} version ${version} is not servable: its model path leaves the artifact root` };
    }
    return { ok: true, spec: { kind: 'user', name, version, runtime: row.runtime as ModelRuntime, modelPath, serving } };
  }
}

function key(name: string, version: string): string {
  return `${name}\u0000${version}`;
}
