// Registering a servable version: validate the staged package, then in one transaction create the version, record
// its servable row and move the files to models/<name>/<version>/ under the artifact root. Any failure leaves no
// version row and no file behind (the move happens before the commit and is undone if the commit fails).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RegisteredModelVersion, ServingSpec } from '@foodlens/contracts';
import { TEMP_PREFIX } from '../artifacts/artifact-path.js';
import type { Database } from '../db/connection.js';
import { createModelVersion } from '../registry/index.js';
import { insertRegisteredModelIfAbsent } from '../registry/registry.repository.js';
import { inspectPackage } from './model-package.js';
import { validateModel } from './validate-model.js';

export interface RegisterModelDeps {
  database: Database;
  artifactRoot: string;
  validationTimeoutMs: number;
}

export interface RegisterModelInput {
  name: string;
  description?: string;
  serving: ServingSpec;
  /** where the files came from (an artifact URI), null for uploads */
  /** null for an upload: its source becomes the artifact folder it is stored in */
  source: string | null;
  /** the staged package directory (consumed: moved on success) */
  packageDir: string;
}

/** A fresh staging directory under the artifact root (same filesystem, so the final move is a rename), always removed. */
export async function withStaging<T>(artifactRoot: string, fn: (dir: string) => Promise<T>): Promise<T> {
  await fs.mkdir(artifactRoot, { recursive: true });
  const dir = path.join(artifactRoot, `${TEMP_PREFIX}model-${randomBytes(8).toString('hex')}`);
  await fs.mkdir(dir);
  try {
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export async function registerModel(deps: RegisterModelDeps, input: RegisterModelInput): Promise<RegisteredModelVersion> {
  const pkg = await inspectPackage(input.packageDir);
  const validation = await validateModel(path.join(input.packageDir, ...pkg.entry.split('/')), pkg.runtime, input.serving, {
    timeoutMs: deps.validationTimeoutMs,
  });
  const modelsDir = path.join(deps.artifactRoot, 'models', input.name);
  await fs.mkdir(modelsDir, { recursive: true });
  let finalDir: string | undefined;
  try {
    return await deps.database.db.transaction().execute(async (trx) => {
      const now = Date.now();
      // Registering a servable model creates its registered model on first use (MLflow's model-versions/create does
      // not, so the REST route keeps that rule); the version number comes from the registry's allocator.
      await insertRegisteredModelIfAbsent(trx, { name: input.name, creation_time: now, last_updated_time: now, description: null });
      const version = await createModelVersion(trx, {
        name: input.name,
        source: input.source ?? 'pending-upload',
        // as MLflow's client does for a runs:/ source: the version links back to the run that logged it
        runId: /^runs:\/([^/]+)\//.exec(input.source ?? '')?.[1] ?? null,
        description: input.description ?? null,
        now,
      });
      // An uploaded model's source is where it now lives, served by the artifact proxy (so get-download-uri and
      // MLflow clients can fetch it); the folder name needs the version number, known only now.
      const source = input.source ?? `mlflow-artifacts:/models/${input.name}/${version.version}`;
      if (input.source === null) {
        await trx.updateTable('model_versions').set({ source }).where('name', '=', input.name).where('version', '=', version.version).execute();
      }
      const modelPath = ['models', input.name, String(version.version), pkg.entry].join('/');
      await trx
        .insertInto('model_version_servables')
        .values({
          name: input.name,
          version: version.version,
          runtime: pkg.runtime,
          spec: JSON.stringify(input.serving),
          model_path: modelPath,
          size_bytes: pkg.sizeBytes,
          sha256: pkg.sha256,
          load_ms: validation.load.loadMs,
          created_time: now,
        })
        .execute();
      finalDir = path.join(modelsDir, String(version.version));
      // fails if the directory exists (left by hand?): never overwrite another version's files
      await fs.rename(input.packageDir, finalDir);
      return {
        name: input.name,
        version: version.version,
        runtime: pkg.runtime,
        task: input.serving.task,
        labels: input.serving.labels,
        model_path: modelPath,
        source,
        size_bytes: pkg.sizeBytes,
        sha256: pkg.sha256,
        load_ms: Math.round(validation.load.loadMs * 10) / 10,
        memory_bytes: validation.load.memoryBytes,
        memory_method: validation.load.memoryMethod,
      };
    });
  } catch (err) {
    if (finalDir) await fs.rm(finalDir, { recursive: true, force: true });
    await fs.rmdir(modelsDir).catch(() => undefined); // only if empty
    throw err;
  }
}
