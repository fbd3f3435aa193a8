// Untrusted upload -> validated, EXIF-oriented RGB pixels. Every rejection is decided here, cheapest check first:
// magic bytes (no decoder ever sees a format we do not accept), then the header's pixel count (before decoding),
// then a strict decode (truncated or corrupt data fails instead of being padded with grey).
import sharp, { type Metadata } from 'sharp';
import type { DecodedImage } from '../inference/types.js';
import { AppError } from '../util/errors.js';

export type ImageFormat = 'jpeg' | 'png' | 'webp';
export type RejectReason = 'missing_file' | 'too_large' | 'bad_format' | 'pixel_limit' | 'corrupt';

export class ImageRejected extends AppError {
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    const code =
      reason === 'missing_file'
        ? 'INVALID_PARAMETER_VALUE'
        : reason === 'too_large'
          ? 'PAYLOAD_TOO_LARGE'
          : reason === 'bad_format'
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : 'UNPROCESSABLE_IMAGE';
    super(code, message, { reason });
  }
}

export interface UploadedImage {
  /** pixels handed to the model, downscaled so the longer side is at most `maxSide` */
  pixels: DecodedImage;
  /** the upload as the user sees it (after EXIF orientation) */
  width: number;
  height: number;
  sizeBytes: number;
  format: ImageFormat;
  decodeMs: number;
}

export interface DecodeLimits {
  maxPixels: number;
  /** longer side of the pixels given to the model; the models' inputs are at most 512 px */
  maxSide?: number;
}

export function sniffFormat(buf: Uint8Array): ImageFormat | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (
    buf.length >= 8 &&
    buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47 &&
    buf[4] === 0x0d && buf[5] === 0x0a && buf[6] === 0x1a && buf[7] === 0x0a
  ) return 'png';
  if (
    buf.length >= 12 &&
    buf[0] === 0x52 && buf[1] === 0x49 && buf[2] === 0x46 && buf[3] === 0x46 &&
    buf[8] === 0x57 && buf[9] === 0x45 && buf[10] === 0x42 && buf[11] === 0x50
  ) return 'webp';
  return null;
}

export async function decodeUpload(buf: Buffer, limits: DecodeLimits): Promise<UploadedImage> {
  const started = performance.now();
  if (buf.length === 0) throw new ImageRejected('missing_file', 'the uploaded file is empty');
  const format = sniffFormat(buf);
  if (!format) {
    throw new ImageRejected('bad_format', 'the upload is not a JPEG, PNG or WebP image');
  }

  let meta: Metadata;
  try {
    // Reads only the header; the pixel limit is checked by us below so it holds before any decoding.
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageRejected('corrupt', `the ${format} header cannot be read: ${messageOf(err)}`);
  }
  if (meta.format !== format) {
    throw new ImageRejected('bad_format', `the content is ${meta.format ?? 'unknown'}, not ${format}`);
  }
  const { width = 0, height = 0 } = meta;
  if (width <= 0 || height <= 0) throw new ImageRejected('corrupt', 'the image has no dimensions');
  if (width * height > limits.maxPixels) {
    throw new ImageRejected(
      'pixel_limit',
      `the image is ${width}x${height} (${(width * height / 1e6).toFixed(1)} megapixels); the limit is ${(limits.maxPixels / 1e6).toFixed(1)} megapixels`,
    );
  }
  // EXIF orientations 5-8 swap the sides.
  const swapped = (meta.orientation ?? 1) >= 5;
  const maxSide = limits.maxSide ?? 1024;

  try {
    const { data, info } = await sharp(buf, { failOn: 'error', limitInputPixels: limits.maxPixels })
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .toColorspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
    return {
      pixels: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height },
      width: swapped ? height : width,
      height: swapped ? width : height,
      sizeBytes: buf.length,
      format,
      decodeMs: performance.now() - started,
    };
  } catch (err) {
    throw new ImageRejected('corrupt', `the ${format} image is truncated or corrupt: ${messageOf(err)}`);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]!.trim() : String(err);
}
