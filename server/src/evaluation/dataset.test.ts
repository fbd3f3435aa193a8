import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { datasetDigest, fileSha256 } from './dataset-digest.js';
import { DatasetError, walkDataset } from './dataset.js';

let tmp: string;
let root: string;

function write(rel: string, content = rel): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'foodlens-dataset-'));
  root = path.join(tmp, 'data');
  mkdirSync(root);
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('walkDataset', () => {
  it('labels images by the subfolder directly under the root, in a sorted, deterministic order', async () => {
    for (const rel of ['banana/b.JPG', 'apple/z.png', 'apple/a.jpeg', 'apple/nested/deeper/c.webp', 'Zebra/1.jpg', 'apple/x.jpg']) {
      write(rel);
    }
    const items = await walkDataset(root);
    expect(items.map((i) => [i.relativePath, i.label])).toEqual([
      ['Zebra/1.jpg', 'Zebra'],
      ['apple/a.jpeg', 'apple'],
      ['apple/nested/deeper/c.webp', 'apple'],
      ['apple/x.jpg', 'apple'],
      ['apple/z.png', 'apple'],
      ['banana/b.JPG', 'banana'],
    ]);
    expect(items[0]!.path).toBe(path.join(root, 'Zebra', '1.jpg'));
  });

  it.each([
    ['a file at the root has no label', 'loose.jpg'],
    ['other extensions', 'apple/notes.txt'],
    ['gif is not a format the server accepts', 'apple/anim.gif'],
    ['hidden files', 'apple/.hidden.jpg'],
    ['hidden folders', '.cache/x.jpg'],
    ['no extension', 'apple/jpg'],
  ])('skips %s', async (_why, rel) => {
    write('apple/keep.jpg');
    write(rel);
    expect((await walkDataset(root)).map((i) => i.relativePath)).toEqual(['apple/keep.jpg']);
  });

  it('follows symbolic links that stay inside the folder, without looping', async () => {
    write('apple/a.jpg');
    symlinkSync(path.join(root, 'apple', 'a.jpg'), path.join(root, 'apple', 'link.jpg'));
    symlinkSync(path.join(root, 'apple'), path.join(root, 'fruit'));
    symlinkSync(root, path.join(root, 'apple', 'loop')); // a link back to an ancestor
    const items = await walkDataset(root);
    expect(items.map((i) => [i.relativePath, i.label])).toEqual([
      ['apple/a.jpg', 'apple'],
      ['apple/link.jpg', 'apple'],
      ['fruit/a.jpg', 'fruit'],
      ['fruit/link.jpg', 'fruit'],
    ]);
  });

  it('refuses a symbolic link that escapes the folder, file or folder alike', async () => {
    write('apple/a.jpg');
    writeFileSync(path.join(tmp, 'secret.jpg'), 'outside');
    symlinkSync(path.join(tmp, 'secret.jpg'), path.join(root, 'apple', 'escape.jpg'));
    await expect(walkDataset(root)).rejects.toThrow(/apple\/escape\.jpg links outside the dataset folder/);
    rmSync(path.join(root, 'apple', 'escape.jpg'));
    mkdirSync(path.join(tmp, 'elsewhere'));
    symlinkSync(path.join(tmp, 'elsewhere'), path.join(root, 'banana'));
    await expect(walkDataset(root)).rejects.toBeInstanceOf(DatasetError);
    rmSync(path.join(root, 'banana'));
    symlinkSync('../data-sibling', path.join(root, 'carrot')); // a sibling whose name merely starts like the root
    mkdirSync(path.join(tmp, 'data-sibling'));
    await expect(walkDataset(root)).rejects.toThrow(/carrot links outside/);
  });

  it('accepts a root that is itself a symbolic link', async () => {
    write('apple/a.jpg');
    symlinkSync(root, path.join(tmp, 'alias'));
    expect((await walkDataset(path.join(tmp, 'alias'))).map((i) => i.relativePath)).toEqual(['apple/a.jpg']);
  });

  it('says clearly when the folder is missing or not a folder, or a link is broken', async () => {
    await expect(walkDataset(path.join(tmp, 'nope'))).rejects.toThrow(/cannot be read/);
    writeFileSync(path.join(tmp, 'file'), 'x');
    await expect(walkDataset(path.join(tmp, 'file'))).rejects.toThrow(/not a folder/);
    mkdirSync(path.join(root, 'apple'));
    symlinkSync(path.join(tmp, 'gone.jpg'), path.join(root, 'apple', 'broken.jpg'));
    await expect(walkDataset(root)).rejects.toThrow(/broken symbolic link/);
  });
});

describe('datasetDigest', () => {
  it('is sha256 over sorted relative paths and file hashes, with an 8-hex short form', async () => {
    write('banana/b.jpg', 'B');
    write('apple/a.jpg', 'A');
    const items = await walkDataset(root);
    expect(await fileSha256(items[0]!.path)).toBe('559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd'); // sha256("A")
    const d = await datasetDigest(items);
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d.digest).toBe(d.sha256.slice(0, 8));
    expect((await datasetDigest([...items].reverse())).sha256).toBe(d.sha256);
  });

  it('changes when an image is edited, renamed or relabelled; not when the folder moves', async () => {
    write('apple/a.jpg', 'A');
    write('banana/b.jpg', 'B');
    const base = (await datasetDigest(await walkDataset(root))).sha256;

    const moved = path.join(tmp, 'moved');
    cpSync(root, moved, { recursive: true });
    expect((await datasetDigest(await walkDataset(moved))).sha256).toBe(base);

    write('apple/a.jpg', 'A2');
    const edited = (await datasetDigest(await walkDataset(root))).sha256;
    expect(edited).not.toBe(base);
    write('apple/a.jpg', 'A');

    rmSync(path.join(root, 'banana/b.jpg'));
    write('banana/c.jpg', 'B');
    const renamed = (await datasetDigest(await walkDataset(root))).sha256;
    rmSync(path.join(root, 'banana/c.jpg'));
    write('apple/b.jpg', 'B');
    const relabelled = (await datasetDigest(await walkDataset(root))).sha256;
    expect(new Set([base, edited, renamed, relabelled]).size).toBe(4);
  });
});
