// GET /api/v1/mlops/model-versions: the registry as serving sees it. Every version with its aliases and stage, what it
// is (flavor, task, size), how the live deployment uses it, and its serving metrics over a window.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ModelVersionEntry } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { builtinFoodModels } from '../inference/index.js';
import { latencyQuantile, selectVersionTotals } from './version-stats.repository.js';

/** What serving knows that the store does not; supplied by the deployment router and the inference engine. */
export interface ServingView {
  /** roles of each version of the model in its live deployment, e.g. { '1': ['champion'], '2': ['shadow 10%'] } */
  roles(model: string): Record<string, string[]>;
  /** load time and memory of a loaded version; null when not loaded */
  loaded(model: string, version: string): { loadMs: number | null; memoryBytes: number | null } | null;
}

export async function listModelVersionsWithServing(
  database: Database,
  opts: { model?: string; from: number; to: number; serving?: ServingView },
): Promise<ModelVersionEntry[]> {
  const db = database.db;
  const versions = await db
    .selectFrom('model_versions as v')
    .leftJoin('model_version_servables as s', (j) => j.onRef('s.name', '=', 'v.name').onRef('s.version', '=', 'v.version'))
    .select([
      'v.name', 'v.version', 'v.current_stage', 'v.status', 'v.description', 'v.source', 'v.run_id', 'v.creation_time',
      'v.last_updated_time', 's.runtime', 's.spec', 's.size_bytes',
    ])
    .$if(opts.model !== undefined, (q) => q.where('v.name', '=', opts.model!))
    .orderBy('v.name')
    .orderBy('v.version', 'desc')
    .execute();
  const aliases = await db
    .selectFrom('registered_model_aliases')
    .select(['name', 'alias', 'version'])
    .$if(opts.model !== undefined, (q) => q.where('name', '=', opts.model!))
    .orderBy('alias')
    .execute();
  const builtins = new Map(builtinFoodModels().map((b) => [`${b.name}/${b.version}`, b]));

  const out: ModelVersionEntry[] = [];
  const names = [...new Set(versions.map((v) => v.name))];
  for (const name of names) {
    const mine = versions.filter((v) => v.name === name);
    const w = { model: name, versions: mine.map((v) => String(v.version)), from: opts.from, to: opts.to };
    const totals = await selectVersionTotals(db, w);
    const roles = opts.serving?.roles(name) ?? {};
    for (const v of mine) {
      const version = String(v.version);
      const builtin = builtins.get(`${name}/${version}`);
      const spec = v.spec ? (JSON.parse(v.spec) as { task?: string; labels?: unknown[] }) : null;
      const t = totals.find((x) => x.version === version);
      const loaded = opts.serving?.loaded(name, version) ?? null;
      out.push({
        name,
        version,
        aliases: aliases.filter((a) => a.name === name && a.version === v.version).map((a) => a.alias),
        stage: v.current_stage,
        status: v.status,
        description: v.description,
        source: v.source,
        run_id: v.run_id,
        flavor: v.runtime ?? (builtin ? builtin.runtime : null),
        task: spec?.task ?? (builtin ? `detection (${builtin.architecture})` : null),
        labels: spec?.labels?.length ?? null,
        size_bytes: v.size_bytes !== null && v.size_bytes !== undefined ? Number(v.size_bytes) : builtin ? await graphModelSize(builtin.modelPath) : null,
        created_time: v.creation_time,
        last_updated_time: v.last_updated_time,
        serving: { roles: roles[version] ?? [], loaded: loaded !== null, load_ms: loaded?.loadMs ?? null, memory_bytes: loaded?.memoryBytes ?? null },
        metrics: {
          requests: t?.requests ?? 0,
          error_rate: t && t.requests > 0 ? t.errors / t.requests : null,
          mean_confidence: t?.meanConfidence ?? null,
          latency_p95_ms: latencyQuantile(t, 0.95),
        },
      });
    }
  }
  return out;
}

const sizeCache = new Map<string, Promise<number | null>>();

/** model.json plus its weight shards, in bytes (cached: built-in files do not change while the server runs). */
function graphModelSize(modelJson: string): Promise<number | null> {
  let size = sizeCache.get(modelJson);
  if (!size) {
    size = (async () => {
      try {
        const json = JSON.parse(await fs.readFile(modelJson, 'utf8')) as { weightsManifest?: { paths: string[] }[] };
        let total = (await fs.stat(modelJson)).size;
        for (const group of json.weightsManifest ?? []) {
          for (const p of group.paths) total += (await fs.stat(path.join(path.dirname(modelJson), p))).size;
        }
        return total;
      } catch {
        return null;
      }
    })();
    sizeCache.set(modelJson, size);
  }
  return size;
}
