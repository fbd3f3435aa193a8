// Pieces shared by the architecture modules: the tfjs namespace type, detector thresholds, and the Architecture
// interface the worker drives (preprocess -> execute -> postprocess). Everything here is pure: the worker owns tfjs
// initialisation and passes its `tf` in, so tests can call the same functions on hand-made tensors.
import type * as tfjs from '@tensorflow/tfjs';
import type { Box, Detection, ModelArchitecture } from './types.js';

/** The `@tensorflow/tfjs` namespace, passed in by whoever initialised the backend. */
export type Tf = typeof tfjs;
export type Tensor = tfjs.Tensor;
export type Tensor4D = tfjs.Tensor4D;
export type GraphModel = tfjs.GraphModel;

export interface DetectorOptions {
  /** detections scoring at or below this are dropped (both the candidate filter and tf NMS's scoreThreshold) */
  minConfidence: number;
  /** NMS IoU threshold (class-agnostic, as in the reference) */
  iouThreshold: number;
  /** NMS keeps at most this many boxes */
  maxDetected: number;
  /**
   * Pad the image with black to a centred square before the model's own preprocessing, so that the reference's
   * stretch to the square input keeps the aspect ratio. Boxes are mapped back to the unpadded image.
   */
  letterbox?: boolean;
}

/** `object` defaults of @vladmandic/human src/config.ts (3.3.x): minConfidence 0.2, iouThreshold 0.4, maxDetected 10. */
export const HUMAN_OBJECT_DEFAULTS: Readonly<DetectorOptions> = Object.freeze({
  minConfidence: 0.2,
  iouThreshold: 0.4,
  maxDetected: 10,
});

/**
 * What FoodLens runs: human's defaults except minConfidence, lowered from 0.2 to 0.1, and letterboxing on.
 *
 * The reference stretches any image to the model's square input; a 307x172 photo is squeezed 1.8x, and round
 * fruit stops looking round. Padding to a square first leaves the reference preprocessing itself unchanged (a
 * square image stretches uniformly) and is what lifts accuracy most. Top food detection right on the 11 IFCT test
 * photos (apples, bananas, orange, carrots; measured with bench/_accuracy.ts):
 *                                   CenterNet (v1)  NanoDet (v2)
 *   stretch, minConfidence 0.2 (human)    5/11          3/11
 *   stretch, minConfidence 0.1            5/11          5/11
 *   letterbox (black), 0.1                9/11          6/11
 * Padding colour: black measured best for CenterNet (white 7, grey 8) and is what zero-padding gives. minConfidence
 * 0.1 keeps modest food scores (NanoDet's correct bananas score 0.14-0.17) while most sub-0.1 boxes are noise.
 */
export const FOOD_DETECTOR_OPTIONS: Readonly<DetectorOptions> = Object.freeze({
  ...HUMAN_OBJECT_DEFAULTS,
  minConfidence: 0.1,
  letterbox: true,
});

/** Where an image of width x height sits inside its centred square letterbox. */
export function letterboxFrame(width: number, height: number): { side: number; padX: number; padY: number } {
  const side = Math.max(width, height);
  return { side, padX: Math.floor((side - width) / 2), padY: Math.floor((side - height) / 2) };
}

/** Maps a box normalised to the letterbox square back to one normalised to the image, clipped to it. */
export function unletterboxBox(box: Box, width: number, height: number): Box {
  const { side, padX, padY } = letterboxFrame(width, height);
  const x0 = clamp01((box.x * side - padX) / width);
  const y0 = clamp01((box.y * side - padY) / height);
  const x1 = clamp01(((box.x + box.width) * side - padX) / width);
  const y1 = clamp01(((box.y + box.height) * side - padY) / height);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Architectures this runtime implements (kept here so the main thread can validate specs without loading tfjs). */
export const ARCHITECTURE_NAMES: readonly ModelArchitecture[] = Object.freeze(['centernet', 'nanodet'] as const);

/** One detector family: how to turn a [1,H,W,3] float32 RGB 0..255 image into detections. */
export interface Architecture {
  readonly name: ModelArchitecture;
  /** used when the model signature does not say */
  readonly defaultInputSize: number;
  /** square model input side, read from the graph-model signature the way the reference does */
  inputSize(signature: unknown): number;
  /** image: [1, H, W, 3] float32, RGB, 0..255 (what human hands its object detectors). Caller disposes. */
  preprocess(tf: Tf, image: Tensor4D, inputSize: number): Tensor;
  /** Synchronous graph execution; returns every output tensor the postprocess needs. Caller disposes. */
  execute(model: GraphModel, input: Tensor): Tensor[];
  /** Does not dispose `outputs`. Detections are best first, boxes normalised to the original image. */
  postprocess(tf: Tf, outputs: Tensor[], inputSize: number, options: DetectorOptions): Promise<Detection[]>;
}

export function clamp01(v: number): number {
  return Math.max(0, Math.min(v, 1));
}

/**
 * Reads `signature.inputs[<first>].tensorShape.dim[2].size` (what both reference loaders do: `parseInt(inputs[0]
 * .tensorShape.dim[2].size)`). For CenterNet's NHWC [1,512,512,3] that is the width, for NanoDet's NCHW
 * [1,3,416,416] the height; both models are square.
 */
export function inputSizeFromSignature(signature: unknown, fallback: number): number {
  const inputs = (signature as { inputs?: Record<string, { tensorShape?: { dim?: { size?: string | number }[] } }> })
    ?.inputs;
  const first = inputs ? Object.values(inputs)[0] : undefined;
  const size = Number.parseInt(String(first?.tensorShape?.dim?.[2]?.size ?? ''), 10);
  return Number.isFinite(size) && size > 0 ? size : fallback;
}
