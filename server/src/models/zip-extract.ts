// Extracts a model archive into a staging directory without trusting it: entry names must be plain relative paths
// (no absolute path, drive letter, backslash, '..' or control character), symlinks and other special entries are
// refused, and the entry count and the total uncompressed size are bounded, the size by the bytes actually inflated
// (yauzl's validateEntrySizes rejects an entry whose data disagrees with its declared size).
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { ModelPackageError } from './model-errors.js';

export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** The entry's name as a safe relative path, or a ModelPackageError saying what is wrong with it. */
export function safeEntryName(name: string): string {
  const bad = (why: string) => new ModelPackageError(`archive entry ${JSON.stringify(name)} is refused: ${why}`, 'unsafe_archive');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw bad('control character in its name');
  if (name.includes('\\')) throw bad('backslash in its name');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw bad('absolute path');
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw bad("'..' in its path");
  if (segments.length === 0) throw bad('empty name');
  return segments.join('/');
}

/** Extracts every file of the zip at `zipPath` under `dest`; answers the relative file names written. */
export async function extractZip(zipPath: string, dest: string, limits: ZipLimits): Promise<string[]> {
  let zip: yauzl.ZipFile;
  try {
    // strictFileNames off: our own check gives the clearer message; decodeStrings on (names as UTF-8/CP437 text)
    zip = await new Promise((resolve, reject) =>
      yauzl.open(zipPath, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, z) => (err ? reject(err) : resolve(z))),
    );
  } catch (err) {
    throw new ModelPackageError(`not a readable zip archive: ${(err as Error).message}`, 'bad_archive');
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new ModelPackageError(`the archive has ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted`, 'unsafe_archive');
    }
    const written: string[] = [];
    let total = 0;
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        zip.once('entry', resolve);
        zip.once('end', () => resolve(null));
        zip.once('error', reject);
        zip.readEntry();
      }).catch((err: Error) => {
        // yauzl checks names itself before handing an entry over: answer its refusals as ours
        const unsafe = /^(?:invalid relative path|absolute path|invalid characters in fileName): (.*)$/s.exec(err.message);
        if (unsafe) {
          safeEntryName(unsafe[1]!); // throws with our message
          throw new ModelPackageError(`archive entry ${JSON.stringify(unsafe[1])} is refused: ${err.message}`, 'unsafe_archive');
        }
        throw new ModelPackageError(`corrupt zip archive: ${err.message}`, 'bad_archive');
      });
      zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error');
      if (!entry) break;
      const name = safeEntryName(entry.fileName);
      const madeByUnix = entry.versionMadeBy >> 8 === 3;
      const type = madeByUnix ? (entry.externalFileAttributes >>> 16) & S_IFMT : 0;
      if (entry.fileName.endsWith('/') || type === S_IFDIR) continue; // directories are created as files need them
      if (type !== 0 && type !== S_IFREG) {
        throw new ModelPackageError(`archive entry ${JSON.stringify(entry.fileName)} is refused: it is a symbolic link or special file`, 'unsafe_archive');
      }
      if (total + entry.uncompressedSize > limits.maxTotalBytes) throw tooLarge(limits);
      const target = path.join(dest, ...name.split('/'));
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const stream = await zip.openReadStreamPromise(entry);
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          total += chunk.length;
          done(total > limits.maxTotalBytes ? tooLarge(limits) : null, chunk);
        },
      });
      try {
        // 'wx': two entries with one name (or a file where a directory was) are refused, never overwritten
        await pipeline(stream, counter, fs.createWriteStream(target, { flags: 'wx' }));
      } catch (err) {
        if (err instanceof ModelPackageError) throw err;
        throw new ModelPackageError(`archive entry ${JSON.stringify(entry.fileName)} cannot be extracted: ${(err as Error).message}`, 'bad_archive');
      }
      written.push(name);
    }
    return written;
  } finally {
    zip.close();
  }
}

function tooLarge(limits: ZipLimits): ModelPackageError {
  return new ModelPackageError(`the archive expands to more than ${limits.maxTotalBytes} bytes`, 'too_large');
}
