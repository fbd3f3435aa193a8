// Image -> model input for user models, as the serving spec says. Pure JS on Float32Arrays, so the ONNX and the TF.js
// runtimes get byte-identical inputs from one implementation (and tests need no runtime).
import { NORMALIZATION_PRESETS, type ServingSpec } from '@foodlens/contracts';
import type { Box, DecodedImage } from '../types.js';

/** Which image rectangle (pixels) lands on which model-input rectangle (pixels). */
export interface InputFrame {
  src: { x: number; y: number; width: number; height: number };
  dst: { x: number; y: number; width: number; height: number };
  inputWidth: number;
  inputHeight: number;
}

export interface PreparedInput {
  data: Float32Array;
  /** [1, 3, H, W] (NCHW) or [1, H, W, 3] (NHWC) */
  dims: number[];
  frame: InputFrame;
}

export interface Normalisation {
  scale: number;
  mean: readonly number[];
  std: readonly number[];
}

export function resolveNormalisation(n: ServingSpec['normalization']): Normalisation {
  return typeof n === 'string' ? NORMALIZATION_PRESETS[n] : n;
}

/**
 * stretch: the whole image onto the whole input. letterbox: the whole image, aspect kept, centred on black padding.
 * center-crop: the largest centred part of the image with the input's aspect ratio, onto the whole input.
 */
export function inputFrame(width: number, height: number, input: ServingSpec['input']): InputFrame {
  const W = input.width;
  const H = input.height;
  const whole = { x: 0, y: 0, width, height };
  const all = { x: 0, y: 0, width: W, height: H };
  if (input.resize === 'letterbox') {
    const scale = Math.min(W / width, H / height);
    const dw = Math.max(1, Math.round(width * scale));
    const dh = Math.max(1, Math.round(height * scale));
    return { src: whole, dst: { x: Math.floor((W - dw) / 2), y: Math.floor((H - dh) / 2), width: dw, height: dh }, inputWidth: W, inputHeight: H };
  }
  if (input.resize === 'center-crop') {
    const scale = Math.max(W / width, H / height);
    const sw = Math.min(width, W / scale);
    const sh = Math.min(height, H / scale);
    return { src: { x: (width - sw) / 2, y: (height - sh) / 2, width: sw, height: sh }, dst: all, inputWidth: W, inputHeight: H };
  }
  return { src: whole, dst: all, inputWidth: W, inputHeight: H };
}

/**
 * Bilinear resampling (half-pixel centres, like cv2.resize / torchvision's antialias=False) of the frame's source
 * rectangle, then normalisation, channel order and layout. Padding is black (0) before normalisation.
 */
export function prepareInput(image: DecodedImage, spec: ServingSpec): PreparedInput {
  const { data, width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`invalid image size ${width}x${height}`);
  }
  if (data.length < width * height * 3) throw new RangeError(`image data holds ${data.length} bytes, ${width}x${height} RGB needs ${width * height * 3}`);
  const frame = inputFrame(width, height, spec.input);
  const { scale, mean, std } = resolveNormalisation(spec.normalization);
  const W = spec.input.width;
  const H = spec.input.height;
  const plane = W * H;
  const nchw = spec.input.layout === 'NCHW';
  // output channel k holds source channel order[k]
  const order = spec.input.channel_order === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const mul = order.map((c) => scale / std[c]!);
  const add = order.map((c) => -mean[c]! / std[c]!);
  const out = new Float32Array(plane * 3);
  const put = (x: number, y: number, k: number, p: number) => {
    out[nchw ? k * plane + y * W + x : (y * W + x) * 3 + k] = p * mul[k]! + add[k]!;
  };
  const { src, dst } = frame;
  const sx = src.width / dst.width;
  const sy = src.height / dst.height;
  for (let y = 0; y < H; y++) {
    const inY = y >= dst.y && y < dst.y + dst.height;
    const fy = Math.min(Math.max(src.y + (y - dst.y + 0.5) * sy - 0.5, 0), height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = fy - y0;
    for (let x = 0; x < W; x++) {
      if (!inY || x < dst.x || x >= dst.x + dst.width) {
        for (let k = 0; k < 3; k++) put(x, y, k, 0);
        continue;
      }
      const fx = Math.min(Math.max(src.x + (x - dst.x + 0.5) * sx - 0.5, 0), width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = fx - x0;
      const a = (y0 * width + x0) * 3;
      const b = (y0 * width + x1) * 3;
      const c = (y1 * width + x0) * 3;
      const d = (y1 * width + x1) * 3;
      for (let k = 0; k < 3; k++) {
        const ch = order[k]!;
        const top = data[a + ch]! + (data[b + ch]! - data[a + ch]!) * wx;
        const bottom = data[c + ch]! + (data[d + ch]! - data[c + ch]!) * wx;
        put(x, y, k, top + (bottom - top) * wy);
      }
    }
  }
  return { data: out, dims: nchw ? [1, 3, H, W] : [1, H, W, 3], frame };
}

/** A box normalised to the model input -> normalised to the original image (clipped to it). */
export function boxToImage(box: Box, frame: InputFrame, width: number, height: number): Box {
  const { src, dst, inputWidth, inputHeight } = frame;
  const toX = (u: number) => clamp01((src.x + (u * inputWidth - dst.x) * (src.width / dst.width)) / width);
  const toY = (v: number) => clamp01((src.y + (v * inputHeight - dst.y) * (src.height / dst.height)) / height);
  const x0 = toX(box.x);
  const y0 = toY(box.y);
  const x1 = toX(box.x + box.width);
  const y1 = toY(box.y + box.height);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
