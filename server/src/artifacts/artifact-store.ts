// The artifact store behind MLflow's artifact proxy: files under one root directory (MLFLOW_ARTIFACT_LOCATION).
// Store paths are the relative POSIX paths of "mlflow-artifacts:/" URIs ("1/<run_id>/artifacts/model/MLmodel").
// Every method validates its path itself (artifact-path.ts), so no caller can reach outside the root by mistake.
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError, InvalidParameter, NotFound } from '../util/errors.js';
import { joinArtifactPath, parseArtifactPath, TEMP_PREFIX } from './artifact-path.js';

/** One entry of a listing, in MLflow's FileInfo shape: file_size only for files. */
export interface ArtifactFileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export interface PutOptions {
  /** the Content-Length the client announced: over the limit is refused before a byte is read */
  declaredBytes?: number;
}

export interface ArtifactStore {
  /** Stores the bytes of `body` at `path`, replacing a file that is there; readers see the old or the new file, never part of one. */
  put(path: string, body: AsyncIterable<Uint8Array>, options?: PutOptions): Promise<{ bytes: number }>;
  /** An open file: NotFound when there is none. */
  get(path: string): Promise<{ stream: Readable; size: number }>;
  /** Entries directly inside `dir` ('' = the root), named relative to it, sorted; [] for a file or a missing path. */
  list(dir?: string): Promise<ArtifactFileInfo[]>;
  /** Removes a file or a whole directory; nothing there is not an error (MLflow does the same). */
  delete(path: string): Promise<void>;
}

const errnoOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | null)?.code;
const tempName = (): string => `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`;
/** Python's sorted() on str compares code points; UTF-8 byte order is the same order. */
const byCodePoint = (a: ArtifactFileInfo, b: ArtifactFileInfo): number => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));

function symlinkRefused(rel: string): InvalidParameter {
  return new InvalidParameter(`Invalid path: '${rel}' goes through a symbolic link, which the artifact store does not follow`);
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await fs.lstat(p);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return null;
    throw err;
  }
}

export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;
  readonly maxBytes: number;

  constructor(opts: { root: string; maxBytes: number }) {
    this.root = path.resolve(opts.root);
    this.maxBytes = opts.maxBytes;
  }

  async put(p: string, body: AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<{ bytes: number }> {
    const rel = parseArtifactPath(p);
    if (options.declaredBytes !== undefined && options.declaredBytes > this.maxBytes) throw this.tooLarge();
    const segments = rel.split('/');
    const dir = await this.ensureDir(segments.slice(0, -1), rel);
    const target = path.join(dir, segments[segments.length - 1]!);
    const existing = await lstatOrNull(target);
    if (existing?.isSymbolicLink()) throw symlinkRefused(rel);
    if (existing?.isDirectory()) throw new InvalidParameter(`Artifact '${rel}' is a directory`);

    // Write beside the target, then rename over it: rename is atomic within a directory, so a reader sees the old or
    // the new file, concurrent uploads end with one of them whole, and a failed upload leaves only a temp file to remove.
    const tmp = path.join(dir, tempName());
    const fh = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    let closed = false;
    let renamed = false;
    try {
      let bytes = 0;
      for await (const chunk of body) {
        bytes += chunk.byteLength;
        if (bytes > this.maxBytes) throw this.tooLarge();
        for (let off = 0; off < chunk.byteLength; ) off += (await fh.write(chunk, off)).bytesWritten;
      }
      // Data reaches the disk before the name does: after a crash the target is the old file or the whole new one.
      await fh.sync();
      await fh.close();
      closed = true;
      await fs.rename(tmp, target).catch((err: unknown) => {
        if (errnoOf(err) === 'EISDIR') throw new InvalidParameter(`Artifact '${rel}' is a directory`);
        throw err;
      });
      renamed = true;
      return { bytes };
    } finally {
      if (!closed) await fh.close().catch(() => {});
      if (!renamed) await fs.rm(tmp, { force: true }).catch(() => {});
    }
  }

  async get(p: string): Promise<{ stream: Readable; size: number }> {
    const rel = parseArtifactPath(p);
    const found = await this.walk(rel);
    if (!found || !(found.stats.isFile() || found.stats.isDirectory())) throw this.notFound(rel);
    if (found.stats.isDirectory()) throw new InvalidParameter(`Artifact '${rel}' is a directory: list it with ?path=`);
    let fh: fs.FileHandle;
    try {
      // O_NOFOLLOW: if the file was swapped for a symlink since walk() looked at it, opening fails instead of following.
      fh = await fs.open(found.abs, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      if (errnoOf(err) === 'ELOOP') throw symlinkRefused(rel);
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') throw this.notFound(rel);
      throw err;
    }
    const stats = await fh.stat();
    if (!stats.isFile()) {
      await fh.close();
      throw this.notFound(rel);
    }
    // The open handle keeps the file it opened even if an upload renames a new one over it mid-download.
    return { stream: fh.createReadStream(), size: stats.size };
  }

  async list(dir = ''): Promise<ArtifactFileInfo[]> {
    const rel = parseArtifactPath(dir, { allowRoot: true });
    const found = await this.walk(rel);
    if (!found?.stats.isDirectory()) return [];
    let entries;
    try {
      entries = await fs.readdir(found.abs, { withFileTypes: true });
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') return [];
      throw err;
    }
    const infos = await Promise.all(
      entries.map(async (e): Promise<ArtifactFileInfo | null> => {
        if (e.name.startsWith(TEMP_PREFIX)) return null; // uploads in progress, directories being deleted
        if (e.isDirectory()) return { path: e.name, is_dir: true };
        if (!e.isFile()) return null; // symbolic links and special files are neither followed nor listed
        const stats = await lstatOrNull(path.join(found.abs, e.name));
        return stats?.isFile() ? { path: e.name, is_dir: false, file_size: stats.size } : null;
      }),
    );
    return infos.filter((i): i is ArtifactFileInfo => i !== null).sort(byCodePoint);
  }

  async delete(p: string): Promise<void> {
    const rel = parseArtifactPath(p); // '' is refused: nobody deletes the whole store through the API
    const found = await this.walk(rel);
    if (!found) return;
    try {
      if (found.stats.isDirectory()) {
        // Move it aside first, so readers see the directory vanish at once rather than file by file.
        const aside = path.join(path.dirname(found.abs), tempName());
        await fs.rename(found.abs, aside);
        await fs.rm(aside, { recursive: true, force: true }); // rm removes symlinks inside, never their targets
      } else {
        await fs.unlink(found.abs);
      }
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err; // a concurrent delete won
    }
  }

  /**
   * Looks at every component of `rel` below the root with lstat. Null when one is missing (or a file stands where a
   * directory should be); InvalidParameter when one is a symbolic link, since following it could leave the root.
   */
  private async walk(rel: string): Promise<{ abs: string; stats: Stats } | null> {
    let abs = this.root;
    // The root itself may be a symlink: that is the operator's choice, so it is followed.
    let stats: Stats;
    try {
      stats = await fs.stat(abs);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return null;
      throw err;
    }
    for (const seg of rel === '' ? [] : rel.split('/')) {
      if (!stats.isDirectory()) return null;
      abs = path.join(abs, seg);
      const s = await lstatOrNull(abs);
      if (!s) return null;
      if (s.isSymbolicLink()) throw symlinkRefused(rel);
      stats = s;
    }
    return { abs, stats };
  }

  /** Creates the directories of `segments` one at a time, so that none is created through a symlink. */
  private async ensureDir(segments: string[], rel: string): Promise<string> {
    await fs.mkdir(this.root, { recursive: true });
    let abs = this.root;
    for (const seg of segments) {
      abs = path.join(abs, seg);
      let stats = await lstatOrNull(abs);
      if (!stats) {
        await fs.mkdir(abs).catch((err: unknown) => {
          if (errnoOf(err) !== 'EEXIST') throw err; // a concurrent upload made it first
        });
        stats = await fs.lstat(abs);
      }
      if (stats.isSymbolicLink()) throw symlinkRefused(rel);
      if (!stats.isDirectory()) throw new InvalidParameter(`Invalid path: '${path.relative(this.root, abs)}' is a file, not a directory`);
    }
    return abs;
  }

  private notFound(rel: string): NotFound {
    return new NotFound(`Artifact '${rel}' does not exist`);
  }

  private tooLarge(): AppError {
    return new AppError('PAYLOAD_TOO_LARGE', `Artifact is larger than the limit of ${this.maxBytes} bytes (FOODLENS_MAX_ARTIFACT_BYTES)`, {
      reason: 'too_large',
    });
  }
}

/**
 * Maps an "mlflow-artifacts:" URI to a store path: 'mlflow-artifacts:/1/<run>/artifacts' and
 * 'mlflow-artifacts://host:port/1/<run>/artifacts' both give '1/<run>/artifacts' (as MLflow's
 * _get_proxied_run_artifact_destination_path does). Any other scheme is not served by this store: InvalidParameter.
 */
export function resolveArtifactUri(uri: string): string {
  const m = /^mlflow-artifacts:(?:\/\/[^/?#]*)?([^?#]*)$/i.exec(uri);
  if (!m) throw new InvalidParameter(`Artifact URI '${uri}' is not an mlflow-artifacts: URI, so this server does not store its artifacts`);
  return parseArtifactPath(m[1]!.replace(/^\/+/, ''), { allowRoot: true });
}

/** The answer of GET /api/2.0/mlflow/artifacts/list, as MLflow serializes it (empty `files` is left out). */
export interface RunArtifactListing {
  root_uri: string;
  files?: ArtifactFileInfo[];
  next_page_token?: string;
}

/**
 * GET /api/2.0/mlflow/artifacts/list?run_id=&path= for a run whose artifact_uri is `artifactUri`: the entries of
 * `relPath` (relative to the run's artifact root; absent/'' = the root), named relative to the run root
 * ("notes/hello.txt"), unlike the proxy listing. MLflow 2.12 does not page this listing, so next_page_token never appears.
 */
export async function listRunArtifacts(store: ArtifactStore, artifactUri: string, relPath?: string | null): Promise<RunArtifactListing> {
  const runRoot = resolveArtifactUri(artifactUri);
  const rel = parseArtifactPath(relPath ?? '', { allowRoot: true });
  const files = (await store.list(joinArtifactPath(runRoot, rel))).map((f) => ({ ...f, path: joinArtifactPath(rel, f.path) }));
  return files.length > 0 ? { root_uri: artifactUri, files } : { root_uri: artifactUri };
}
