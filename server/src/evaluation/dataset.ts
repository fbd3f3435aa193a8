// A labelled image folder -> the list of images to evaluate. Layout as torchvision's ImageFolder: the label is the
// name of the subfolder directly under the root, and every image below that subfolder (at any depth) carries it:
//
//   data/apple/1.jpg   -> apple        data/banana/ripe/2.png -> banana        data/readme.jpg -> skipped (no label)
//
// Only .jpg/.jpeg/.png/.webp files (any case) count; names starting with '.' are skipped (.DS_Store, .git).
// Symbolic links are followed only while they stay inside the root: a link that resolves outside it is refused,
// so a dataset cannot make the evaluator read (and digest, and log paths of) arbitrary files. The order is sorted by
// relative path, compared by code unit, so two machines list the same folder identically.
import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';

export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.png', '.webp']);

export interface DatasetItem {
  /** absolute path as listed (inside the root; may be a link that resolves inside the root) */
  path: string;
  /** path relative to the root with '/' separators, e.g. 'apple/1.jpg' */
  relativePath: string;
  label: string;
}

export class DatasetError extends Error {
  override name = 'DatasetError';
}

export async function walkDataset(root: string): Promise<DatasetItem[]> {
  const absRoot = path.resolve(root);
  let realRoot: string;
  try {
    realRoot = await fs.realpath(absRoot);
  } catch (err) {
    throw new DatasetError(`dataset folder ${absRoot} cannot be read: ${(err as Error).message}`);
  }
  if (!(await fs.stat(realRoot)).isDirectory()) throw new DatasetError(`dataset ${absRoot} is not a folder`);

  const items: DatasetItem[] = [];
  // Real paths of the folders being walked, so a link back to an ancestor cannot loop forever.
  const visiting = new Set<string>([realRoot]);

  const walk = async (dir: string, rel: string[], label: string | null): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const kind = await kindOf(entry, full, realRoot, absRoot);
      if (kind.type === 'dir') {
        if (visiting.has(kind.real)) continue; // a link to a folder already being walked
        visiting.add(kind.real);
        await walk(full, [...rel, entry.name], label ?? entry.name);
        visiting.delete(kind.real);
      } else if (kind.type === 'file' && label !== null && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        items.push({ path: full, relativePath: [...rel, entry.name].join('/'), label });
      }
    }
  };
  await walk(absRoot, [], null);
  return items.sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
}

type EntryKind = { type: 'dir'; real: string } | { type: 'file' } | { type: 'other' };

async function kindOf(entry: Dirent, full: string, realRoot: string, absRoot: string): Promise<EntryKind> {
  if (entry.isDirectory()) return { type: 'dir', real: await fs.realpath(full) };
  if (entry.isFile()) return { type: 'file' };
  if (!entry.isSymbolicLink()) return { type: 'other' };
  let real: string;
  try {
    real = await fs.realpath(full);
  } catch {
    throw new DatasetError(`${path.relative(absRoot, full)} is a broken symbolic link`);
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new DatasetError(`${path.relative(absRoot, full)} links outside the dataset folder (to ${real}); refusing to follow it`);
  }
  const stat = await fs.stat(real);
  return stat.isDirectory() ? { type: 'dir', real } : stat.isFile() ? { type: 'file' } : { type: 'other' };
}
