// Turns a detector's answer (all COCO classes, normalised boxes) into FoodLens's answer: foods only, best first,
// boxes in pixels of the uploaded image.
import type { Detection as ApiDetection } from '@foodlens/contracts';
import { isFoodLabel } from '../inference/labels.js';
import type { Detection } from '../inference/types.js';

export const MAX_DETECTIONS = 5;

export function foodDetections(detections: Detection[], width: number, height: number): ApiDetection[] {
  const round = (v: number) => Math.round(v * 10) / 10;
  return detections
    .filter((d) => isFoodLabel(d.label))
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, MAX_DETECTIONS)
    .map((d) => ({
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
