import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeUpload, ImageRejected, sniffFormat } from './decode.js';

const limits = { maxPixels: 50_000_000 };

async function noisy(width: number, height: number, channels: 3 | 4 = 3) {
  return sharp({ create: { width, height, channels, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
}

async function rejection(p: Promise<unknown>): Promise<ImageRejected> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ImageRejected) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('sniffFormat', () => {
  it.each([
    [[0xff, 0xd8, 0xff, 0xe0], 'jpeg'],
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'png'],
    [[...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP')], 'webp'],
    [[...Buffer.from('GIF89a')], null],
    [[...Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')], null],
    [[0xff, 0xd8], null],
    [[], null],
  ])('%j -> %s', (bytes, want) => {
    expect(sniffFormat(Uint8Array.from(bytes))).toBe(want);
  });
});

describe('decodeUpload', () => {
  it('decodes JPEG, PNG and WebP to RGB, downscaled to the longer side', async () => {
    for (const fmt of ['jpeg', 'png', 'webp'] as const) {
      const buf = await (await noisy(2000, 1000, 4))[fmt]().toBuffer();
      const img = await decodeUpload(buf, limits);
      expect(img.format).toBe(fmt);
      expect([img.width, img.height]).toEqual([2000, 1000]);
      expect([img.pixels.width, img.pixels.height]).toEqual([1024, 512]);
      expect(img.pixels.data.length).toBe(1024 * 512 * 3);
      expect(img.sizeBytes).toBe(buf.length);
    }
  });

  it('never upscales a small image', async () => {
    const buf = await (await noisy(300, 170)).jpeg().toBuffer();
    const img = await decodeUpload(buf, limits);
    expect([img.pixels.width, img.pixels.height]).toEqual([300, 170]);
  });

  it('converts greyscale to three channels', async () => {
    const buf = await (await noisy(64, 48)).greyscale().png().toBuffer();
    const img = await decodeUpload(buf, limits);
    expect(img.pixels.data.length).toBe(64 * 48 * 3);
  });

  it('applies EXIF orientation, reporting the oriented size', async () => {
    const buf = await (await noisy(200, 100)).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const img = await decodeUpload(buf, limits);
    expect([img.width, img.height]).toEqual([100, 200]);
    expect([img.pixels.width, img.pixels.height]).toEqual([100, 200]);
  });

  it('rejects text and other formats as bad_format (415)', async () => {
    const text = await rejection(decodeUpload(Buffer.from('hello, I am not an image'), limits));
    expect([text.reason, text.statusCode]).toEqual(['bad_format', 415]);
    const gif = await (await noisy(10, 10)).gif().toBuffer();
    expect((await rejection(decodeUpload(gif, limits))).reason).toBe('bad_format');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    expect((await rejection(decodeUpload(svg, limits))).reason).toBe('bad_format');
  });

  it('rejects an empty upload as missing_file (400)', async () => {
    const err = await rejection(decodeUpload(Buffer.alloc(0), limits));
    expect([err.reason, err.statusCode]).toEqual(['missing_file', 400]);
  });

  it('rejects a truncated JPEG as corrupt (422)', async () => {
    const buf = await (await noisy(400, 300)).jpeg().toBuffer();
    const err = await rejection(decodeUpload(buf.subarray(0, Math.floor(buf.length / 2)), limits));
    expect([err.reason, err.statusCode]).toEqual(['corrupt', 422]);
  });

  it('rejects a PNG with a damaged body as corrupt (422)', async () => {
    const buf = Buffer.from(await (await noisy(200, 200)).png().toBuffer());
    buf.fill(0x41, 100, 400);
    const err = await rejection(decodeUpload(buf, limits));
    expect([err.reason, err.statusCode]).toEqual(['corrupt', 422]);
  });

  it('rejects too many pixels from the header alone, before decoding (422)', async () => {
    // A 60-megapixel image of one colour compresses to a few hundred KB, so only the header can stop it cheaply.
    const buf = await sharp({ create: { width: 10000, height: 6000, channels: 3, background: '#808080' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const started = performance.now();
    const err = await rejection(decodeUpload(buf, limits));
    expect([err.reason, err.statusCode]).toEqual(['pixel_limit', 422]);
    expect(err.message).toMatch(/60\.0 megapixels/);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
