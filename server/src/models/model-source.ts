// A model already in the artifact store: 'runs:/<run_id>/<path>' (MLflow's run-relative URI) or
// 'mlflow-artifacts:/<path>', resolved through the artifact store's path rules ('..', absolute paths, NUL bytes and
// the like are a 400) and copied into the staging directory.
import fs from 'node:fs/promises';
import path from 'node:path';
import { joinArtifactPath, parseArtifactPath } from '../artifacts/artifact-path.js';
import { resolveArtifactUri } from '../artifacts/artifact-store.js';
import type { TrackingService } from '../tracking/types.js';
import { InvalidParameter, NotFound } from '../util/errors.js';

/** The source as a path relative to the artifact root. */
export async function resolveModelSource(source: string, tracking: TrackingService): Promise<string> {
  const runs = /^runs:\/([^/]+)\/(.*)$/.exec(source);
  if (runs) {
    const rel = parseArtifactPath(runs[2]!);
    const run = await tracking.getRun(runs[1]!);
    return joinArtifactPath(resolveArtifactUri(run.info.artifactUri), rel);
  }
  if (/^mlflow-artifacts:/i.test(source)) {
    const rel = resolveArtifactUri(source);
    if (rel === '') throw new InvalidParameter('source names the artifact root, not a model');
    return rel;
  }
  throw new InvalidParameter(`source must be runs:/<run_id>/<path> or mlflow-artifacts:/<path>, got ${JSON.stringify(source.slice(0, 200))}`);
}

/** Copies the file or folder at `rel` (below `root`) into `dest`; symbolic links anywhere on the way are refused. */
export async function copyFromArtifacts(root: string, rel: string, dest: string): Promise<void> {
  let at = path.resolve(root);
  for (const seg of rel.split('/')) {
    at = path.join(at, seg);
    const st = await fs.lstat(at).catch(() => null);
    if (!st) throw new NotFound(`artifact '${rel}' does not exist`);
    if (st.isSymbolicLink()) throw new InvalidParameter(`artifact '${rel}' goes through a symbolic link`);
  }
  const st = await fs.lstat(at);
  await fs.mkdir(dest, { recursive: true });
  if (st.isDirectory()) await fs.cp(at, dest, { recursive: true, dereference: false, verbatimSymlinks: true });
  else await fs.copyFile(at, path.join(dest, path.basename(at)));
}
