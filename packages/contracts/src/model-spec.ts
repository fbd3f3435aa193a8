// The serving spec of a user-registered model version: what FoodLens needs to feed it an image and read its answer.
// Sent with POST /api/v1/mlops/register-model and stored with the version (model_version_servables.spec).
//
// Input: the image is resized to input.width x input.height (resize mode), each pixel p (0..255, channels named in
// RGB order) becomes (p * scale - mean[c]) / std[c], then channels are ordered as channel_order and laid out as layout.
// Letterbox padding is black (p = 0) before normalisation.
//
// Output conventions:
//   classification  one tensor holding labels.length scores ([1, C], [C] or [1, C, 1, 1]); `activation` turns them
//                   into probabilities; the answer is the top_k classes, best first (the top one always, the others
//                   when >= min_confidence).
//   detection       one tensor [1, N, 4 + C]: per candidate, x1, y1, x2, y2 normalised to the model input (0..1,
//                   origin top-left), then C = labels.length class scores (`activation` applied per candidate:
//                   softmax across the C scores, or sigmoid each). Each candidate keeps its best class; candidates
//                   under min_confidence are dropped, then per-class greedy NMS at iou_threshold, then top_k.
import { z } from 'zod';

const rgb = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);

/** Named normalisations: pixel p in 0..255 becomes (p * scale - mean[c]) / std[c]. */
export const NORMALIZATION_PRESETS = {
  /** 0..1 */
  unit: { scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] },
  /** -1..1 (MobileNet / Inception style) */
  symmetric: { scale: 1 / 127.5, mean: [1, 1, 1], std: [1, 1, 1] },
  /** torchvision's ImageNet statistics on 0..1 pixels */
  imagenet: { scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  /** raw 0..255 */
  none: { scale: 1, mean: [0, 0, 0], std: [1, 1, 1] },
} as const satisfies Record<string, { scale: number; mean: readonly number[]; std: readonly number[] }>;

export const Normalization = z.union([
  z.enum(Object.keys(NORMALIZATION_PRESETS) as [keyof typeof NORMALIZATION_PRESETS, ...(keyof typeof NORMALIZATION_PRESETS)[]]),
  z.object({
    scale: z.number().finite().positive().default(1 / 255),
    mean: rgb.default([0, 0, 0]),
    std: rgb
      .default([1, 1, 1])
      .refine((s) => s.every((v) => v > 0), 'std values must be positive'),
  }),
]);

export const ServingSpec = z.object({
  task: z.enum(['classification', 'detection']),
  /** class names in output order; answers use these */
  labels: z.array(z.string().min(1).max(200)).min(1).max(10_000),
  input: z.object({
    width: z.number().int().min(8).max(4096),
    height: z.number().int().min(8).max(4096),
    /** NCHW = [1, 3, H, W] (PyTorch exports), NHWC = [1, H, W, 3] (TensorFlow) */
    layout: z.enum(['NCHW', 'NHWC']).default('NCHW'),
    channel_order: z.enum(['RGB', 'BGR']).default('RGB'),
    /** stretch to the input size, pad to a square first (letterbox), or crop the centre square */
    resize: z.enum(['stretch', 'letterbox', 'center-crop']).default('stretch'),
    /** name of the input tensor when the model has several (default: its first input) */
    name: z.string().min(1).optional(),
  }),
  normalization: Normalization.default('unit'),
  output: z
    .object({
      /** output tensor to read (default: the first output) */
      name: z.string().min(1).optional(),
      /** applied to the raw outputs before answering: softmax for logits, sigmoid for multi-label, none for probabilities */
      activation: z.enum(['softmax', 'sigmoid', 'none']).default('softmax'),
    })
    .default({ activation: 'softmax' }),
  /** answers below this confidence are dropped (detection) or still answered as top-1 (classification) */
  min_confidence: z.number().min(0).max(1).default(0.1),
  /** answer at most this many classes / boxes */
  top_k: z.number().int().min(1).max(100).default(5),
  /** detection: boxes of one class overlapping more than this (intersection over union) are suppressed */
  iou_threshold: z.number().gt(0).max(1).default(0.45),
});
export type ServingSpec = z.infer<typeof ServingSpec>;
export type ServingSpecInput = z.input<typeof ServingSpec>;
