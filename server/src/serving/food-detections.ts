// Turns a model's answer (normalised boxes) into FoodLens's answer: best first, boxes in pixels of the uploaded image.
// Built-in COCO detectors answer food classes only; a user model answers its own labels.
import type { Detection as ApiDetection } from '@foodlens/contracts';
import { isFoodLabel } from '../inference/labels.js';
import type { Detection, ModelSpec } from '../inference/types.js';

export const MAX_DETECTIONS = 5;

/** The answer of any served version: the food filter for built-in detectors, the spec's own labels (already cut to
 * its top_k by the runtime) for user models. */
export function answerDetections(spec: ModelSpec, detections: Detection[], width: number, height: number): ApiDetection[] {
  if (spec.kind === 'builtin-detector') return foodDetections(detections, width, height);
  return toPixels([...detections].sort((a, b) => b.confidence - a.confidence), width, height);
}

export function foodDetections(detections: Detection[], width: number, height: number): ApiDetection[] {
  return toPixels(
    detections
      .filter((d) => isFoodLabel(d.label))
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, MAX_DETECTIONS),
    width,
    height,
  );
}

function toPixels(detections: Detection[], width: number, height: number): ApiDetection[] {
  const round = (v: number) => Math.round(v * 10) / 10;
  return detections.map((d) => ({
    label: d.label,
    confidence: Math.round(d.confidence * 1e4) / 1e4,
    box: {
      x: round(clamp01(d.box.x) * width),
      y: round(clamp01(d.box.y) * height),
      width: round(clamp01(d.box.width) * width),
      height: round(clamp01(d.box.height) * height),
    },
  }));
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
