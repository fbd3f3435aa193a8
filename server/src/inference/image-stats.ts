// Cheap per-image statistics for drift monitoring, computed on the decoded RGB image (no tfjs, pure JS).
//
//   brightness  mean luma, Rec.601 Y = 0.299 R + 0.587 G + 0.114 B, scaled to 0..1
//   contrast    population standard deviation of that luma
//   saturation  mean HSV saturation, (max - min) / max per pixel (0 for black)
//   sharpness   population variance of the 4-neighbour Laplacian of luma (0..1 units):
//               L(x,y) = Y(x-1,y) + Y(x+1,y) + Y(x,y-1) + Y(x,y+1) - 4 Y(x,y), over interior pixels only
//
// Large images are subsampled on a regular grid with step `stride` in both directions (chosen so that at most
// ~`maxSamples` points are visited); the Laplacian at a sampled point still uses its immediate neighbours, so
// sharpness keeps measuring pixel-level detail. Images with at most `maxSamples` pixels are computed exactly.
import type { DecodedImage, ImageStats } from './types.js';

export const DEFAULT_MAX_STAT_SAMPLES = 100_000;

const KR = 0.299 / 255;
const KG = 0.587 / 255;
const KB = 0.114 / 255;

/** Grid step used for an image of this size: 1 up to maxSamples pixels, then ceil(sqrt(pixels / maxSamples)). */
export function statsStride(width: number, height: number, maxSamples = DEFAULT_MAX_STAT_SAMPLES): number {
  const pixels = width * height;
  return pixels <= maxSamples ? 1 : Math.ceil(Math.sqrt(pixels / maxSamples));
}

export function computeImageStats(
  image: DecodedImage,
  options: { maxSamples?: number } = {},
): ImageStats {
  const { data, width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`invalid image size ${width}x${height}`);
  }
  if (data.length < width * height * 3) {
    throw new RangeError(`image data holds ${data.length} bytes, ${width}x${height} RGB needs ${width * height * 3}`);
  }
  const stride = statsStride(width, height, options.maxSamples);
  const rowBytes = width * 3;

  // Shifted sums (first sample as the shift) keep the one-pass variance exact for flat images.
  let n = 0;
  let shiftY = Number.NaN;
  let sumY = 0;
  let sumY2 = 0;
  let sumS = 0;
  let nL = 0;
  let shiftL = Number.NaN;
  let sumL = 0;
  let sumL2 = 0;

  for (let y = 0; y < height; y += stride) {
    const interiorRow = y > 0 && y < height - 1;
    const row = y * rowBytes;
    for (let x = 0; x < width; x += stride) {
      const i = row + x * 3;
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      const luma = KR * r + KG * g + KB * b;
      if (n === 0) shiftY = luma;
      const dy = luma - shiftY;
      sumY += dy;
      sumY2 += dy * dy;
      const max = r > g ? (r > b ? r : b) : g > b ? g : b;
      const min = r < g ? (r < b ? r : b) : g < b ? g : b;
      if (max > 0) sumS += (max - min) / max;
      n++;

      if (interiorRow && x > 0 && x < width - 1) {
        const l = i - 3;
        const rt = i + 3;
        const up = i - rowBytes;
        const dn = i + rowBytes;
        const neighbours =
          KR * (data[l]! + data[rt]! + data[up]! + data[dn]!) +
          KG * (data[l + 1]! + data[rt + 1]! + data[up + 1]! + data[dn + 1]!) +
          KB * (data[l + 2]! + data[rt + 2]! + data[up + 2]! + data[dn + 2]!);
        const lap = neighbours - 4 * luma;
        if (nL === 0) shiftL = lap;
        const dl = lap - shiftL;
        sumL += dl;
        sumL2 += dl * dl;
        nL++;
      }
    }
  }

  const meanDy = sumY / n;
  const meanDl = nL > 0 ? sumL / nL : 0;
  return {
    brightness: shiftY + meanDy,
    contrast: Math.sqrt(Math.max(0, sumY2 / n - meanDy * meanDy)),
    saturation: sumS / n,
    sharpness: nL > 0 ? Math.max(0, sumL2 / nL - meanDl * meanDl) : 0,
  };
}
