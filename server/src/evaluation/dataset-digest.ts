// A content digest of a labelled dataset, logged with an evaluation run so two runs can be seen to have used the
// same images. sha256 over, for each image in walkDataset order, `<relative path>\0<sha256 of the file>\n`: renaming,
// relabelling (moving to another folder), editing, adding or removing an image all change it, while the location of
// the folder and file times do not. Like MLflow's dataset digests, the logged form is a short hex prefix.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DatasetItem } from './dataset.js';

/** Length of the short digest; MLflow's dataset digests are 8 hex characters. */
export const SHORT_DIGEST_LENGTH = 8;

export interface DatasetDigest {
  /** full sha256, hex */
  sha256: string;
  /** first SHORT_DIGEST_LENGTH hex characters, as logged in the run's params */
  digest: string;
}

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `items` must be in walkDataset order (sorted by relative path); this keeps the digest independent of listing order. */
export async function datasetDigest(items: readonly Pick<DatasetItem, 'path' | 'relativePath'>[]): Promise<DatasetDigest> {
  const sorted = [...items].sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  const hash = createHash('sha256');
  for (const item of sorted) hash.update(`${item.relativePath}\0${await fileSha256(item.path)}\n`);
  const sha256 = hash.digest('hex');
  return { sha256, digest: sha256.slice(0, SHORT_DIGEST_LENGTH) };
}
